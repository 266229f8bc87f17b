/**
 * The premature-CONTINUE race, end to end: the built CLI drains a load-balanced todobackend instance while
 * the sim throttles 80 % of ListTasks calls (seeded). A throttled, retried ListTasks(RUNNING) used to be
 * answered after the task had moved to desiredStatus STOPPED, so it was in neither list and the drain
 * completed while the task was still DEACTIVATING. The sim records every CompleteLifecycleAction that arrives
 * while a task on the instance is not STOPPED, and every task still alive when its instance terminates:
 * both must stay at zero.
 *
 * On a real clock the race needs the task's one change of desiredStatus to land inside a retry window, so
 * this test guards the whole path rather than reproducing the race every run; test/core/drain/live-tasks.test.ts
 * reproduces it deterministically. Build first (`npm run build`).
 */
import {describe, expect, it} from 'vitest'

import {
  HOOK,
  drainSimPerTest,
  lifecycleState,
  parseResults,
  refreshUntilWaiting,
  until,
} from './drain-helpers.js'

const startSim = drainSimPerTest()

describe('ecsdrain drain under throttled ListTasks (e2e against the sim)', () => {
  it(
    'never completes the lifecycle action while a task on the instance is not STOPPED',
    {timeout: 150_000},
    async () => {
      const s = await startSim({faults: 'throttle=0.8@ListTasks', faultSeed: 11})
      const old = await refreshUntilWaiting(s)
      const r = await s.cli(['drain', old, '--yes', '--json', '--interval', '1s'], 120_000)
      expect(r.code, r.stderr).toBe(0)
      expect(parseResults(r.stdout)[0]).toMatchObject({
        outcome: 'drained',
        tasksRemaining: 0,
        lifecycleAction: {hook: HOOK, result: 'CONTINUE'},
      })
      // The instance terminates after CONTINUE; once it has left the group, the world has judged both.
      await until(
        'the old instance to leave the group',
        async () => ((await lifecycleState(s, old)) === null ? true : undefined),
        60_000,
      )
      const stats = await s.sim.fetchStats()
      expect(stats.operations['ecs:ListTasks']!.throttled).toBeGreaterThan(0)
      expect(stats.world!.prematureCompletions).toMatchObject({count: 0, events: []})
      expect(stats.world!.tasksAliveAtTermination).toMatchObject({count: 0, events: []})
    },
  )
})
