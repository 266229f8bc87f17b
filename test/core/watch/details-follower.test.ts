/**
 * The details view's loader: one instance, only while open, one load at a time, and never a stale answer.
 * The fake answers exactly what it is asked (DescribeTasks returns only the ARNs requested), and can hold a
 * ListTasks open, so that a test can land a refresh or a switch in the middle of a load.
 */
import {describe, expect, it} from 'vitest'

import type {TaskListingPort} from '../../../src/core/drain/live-tasks.js'
import type {TaskInfo} from '../../../src/core/types.js'
import {createDetailsFollower} from '../../../src/core/watch/details-follower.js'
import {createStore, initialState} from '../../../src/core/watch/store.js'
import {taskInfo} from '../../helpers/core-shapes.js'
import {instance, snapshot, T0} from '../../ui/fixtures.js'

/** Lets a started load reach its first (held) call. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

class FakeTasks implements TaskListingPort {
  readonly calls: string[] = []
  /** Tasks by container instance ARN. */
  readonly byInstance = new Map<string, TaskInfo[]>()
  private gate: Promise<void> | null = null
  private open: (() => void) | null = null
  failNext = false

  hold() {
    this.gate = new Promise((resolve) => (this.open = resolve))
  }
  release() {
    this.open?.()
    this.gate = null
  }

  async listTaskArnsOnInstance(_cluster: string, arn: string, desired: 'RUNNING' | 'STOPPED') {
    this.calls.push(`ListTasks ${arn.slice(-1)} ${desired}`)
    if (this.gate) await this.gate
    if (this.failNext) {
      this.failNext = false
      throw new Error('Rate exceeded')
    }
    return (this.byInstance.get(arn) ?? []).filter((t) => t.desiredStatus === desired).map((t) => t.taskArn)
  }

  async describeTasks(_cluster: string, arns: string[]) {
    this.calls.push(`DescribeTasks ${arns.length}`)
    const all = [...this.byInstance.values()].flat()
    return arns.map((a) => all.find((t) => t.taskArn === a)).filter((t) => t !== undefined)
  }
}

function setup(explain?: Parameters<typeof createDetailsFollower>[0]['explain']) {
  const store = createStore(initialState({cluster: 'c', location: 'us-east-1', now: T0}))
  store.dispatch({
    type: 'poll',
    update: {
      kind: 'snapshot',
      snapshot: snapshot({instances: [instance(1), instance(2)]}),
      at: new Date(T0),
      durationMs: 1,
    },
  })
  const ecs = new FakeTasks()
  for (const n of [1, 2]) {
    const ci = instance(n).containerInstanceArn
    ecs.byInstance.set(ci, [
      taskInfo({taskArn: `arn:task/c/live${n}`, containerInstanceArn: ci, group: 'service:todobackend'}),
      taskInfo(
        {taskArn: `arn:task/c/gone${n}`, containerInstanceArn: ci, group: 'service:todobackend'},
        {
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stoppedReason: 'Scaling activity initiated by deployment',
        },
      ),
    ])
  }
  const follower = createDetailsFollower({store, ecs, cluster: 'c', now: () => T0, explain})
  const ids = () => store.getState().details?.tasks.map((t) => `${t.taskId} ${t.lastStatus}`)
  return {store, ecs, follower, ids}
}

