/**
 * The "drained" rule (core's InstanceTasks) over the real ECS adapter, with a mocked ECS that answers only
 * what it is asked: ListTasks by desiredStatus, DescribeTasks for exactly the ARNs named. A rule that
 * trusted the lists, or an adapter that filtered or invented tasks, fails here.
 */
import {DescribeTasksCommand, ECSClient, ListTasksCommand, type Task} from '@aws-sdk/client-ecs'
import {mockClient} from 'aws-sdk-client-mock'
import {beforeEach, describe, expect, it} from 'vitest'

import {createEcsPort} from '../../src/aws/ecs-adapter.js'
import {InstanceTasks, liveTasksOnInstance} from '../../src/core/drain/live-tasks.js'
import {AwsApiError, isTransient} from '../../src/core/errors.js'

const ecsMock = mockClient(ECSClient)
const client = new ECSClient({region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}})
const port = createEcsPort(client)
const CI = 'arn:aws:ecs:us-east-1:123456789012:container-instance/c1/0000000000000000a'

/** The mocked account's tasks; the lists and describes below read it at the moment they are answered. */
let tasks: Map<string, Task>
/** ARNs ListTasks leaves out, as a list answered while a task changes its desiredStatus would. */
let unlisted: Set<string>
let describeBatches: string[][]

function put(arn: string, lastStatus: string, desiredStatus: string, extra: Partial<Task> = {}) {
  tasks.set(arn, {taskArn: arn, lastStatus, desiredStatus, group: 'service:web', ...extra})
}

beforeEach(() => {
  ecsMock.reset()
  tasks = new Map()
  unlisted = new Set()
  describeBatches = []
  ecsMock.on(ListTasksCommand).callsFake((input: {desiredStatus: string; containerInstance: string}) => {
    expect(input.containerInstance).toBe(CI)
    return {
      taskArns: [...tasks.values()]
        .filter((t) => t.desiredStatus === input.desiredStatus && !unlisted.has(t.taskArn!))
        .map((t) => t.taskArn!),
    }
  })
  ecsMock.on(DescribeTasksCommand).callsFake((input: {tasks: string[]}) => {
    describeBatches.push(input.tasks)
    return {
      tasks: input.tasks.filter((a) => tasks.has(a)).map((a) => tasks.get(a)!),
      failures: input.tasks.filter((a) => !tasks.has(a)).map((arn) => ({arn, reason: 'MISSING'})),
    }
  })
})

describe('live tasks on an instance, through the ECS adapter', () => {
  it('are the desired-RUNNING tasks plus the desired-STOPPED ones not yet STOPPED', async () => {
    put('t1', 'RUNNING', 'RUNNING', {cpu: '256', memory: '512'})
    put('t2', 'DEACTIVATING', 'STOPPED', {
      containers: [{name: 'a', cpu: '128', memoryReservation: '300', networkBindings: [{hostPort: 8080}]}],
    })
    put('t3', 'STOPPED', 'STOPPED', {group: 'family:batch'})
    const live = await liveTasksOnInstance(port, 'c1', CI)
    expect(live.map((t) => t.taskArn)).toEqual(['t1', 't2'])
    expect(live[1]).toMatchObject({cpu: 128, memory: 300, hostPorts: [8080]})
    expect(describeBatches).toEqual([['t1', 't2', 't3']])
  })

  it('keeps a task seen live that a later list leaves out, until DescribeTasks says STOPPED', async () => {
    put('t1', 'RUNNING', 'RUNNING')
    const watch = new InstanceTasks('c1', CI)
    expect((await watch.live(port)).map((t) => t.taskArn)).toEqual(['t1'])
    put('t1', 'DEACTIVATING', 'STOPPED')
    unlisted.add('t1') // in neither list: the race that once completed a drain early
    expect((await watch.live(port)).map((t) => [t.taskArn, t.lastStatus])).toEqual([['t1', 'DEACTIVATING']])
    put('t1', 'STOPPED', 'STOPPED')
    expect(await watch.live(port)).toEqual([])
  })

  it('describes a STOPPED task once, although ListTasks(STOPPED) goes on naming it', async () => {
    put('old', 'STOPPED', 'STOPPED')
    put('t1', 'RUNNING', 'RUNNING')
    const watch = new InstanceTasks('c1', CI)
    await watch.live(port)
    await watch.live(port)
    expect(describeBatches).toEqual([['t1', 'old'], ['t1']])
  })

  it('lists RUNNING first and STOPPED only after it is answered (a task changing between is in one)', async () => {
    const order: string[] = []
    ecsMock.on(ListTasksCommand).callsFake(async (input: {desiredStatus: string}) => {
      order.push(`start ${input.desiredStatus}`)
      await new Promise((r) => setTimeout(r, 5))
      order.push(`end ${input.desiredStatus}`)
      return {taskArns: []}
    })
    await liveTasksOnInstance(port, 'c1', CI)
    expect(order).toEqual(['start RUNNING', 'end RUNNING', 'start STOPPED', 'end STOPPED'])
  })

  it('describes 250 tasks in batches of 100, each answered only for its own ARNs', async () => {
    for (let i = 0; i < 250; i++) put(`t${i}`, i % 2 ? 'RUNNING' : 'STOPPING', i % 2 ? 'RUNNING' : 'STOPPED')
    const live = await liveTasksOnInstance(port, 'c1', CI)
    expect(live).toHaveLength(250)
    expect(describeBatches.map((b) => b.length).sort()).toEqual([100, 100, 50])
  })

  it('treats a task DescribeTasks calls MISSING as unknown (transient), never as stopped', async () => {
    put('t1', 'RUNNING', 'RUNNING')
    const watch = new InstanceTasks('c1', CI)
    await watch.live(port)
    tasks.delete('t1')
    const error = await watch.live(port).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AwsApiError)
    expect(isTransient(error)).toBe(true)
  })
})
