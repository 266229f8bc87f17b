import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {drainInstance} from '../../../src/core/drain/index.js'
import {FakeWorld, apiError, instance, service, task} from './fake-world.js'

const OUTCOMES = ['drained', 'timeout', 'refused', 'dry-run', 'interrupted', 'failed']

const taskSpec = fc.record({
  kind: fc.constantFrom('service:web', 'service:api', 'family:batch'),
  leaveAfterMs: fc.integer({min: 0, max: 20 * 60_000}),
  stopMs: fc.integer({min: 0, max: 10 * 60_000}),
})

/** Each call draws the next fault from the sequence (then no more faults). */
const faultSpec = fc.constantFrom('none', 'none', 'none', 'throttle', 'server', 'network')
const finalFault = fc.constantFrom('none', 'none', 'none', 'none', 'throttle', 'access-denied')

function build(
  tasks: Array<{kind: string; leaveAfterMs: number; stopMs: number}>,
  heartbeatTimeout: number,
): FakeWorld {
  const w = new FakeWorld()
  w.instances = [
    instance(1),
    instance(2, {cpu: {registered: 8192, remaining: 8192}, memory: {registered: 32768, remaining: 32768}}),
  ]
  w.services = [service('web', {minimumHealthyPercent: 50}), service('api')]
  w.tasks = tasks.map((s) => ({
    task: task(w.instances[0]!, s.kind),
    leaveAfterMs: s.kind.startsWith('family:') ? Infinity : s.leaveAfterMs,
    stopMs: s.stopMs,
  }))
  return w.withHook(heartbeatTimeout)
}

function transient(kind: string): Error | undefined {
  if (kind === 'throttle') return apiError('ThrottlingException', true)
  if (kind === 'server') return apiError('ServerException', true)
  if (kind === 'network') return apiError('ECONNRESET', true)
  return undefined
}

describe('drain engine properties', () => {
  it('never completes while a task is not STOPPED, never ABANDONs, and ends in a documented outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskSpec, {maxLength: 6}),
        fc.array(faultSpec, {maxLength: 200}),
        finalFault,
        fc.integer({min: 30, max: 1200}),
        fc.boolean(),
        async (tasks, faults, last, heartbeatTimeout, stopStandalone) => {
          const w = build(tasks, heartbeatTimeout)
          let i = 0
          w.fault = () => {
            const f = faults[i++]
            if (f !== undefined) return transient(f)
            // After the sequence, a persistent fault (or none): the engine must still end in a known state.
            if (last === 'access-denied') return apiError('AccessDeniedException', false)
            return transient(last)
          }
          const result = await drainInstance(
            w.ports,
            {cluster: 'c1', instance: {...w.target}},
            {
              timeoutMs: 60 * 60_000,
              intervalMs: 5000,
              stopStandalone,
            },
          )
          expect(OUTCOMES).toContain(result.outcome)
          for (const c of w.completions) {
            expect(c.result).toBe('CONTINUE')
            expect(c.liveTasks).toBe(0)
          }
          expect(w.completions.length).toBeLessThanOrEqual(1)
          // Transient faults alone never make a drain fail.
          if (last !== 'access-denied') expect(result.outcome).not.toBe('failed')
          if (result.outcome !== 'drained') expect(w.completions).toHaveLength(0)
          if (result.outcome === 'drained') {
            expect(w.live()).toHaveLength(0)
            // Completed, unless the action had really expired (faults delayed the start past a short
            // HeartbeatTimeout), and then the result says so.
            if (result.lifecycleAction!.result === null) {
              expect(w.action!.active).toBe(false)
              expect(result.lifecycleAction!.note).toMatch(/completed or expired/)
            } else {
              expect(result.lifecycleAction!.result).toBe('CONTINUE')
            }
          }
        },
      ),
      {numRuns: 150},
    )
  })

  it('time-boxed runs (the Lambda hand-over) resume until drained, and complete exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskSpec, {minLength: 1, maxLength: 5}),
        fc.integer({min: 20_000, max: 5 * 60_000}),
        fc.array(faultSpec, {maxLength: 60}),
        async (tasks, runMs, faults) => {
          const w = build(tasks, 900)
          let i = 0
          w.fault = () => transient(faults[i++] ?? 'none')
          const startedAt = w.clock.now()
          const outcomes: string[] = []
          for (let run = 0; run < 1000; run++) {
            const r = await drainInstance(
              w.ports,
              {cluster: 'c1', instance: {...w.target}},
              {
                timeoutMs: 2 * 60 * 60_000,
                startedAt,
                intervalMs: 5000,
                stopStandalone: true,
                runDeadline: w.clock.now() + runMs,
              },
            )
            outcomes.push(r.outcome)
            if (r.outcome !== 'suspended') break
          }
          expect(outcomes.at(-1)).toBe('drained')
          expect(outcomes.slice(0, -1).every((o) => o === 'suspended')).toBe(true)
          expect(w.completions).toHaveLength(1)
          expect(w.completions[0]!.liveTasks).toBe(0)
        },
      ),
      {numRuns: 60},
    )
  })
})
