import {describe, expect, it} from 'vitest'

import {
  drainInstance,
  executeDrain,
  planDrain,
  type DrainEvent,
  type DrainOptions,
} from '../../../src/core/drain/index.js'
import {
  FakeWorld,
  apiError,
  instance,
  service,
  task,
  type ScriptedTask,
  twoWebTasksWorld,
} from './fake-world.js'

const MIN = 60_000

const world = twoWebTasksWorld

function opts(over: Partial<DrainOptions> = {}): DrainOptions & {events: DrainEvent[]} {
  const events: DrainEvent[] = []
  return {timeoutMs: 30 * MIN, intervalMs: 5000, onEvent: (e) => events.push(e), events, ...over}
}

function target(w: FakeWorld) {
  return {cluster: 'c1', instance: {...w.target}}
}

/**
 * Heartbeats at most a third of HeartbeatTimeout apart, plus one poll interval (the loop notices a due
 * heartbeat at its next turn): enough slack for two throttled heartbeats before the action expires.
 */
function expectHeartbeatsEveryThird(w: FakeWorld, heartbeatTimeoutS: number, intervalMs = 5000) {
  expect(w.heartbeats.length).toBeGreaterThan(1)
  for (let i = 1; i < w.heartbeats.length; i++)
    expect(w.heartbeats[i]! - w.heartbeats[i - 1]!).toBeLessThanOrEqual(
      (heartbeatTimeoutS * 1000) / 3 + intervalMs,
    )
}

function stoppedAt(s: ScriptedTask): number {
  return s.stopRequestedAt! + s.stopMs
}