describe('details follower', () => {
  it('loads the open instance’s tasks with two ListTasks and one DescribeTasks, STOPPED ones after', async () => {
    const h = setup()
    await h.follower.open(instance(1).ec2InstanceId)
    expect(h.ecs.calls).toEqual(['ListTasks 1 RUNNING', 'ListTasks 1 STOPPED', 'DescribeTasks 2'])
    expect(h.store.getState().details).toMatchObject({
      state: 'ready',
      ec2InstanceId: instance(1).ec2InstanceId,
    })
    expect(h.ids()).toEqual(['live1 RUNNING', 'gone1 STOPPED'])
    expect(h.store.getState().details!.tasks[1]!.stoppedReason).toBe(
      'Scaling activity initiated by deployment',
    )
  })

  it('renders what a plugged-in explainer says, for the live tasks only', async () => {
    const asked: string[][] = []
    const h = setup((live) => {
      asked.push(live.map((t) => t.taskArn))
      return new Map(
        live.map((t) => [
          t.taskArn,
          {kind: 'deregistering', detail: 'from todobackend-tg', fix: 'wait', etaSeconds: 288},
        ]),
      )
    })
    await h.follower.open(instance(1).ec2InstanceId)
    expect(asked).toEqual([['arn:task/c/live1']])
    const [live, gone] = h.store.getState().details!.tasks
    expect(live!.reason).toEqual({
      kind: 'deregistering',
      detail: 'from todobackend-tg',
      fix: 'wait',
      etaSeconds: 288,
    })
    expect(gone!.reason).toBeUndefined()
  })

  it('a refresh during a load runs once after it, not once per refresh', async () => {
    const h = setup()
    await h.follower.open(instance(1).ec2InstanceId)
    h.ecs.calls.length = 0
    h.ecs.hold()
    const a = h.follower.refresh()
    await flush()
    const b = h.follower.refresh()
    const c = h.follower.refresh()
    h.ecs.release()
    await Promise.all([a, b, c])
    // The first refresh's load, and one more for the two that landed during it.
    expect(h.ecs.calls.filter((x) => x.startsWith('ListTasks') && x.endsWith('RUNNING'))).toHaveLength(2)
  })

  it('drops a late answer for an instance no longer shown: never shows one instance’s tasks under another', async () => {
    const h = setup()
    const shown: string[] = []
    h.store.subscribe(() => {
      const d = h.store.getState().details
      if (d) shown.push(`${d.ec2InstanceId.slice(-1)}: ${d.tasks.map((t) => t.taskId).join(',')}`)
    })
    h.ecs.hold()
    const first = h.follower.open(instance(1).ec2InstanceId)
    await flush()
    expect(h.ecs.calls).toEqual(['ListTasks 1 RUNNING'])
    const second = h.follower.open(instance(2).ec2InstanceId)
    h.ecs.release()
    await Promise.all([first, second])
    expect(h.store.getState().details?.ec2InstanceId).toBe(instance(2).ec2InstanceId)
    expect(h.ids()).toEqual(['live2 RUNNING', 'gone2 STOPPED'])
    // Both loads ran, one after the other, and the first one's answer was never shown.
    expect(h.ecs.calls.filter((x) => x.endsWith('RUNNING'))).toEqual([
      'ListTasks 1 RUNNING',
      'ListTasks 2 RUNNING',
    ])
    expect(shown.filter((x) => x.startsWith('2:') && x.includes('live1'))).toEqual([])
  })

  it('keeps the last answer and says why when a load fails; closing stops all loading', async () => {
    const h = setup()
    await h.follower.open(instance(1).ec2InstanceId)
    h.ecs.failNext = true
    await h.follower.refresh()
    expect(h.store.getState().details).toMatchObject({state: 'error', error: 'Rate exceeded'})
    expect(h.ids()).toEqual(['live1 RUNNING', 'gone1 STOPPED'])
    h.follower.close()
    h.ecs.calls.length = 0
    await h.follower.refresh()
    expect(h.store.getState().details).toBeNull()
    expect(h.ecs.calls).toEqual([])
  })

  it('says so when the instance has left the cluster, without a call', async () => {
    const h = setup()
    await h.follower.open(instance(1).ec2InstanceId)
    h.store.dispatch({
      type: 'poll',
      update: {
        kind: 'snapshot',
        snapshot: snapshot({instances: [instance(2)]}),
        at: new Date(T0),
        durationMs: 1,
      },
    })
    h.ecs.calls.length = 0
    await h.follower.refresh()
    expect(h.ecs.calls).toEqual([])
    expect(h.store.getState().details?.error).toContain('is no longer registered in c')
  })
})
