/**
 * The "drained" rule against a fake ECS that answers exactly what it is asked, at the moment it answers,
 * and models the race that once completed a drain early: a ListTasks(RUNNING) that is throttled and retried
 * is answered after a ListTasks(STOPPED) sent beside it, and the task changes its desiredStatus in between.
 */
import {describe, expect, it} from 'vitest'

import {InstanceTasks, liveTasksOnInstance, type TaskListingPort} from '../../../src/core/drain/live-tasks.js'
import type {TaskInfo} from '../../../src/core/types.js'
import {taskInfo} from '../../helpers/core-shapes.js'

const CI = 'arn:aws:ecs:eu-west-1:1:container-instance/c1/a'

class RacyEcs implements TaskListingPort {
  readonly tasks = new Map<string, TaskInfo>()
  readonly calls: string[] = []
  /** Runs once, right after a ListTasks(STOPPED) answer: the scheduler stops the task then. */
  afterStoppedList: (() => void) | null = null

  add(arn: string, lastStatus: string, desiredStatus: string): void {
    this.tasks.set(
      arn,
      taskInfo({taskArn: arn, containerInstanceArn: CI, group: 'service:web'}, {lastStatus, desiredStatus}),
    )
  }

  async listTaskArnsOnInstance(_cluster: string, ci: string, desiredStatus: 'RUNNING' | 'STOPPED') {
    this.calls.push(`ListTasks ${desiredStatus}`)
    if (desiredStatus === 'STOPPED') {
      const answer = this.answer(ci, 'STOPPED')
      this.afterStoppedList?.()
      this.afterStoppedList = null
      return answer
    }
    // Throttled once and retried: answered a little later, from the world as it is then.
    await new Promise((resolve) => setTimeout(resolve, 2))
    return this.answer(ci, 'RUNNING')
  }

  async describeTasks(_cluster: string, arns: string[]) {
    this.calls.push(`DescribeTasks ${arns.join(',')}`)
    return arns.filter((a) => this.tasks.has(a)).map((a) => ({...this.tasks.get(a)!}))
  }

  private answer(ci: string, desiredStatus: string): string[] {
    return [...this.tasks.values()]
      .filter((t) => t.containerInstanceArn === ci && t.desiredStatus === desiredStatus)
      .map((t) => t.taskArn)
  }
}

describe('InstanceTasks: drained means every task ever seen is STOPPED', () => {
  it('sees a task whose desiredStatus changes between the two lists (the premature-CONTINUE race)', async () => {
    const ecs = new RacyEcs()
    ecs.add('t1', 'RUNNING', 'RUNNING')
    ecs.afterStoppedList = () => ecs.add('t1', 'DEACTIVATING', 'STOPPED')
    const live = await liveTasksOnInstance(ecs, 'c1', CI)
    expect(live.map((t) => [t.taskArn, t.lastStatus])).toEqual([['t1', 'DEACTIVATING']])
  })

  it('keeps describing a task seen live when no list names it any more', async () => {
    const ecs = new RacyEcs()
    ecs.add('t1', 'RUNNING', 'RUNNING')
    const watch = new InstanceTasks('c1', CI)
    await watch.live(ecs)
    // Listed nowhere now (say, a list lagging behind), but still DEACTIVATING
    ecs.tasks.delete('t1')
    ecs.calls.length = 0
    const gone = await watch.live(ecs).catch((e: unknown) => e)
    expect(gone).toMatchObject({transient: true, awsCode: 'TaskMissing'})
    ecs.add('t1', 'DEACTIVATING', 'STOPPED')
    expect((await watch.live(ecs)).map((t) => t.lastStatus)).toEqual(['DEACTIVATING'])
    ecs.add('t1', 'STOPPED', 'STOPPED')
    expect(await watch.live(ecs)).toEqual([])
  })

  it('asks DescribeTasks only for tasks not yet known STOPPED', async () => {
    const ecs = new RacyEcs()
    ecs.add('done', 'STOPPED', 'STOPPED')
    ecs.add('t1', 'STOPPING', 'STOPPED')
    const watch = new InstanceTasks('c1', CI)
    await watch.live(ecs)
    await watch.live(ecs)
    expect(ecs.calls.filter((c) => c.startsWith('Describe'))).toEqual([
      'DescribeTasks done,t1',
      'DescribeTasks t1',
    ])
  })

  it('makes no DescribeTasks call for an instance with no tasks at all', async () => {
    const ecs = new RacyEcs()
    expect(await liveTasksOnInstance(ecs, 'c1', CI)).toEqual([])
    expect(ecs.calls).toEqual(['ListTasks RUNNING', 'ListTasks STOPPED'])
  })
})