describe('drain engine', () => {
  it('drains, then completes CONTINUE only once every task is STOPPED, within one interval', async () => {
    const w = world().withHook()
    // Given a task that stays DEACTIVATING for 5 minutes (a load balancer's deregistration delay)
    w.tasks[1]!.stopMs = 5 * MIN
    const o = opts()
    const result = await drainInstance(w.ports, target(w), o)

    expect(result.outcome).toBe('drained')
    expect(result.tasksAtStart).toBe(2)
    expect(result.tasksRemaining).toBe(0)
    expect(result.lifecycleAction).toMatchObject({hook: 'drain-hook', group: 'asg1', result: 'CONTINUE'})
    expect(w.completions).toHaveLength(1)
    expect(w.completions[0]).toMatchObject({result: 'CONTINUE', liveTasks: 0})
    const lastStopped = Math.max(...w.tasks.map(stoppedAt))
    expect(w.completions[0]!.t).toBeGreaterThanOrEqual(lastStopped)
    expect(w.completions[0]!.t - lastStopped).toBeLessThanOrEqual(5000)
    const types = o.events.map((e) => e.type)
    expect(types[0]).toBe('preflight')
    expect(types).toContain('started')
    expect(types.slice(-2)).toEqual(['drained', 'completed'])
    const progress = o.events.filter((e) => e.type === 'progress')
    expect(progress.some((e) => e.type === 'progress' && e.services[0]!.stopping > 0)).toBe(true)
    expect(result.services).toEqual([
      {service: 'web', kind: 'replica', atStart: 2, replaced: 2, stopping: 0, remaining: 0},
    ])
  })

  it('outlasts HeartbeatTimeout by heartbeating, and the action is still alive to complete', async () => {
    const w = world().withHook(60)
    w.tasks[1]!.leaveAfterMs = 10 * MIN
    const result = await drainInstance(w.ports, target(w), opts())
    expect(result.outcome).toBe('drained')
    expect(w.completions).toHaveLength(1)
    expect(result.lifecycleAction!.heartbeats).toBeGreaterThanOrEqual(10)
    expectHeartbeatsEveryThird(w, 60)
  })

  it('times out leaving the instance DRAINING and completes nothing', async () => {
    const w = world().withHook()
    w.tasks.push({task: task(w.target, 'family:batch'), leaveAfterMs: Infinity, stopMs: 0})
    const result = await drainInstance(w.ports, target(w), opts({timeoutMs: 5 * MIN}))
    expect(result.outcome).toBe('timeout')
    expect(w.target.status).toBe('DRAINING')
    expect(w.count('CompleteLifecycleAction')).toBe(0)
    expect(result.tasksRemaining).toBe(1)
    expect(result.blockers.map((b) => b.kind)).toContain('standalone-task')
    expect(result.blockers.find((b) => b.kind === 'standalone-task')!.fix).toMatch(/--stop-standalone/)
    expect(result.warnings.join()).toMatch(/drain-hook is still pending until about .*default result/)
  })

  it('completes an instance found drained at the last poll before --timeout, despite a throttle', async () => {
    const w = world().withHook()
    w.tasks = [{task: task(w.target, 'service:web'), leaveAfterMs: 0, stopMs: 9000}]
    let throttled = false
    w.fault = (op) => {
      if (op !== 'CompleteLifecycleAction' || throttled) return undefined
      throttled = true
      return apiError('Throttling', true)
    }
    // Polls at 0, 5 s and 10 s; the task is STOPPED at 9 s, and --timeout ends at 10.5 s.
    const result = await drainInstance(w.ports, target(w), opts({timeoutMs: 10_500}))
    expect(result.outcome).toBe('drained')
    expect(w.completions).toHaveLength(1)
    expect(w.completions[0]!.t).toBeGreaterThan(w.clock.t - 60_000)
  })

  it('--stop-standalone stops standalone tasks with a reason, then drains', async () => {
    const w = world()
    w.tasks.push({task: task(w.target, 'family:batch'), leaveAfterMs: Infinity, stopMs: 10_000})
    const result = await drainInstance(w.ports, target(w), opts({stopStandalone: true}))
    expect(result.outcome).toBe('drained')
    expect(w.stopTaskReasons).toEqual([`ecsdrain: draining container instance ${w.target.ec2InstanceId}`])
  })

  it('keeps heartbeating while StopTask of a standalone task is throttled for minutes', async () => {
    const w = world().withHook(60)
    w.tasks.push({task: task(w.target, 'family:batch'), leaveAfterMs: Infinity, stopMs: 10_000})
    const throttledUntil = w.clock.now() + 3 * MIN
    w.fault = (op) =>
      op === 'StopTask' && w.clock.now() < throttledUntil ? apiError('ThrottlingException', true) : undefined
    const result = await drainInstance(w.ports, target(w), opts({stopStandalone: true}))
    expect(result.outcome).toBe('drained')
    expect(w.completions).toEqual([expect.objectContaining({result: 'CONTINUE', liveTasks: 0})])
    expectHeartbeatsEveryThird(w, 60)
  })

  it('refuses a min 100 / max 100 deadlock without changing anything; --force drains', async () => {
    const w = world()
    w.services = [service('web', {minimumHealthyPercent: 100, maximumPercent: 100})]
    const refused = await drainInstance(w.ports, target(w), opts())
    expect(refused.outcome).toBe('refused')
    expect(refused.blockers.find((b) => b.kind === 'deadlock')!.fix).toMatch(/maximumPercent/)
    expect(w.count('UpdateContainerInstancesState')).toBe(0)

    const forced = await drainInstance(w.ports, target(w), opts({force: true}))
    expect(forced.outcome).toBe('drained')
    expect(forced.warnings.join()).toMatch(/--force/)
  })

  it('refuses the last ACTIVE instance in steady state, but drains it when it is terminating anyway', async () => {
    const w = world()
    w.instances = [w.instances[0]!]
    const refused = await drainInstance(w.ports, target(w), opts())
    expect(refused.outcome).toBe('refused')
    expect(refused.blockers.find((b) => b.kind === 'last-active-instance')!.fix).toMatch(
      /scale the group out by 1/,
    )
    expect(w.count('UpdateContainerInstancesState')).toBe(0)

    w.withHook()
    const dying = await drainInstance(w.ports, target(w), opts())
    expect(dying.outcome).toBe('drained')
    expect(dying.warnings.join()).toMatch(/terminated anyway/)
  })

  it('counts no room on the instances drained in the same command: draining all of them is refused', async () => {
    const w = world()
    const batch = w.instances.map((i) => i.containerInstanceArn)
    // Draining both ACTIVE instances at once: each alone would see the other as room for its tasks.
    const plan = await planDrain(w.ports, target(w), opts({batch}))
    expect(plan.report.refused).toBe(true)
    expect(plan.report.otherActiveInstances).toBe(0)
    expect(plan.report.blockers.map((b) => b.kind)).toContain('last-active-instance')
    const result = await executeDrain(w.ports, plan, opts({batch}))
    expect(result.outcome).toBe('refused')
    expect(w.count('UpdateContainerInstancesState')).toBe(0)
  })

  it('is idempotent on an instance that is already DRAINING', async () => {
    const w = world()
    w.target.status = 'DRAINING'
    w.drainingAt = w.clock.now()
    const result = await drainInstance(w.ports, target(w), opts())
    expect(result.outcome).toBe('drained')
    expect(w.count('UpdateContainerInstancesState')).toBe(0)
  })

  it('fails clearly when UpdateContainerInstancesState reports a failure', async () => {
    const w = world()
    const t = target(w)
    w.instances.shift() // deregistered between lookup and drain: ECS answers MISSING in `failures`
    w.instances.push(instance(3))
    const result = await drainInstance(w.ports, t, opts())
    expect(result.outcome).toBe('failed')
    expect(result.error).toMatchObject({code: 'DRAIN_MISSING'})
  })

  it('waits for a task seen at the start that no list names any more, until it is STOPPED', async () => {
    const w = world().withHook()
    w.tasks[1]!.stopMs = 5 * MIN
    const hidden = w.tasks[1]!.task.taskArn
    const o = opts()
    o.onEvent = (e) => {
      if (e.type === 'started') w.unlisted.add(hidden)
    }
    const result = await drainInstance(w.ports, target(w), o)
    expect(result.outcome).toBe('drained')
    expect(w.completions).toEqual([expect.objectContaining({liveTasks: 0})])
    expect(w.completions[0]!.t).toBeGreaterThanOrEqual(stoppedAt(w.tasks[1]!))
  })

  it('retries throttling and 5xx everywhere without failing or completing early', async () => {
    const w = world().withHook()
    let n = 0
    // Every fifth call fails: a poll needs its two ListTasks and its DescribeTasks to succeed together.
    w.fault = (op) =>
      ++n % 5 === 0
        ? apiError(op.startsWith('ListTasks') ? 'ServerException' : 'ThrottlingException', true)
        : undefined
    const o = opts()
    const result = await drainInstance(w.ports, target(w), o)
    expect(result.outcome).toBe('drained')
    expect(w.completions).toEqual([expect.objectContaining({result: 'CONTINUE', liveTasks: 0})])
    expect(o.events.some((e) => e.type === 'retry')).toBe(true)
  })

  it('an interrupt stops at once and completes nothing', async () => {
    const w = world().withHook()
    const abort = new AbortController()
    const o = opts({signal: abort.signal})
    o.onEvent = (e) => {
      o.events.push(e)
      if (e.type === 'progress') abort.abort()
    }
    const result = await drainInstance(w.ports, target(w), o)
    expect(result.outcome).toBe('interrupted')
    expect(result.status).toBe('DRAINING')
    expect(w.count('CompleteLifecycleAction')).toBe(0)
    expect(o.events.at(-1)!.type).toBe('interrupted')
  })

  it("an interrupt that lands during the last poll's ListTasks completes nothing", async () => {
    const w = world().withHook()
    const abort = new AbortController()
    w.fault = (op) => {
      // The poll that will find the instance drained: Ctrl-C arrives while its lists are answered.
      if (op === 'ListTasks:STOPPED' && w.live().length === 0) abort.abort()
      return undefined
    }
    const result = await drainInstance(w.ports, target(w), opts({signal: abort.signal}))
    expect(abort.signal.aborted).toBe(true)
    expect(result.outcome).toBe('interrupted')
    expect(w.count('CompleteLifecycleAction')).toBe(0)
  })

  it('a time-boxed run suspends, and a second run resumes and completes (the Lambda hand-over)', async () => {
    const w = world().withHook()
    const startedAt = w.clock.now()
    const first = await drainInstance(w.ports, target(w), opts({runDeadline: startedAt + 30_000}))
    expect(first.outcome).toBe('suspended')
    expect(w.count('CompleteLifecycleAction')).toBe(0)
    const second = await drainInstance(
      w.ports,
      target(w),
      opts({startedAt, runDeadline: w.clock.now() + 15 * MIN}),
    )
    expect(second.outcome).toBe('drained')
    expect(w.completions).toHaveLength(1)
    expect(w.count('UpdateContainerInstancesState')).toBe(1)
  })

  it('--no-complete leaves the action pending; --no-wait returns after DRAINING', async () => {
    const w = world().withHook()
    const kept = await drainInstance(w.ports, target(w), opts({noComplete: true}))
    expect(kept.outcome).toBe('drained')
    expect(kept.lifecycleAction).toMatchObject({result: null, note: expect.stringMatching(/--no-complete/)})
    expect(w.count('CompleteLifecycleAction')).toBe(0)

    const w2 = world().withHook()
    const quick = await drainInstance(w2.ports, target(w2), opts({noWait: true}))
    expect(quick.outcome).toBe('draining')
    expect(w2.target.status).toBe('DRAINING')
    expect(w2.count('ListTasks:RUNNING')).toBe(1) // the plan's look only
  })

  it('reports an action completed elsewhere and drains on without completing', async () => {
    const w = world().withHook()
    const o = opts()
    o.onEvent = (e) => {
      if (e.type === 'started') w.action!.active = false
    }
    const result = await drainInstance(w.ports, target(w), o)
    expect(result.outcome).toBe('drained')
    expect(result.blockers.map((b) => b.kind)).toContain('lifecycle-action-gone')
    expect(w.completions).toHaveLength(0)
  })

  it('reports "unable to place" events and tasks stuck stopping while it waits', async () => {
    const w = world()
    w.tasks[1]!.stopMs = 20 * MIN
    const o = opts({stuckAfterMs: 5 * MIN})
    o.onEvent = (e) => {
      if (e.type === 'started') {
        w.services[0]!.events.unshift({
          id: 'e1',
          createdAt: new Date(w.clock.now()),
          message:
            '(service web) was unable to place a task because no container instance met all of its requirements.',
        })
      }
    }
    const result = await drainInstance(w.ports, target(w), o)
    expect(result.outcome).toBe('drained')
    const kinds = result.blockers.map((b) => b.kind)
    expect(kinds).toContain('unable-to-place')
    expect(kinds).toContain('stuck-stopping')
  })

  it('polls with calls that scale with the instance, not the cluster', async () => {
    const w = world()
    for (let i = 3; i < 1000; i++) w.instances.push(instance(i))
    await drainInstance(w.ports, target(w), opts())
    expect(w.count('ListContainerInstances')).toBe(1) // preflight only
    const polls = w.count('ListTasks:RUNNING')
    expect(polls).toBeGreaterThan(5)
    expect(w.count('ListTasks:STOPPED')).toBe(polls)
    expect(w.count('DescribeTasks')).toBeLessThanOrEqual(polls)
    expect(w.count('DescribeServices')).toBeLessThanOrEqual(polls)
    // Per poll: two ListTasks, one DescribeTasks, one DescribeServices; plus the plan's few.
    expect(w.calls.length).toBeLessThanOrEqual(4 * polls + 5)
  })

  it('--dry-run plans and changes nothing', async () => {
    const w = world().withHook()
    const plan = await planDrain(w.ports, target(w), opts({dryRun: true}))
    expect(plan.report.tasks).toEqual({replica: 2, daemon: 0, standalone: 0})
    const result = await executeDrain(w.ports, plan, opts({dryRun: true}))
    expect(result.outcome).toBe('dry-run')
    expect(w.count('UpdateContainerInstancesState') + w.count('RecordLifecycleActionHeartbeat')).toBe(0)
  })

  it('planning asks for --hook when the group has several terminating hooks', async () => {
    const w = world().withHook()
    w.hooks.push({...w.hooks[0]!, hookName: 'other'})
    await expect(planDrain(w.ports, target(w), opts())).rejects.toMatchObject({
      code: 'AMBIGUOUS_HOOK',
      exitCode: 2,
    })
    const chosen = await drainInstance(w.ports, target(w), opts({hookName: 'drain-hook'}))
    expect(chosen.lifecycleAction).toMatchObject({hook: 'drain-hook', result: 'CONTINUE'})
  })
})
