/**
 * `drain --json` is a contract: one DrainResult per instance. This pins its shape (every key and its type)
 * for each outcome, so a rename or a dropped field fails here before it breaks someone's pipeline.
 */
import {describe, expect, it} from 'vitest'

import {drainInstance, type DrainOptions, type DrainResult} from '../../../src/core/drain/index.js'
import {FakeWorld, instance, service, task} from './fake-world.js'

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null'
const typeOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind))

/** The schema: each key with the types it may take. */
const RESULT: Record<keyof DrainResult, Kind[]> = {
  ec2InstanceId: ['string'],
  cluster: ['string'],
  containerInstanceArn: ['string', 'null'],
  outcome: ['string'],
  status: ['string', 'null'],
  autoScalingGroupName: ['string', 'null'],
  lifecycleState: ['string', 'null'],
  tasksAtStart: ['number'],
  tasksRemaining: ['number'],
  services: ['array'],
  blockers: ['array'],
  etaSeconds: ['number', 'null'],
  warnings: ['array'],
  lifecycleAction: ['object', 'null'],
  preflight: ['object', 'null'],
  startedAt: ['string'],
  finishedAt: ['string'],
  error: ['object', 'null'],
}
const ACTION = {
  hook: ['string'],
  group: ['string'],
  result: ['string', 'null'],
  heartbeats: ['number'],
  heartbeatDeadline: ['string', 'null'],
  note: ['string', 'null'],
}
const SERVICE = {
  service: ['string'],
  kind: ['string'],
  atStart: ['number'],
  replaced: ['number'],
  stopping: ['number'],
  remaining: ['number'],
}
const BLOCKER = {
  kind: ['string'],
  detail: ['string'],
  fix: ['string'],
  task: ['string', 'null'],
  etaSeconds: ['number', 'null'],
}

function conforms(value: Record<string, unknown>, schema: Record<string, string[]>): void {
  expect(Object.keys(value).sort()).toEqual(Object.keys(schema).sort())
  for (const [key, kinds] of Object.entries(schema)) expect(kinds, key).toContain(typeOf(value[key]))
}

function checkResult(r: DrainResult): void {
  const json = JSON.parse(JSON.stringify(r)) as Record<string, unknown>
  conforms(json, RESULT)
  expect(['drained', 'timeout', 'refused', 'dry-run', 'interrupted', 'failed', 'draining']).toContain(
    json.outcome,
  )
  if (json.lifecycleAction) conforms(json.lifecycleAction as Record<string, unknown>, ACTION)
  for (const s of json.services as Array<Record<string, unknown>>) conforms(s, SERVICE)
  for (const b of json.blockers as Array<Record<string, unknown>>) conforms(b, BLOCKER)
  if (json.preflight) {
    const preflight = json.preflight as Record<string, unknown>
    conforms(preflight, {
      tasks: ['object'],
      services: ['array'],
      standaloneTasks: ['array'],
      otherActiveInstances: ['number'],
      refused: ['boolean'],
    })
    conforms(preflight.tasks as Record<string, unknown>, {
      replica: ['number'],
      daemon: ['number'],
      standalone: ['number'],
    })
  }
  if (json.error) conforms(json.error as Record<string, unknown>, {code: ['string'], message: ['string']})
  expect(Date.parse(json.startedAt as string)).not.toBeNaN()
}

function world(): FakeWorld {
  const w = new FakeWorld()
  w.instances = [instance(1), instance(2)]
  w.services = [service('web')]
  w.tasks = [{task: task(w.instances[0]!, 'service:web'), leaveAfterMs: 10_000, stopMs: 5000}]
  return w
}

const base: DrainOptions = {timeoutMs: 10 * 60_000, intervalMs: 5000}
const run = (w: FakeWorld, o: Partial<DrainOptions> = {}) =>
  drainInstance(w.ports, {cluster: 'c1', instance: {...w.target}}, {...base, ...o})

describe('drain --json result shape', () => {
  it('is the same for every outcome', async () => {
    const results: DrainResult[] = []
    results.push(await run(world().withHook()))
    results.push(await run(world(), {dryRun: true}))
    const stuck = world()
    stuck.tasks[0]!.leaveAfterMs = Infinity
    results.push(await run(stuck, {timeoutMs: 60_000}))
    const alone = world()
    alone.instances = [alone.instances[0]!]
    results.push(await run(alone))
    const missing = world()
    const target = {cluster: 'c1', instance: {...missing.target}}
    missing.instances.shift()
    results.push(await drainInstance(missing.ports, target, base))
    expect(results.map((r) => r.outcome)).toEqual(['drained', 'dry-run', 'timeout', 'refused', 'failed'])
    for (const r of results) checkResult(r)
    expect(results[1]!.preflight).toMatchObject({
      tasks: {replica: 1, daemon: 0, standalone: 0},
      otherActiveInstances: 1,
    })
    expect(results[0]!.lifecycleAction).toMatchObject({hook: 'drain-hook', group: 'asg1', result: 'CONTINUE'})
    expect(results[0]!.etaSeconds).toBe(0)
    // The timed-out drain says what it still waited on, per task, in the same shape.
    const waiting = results[2]!.blockers.filter((b) => b.task !== null)
    expect(waiting.map((b) => [b.kind, b.task])).toEqual([
      ['awaiting-replacement', stuck.tasks[0]!.task.taskArn],
    ])
    expect(results[2]!.etaSeconds).toBeNull()
  })
})
