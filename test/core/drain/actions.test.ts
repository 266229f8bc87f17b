import {describe, expect, it} from 'vitest'

import {completeAction, heartbeatAction, undrainInstance} from '../../../src/core/drain/index.js'
import {FakeWorld, instance, task} from './fake-world.js'

function world(): FakeWorld {
  const w = new FakeWorld()
  w.instances = [instance(1), instance(2)]
  w.tasks = [{task: task(w.instances[0]!, 'service:web'), leaveAfterMs: Infinity, stopMs: 0}]
  return w.withHook(600)
}

const target = (w: FakeWorld) => ({cluster: 'c1', instance: {...w.target}})

describe('completeAction', () => {
  it('refuses CONTINUE (exit 4) while tasks live, and completes with --force', async () => {
    const w = world()
    const id = w.target.ec2InstanceId
    await expect(completeAction(w.ports, id, target(w), {result: 'CONTINUE'})).rejects.toMatchObject({
      exitCode: 4,
      code: 'TASKS_STILL_RUNNING',
    })
    expect(w.count('CompleteLifecycleAction')).toBe(0)
    const done = await completeAction(w.ports, id, target(w), {result: 'CONTINUE', force: true})
    expect(done).toMatchObject({hook: 'drain-hook', group: 'asg1', result: 'CONTINUE', liveTasks: 1})
    expect(w.completions).toHaveLength(1)
  })

  it('refuses while a task is DEACTIVATING (told to stop, not yet STOPPED): runningTasksCount is not the rule', async () => {
    const w = world()
    const t = w.tasks[0]!.task
    t.desiredStatus = 'STOPPED'
    t.lastStatus = 'DEACTIVATING'
    await expect(
      completeAction(w.ports, w.target.ec2InstanceId, target(w), {result: 'CONTINUE'}),
    ).rejects.toMatchObject({exitCode: 4, code: 'TASKS_STILL_RUNNING'})
    expect(w.count('CompleteLifecycleAction')).toBe(0)
    t.lastStatus = 'STOPPED'
    await completeAction(w.ports, w.target.ec2InstanceId, target(w), {result: 'CONTINUE'})
    expect(w.completions).toHaveLength(1)
  })

  it('finds hook and group itself and completes an empty instance', async () => {
    const w = world()
    w.tasks = []
    await completeAction(w.ports, w.target.ec2InstanceId, target(w), {result: 'ABANDON'})
    expect(w.completions[0]).toMatchObject({
      result: 'ABANDON',
      ref: {hookName: 'drain-hook', autoScalingGroupName: 'asg1'},
    })
  })

  it('explains an action that was already completed or expired', async () => {
    const w = world()
    w.tasks = []
    w.action!.active = false
    await expect(
      completeAction(w.ports, w.target.ec2InstanceId, target(w), {result: 'CONTINUE'}),
    ).rejects.toMatchObject({
      code: 'NO_ACTIVE_LIFECYCLE_ACTION',
      message: expect.stringMatching(/No active Lifecycle Action found/),
    })
  })

  it('asks for --hook when the group has several terminating hooks, and says when nothing is pending', async () => {
    const w = world()
    w.hooks.push({...w.hooks[0]!, hookName: 'second'})
    await expect(
      completeAction(w.ports, w.target.ec2InstanceId, null, {result: 'CONTINUE'}),
    ).rejects.toMatchObject({
      exitCode: 2,
      suggestion: expect.stringMatching(/--hook .*drain-hook, second/),
    })
    w.asg!.lifecycleState = 'InService'
    await expect(
      completeAction(w.ports, w.target.ec2InstanceId, null, {result: 'CONTINUE'}),
    ).rejects.toMatchObject({
      code: 'NO_PENDING_ACTION',
      message: expect.stringMatching(/InService/),
    })
  })
})

describe('heartbeatAction', () => {
  it('records a heartbeat and returns the new deadline', async () => {
    const w = world()
    const r = await heartbeatAction(w.ports, w.target.ec2InstanceId, {})
    expect(w.heartbeats).toEqual([w.clock.now()])
    expect(r.heartbeatDeadline).toBe(new Date(w.clock.now() + 600_000).toISOString())
    expect(r.globalDeadline).toBe(new Date(w.action!.startedAt + 60_000_000).toISOString())
  })
})

describe('undrainInstance', () => {
  it('sets ACTIVE again and warns when the instance is terminating anyway', async () => {
    const w = world()
    w.target.status = 'DRAINING'
    const r = await undrainInstance(w.ports, target(w))
    expect(r).toMatchObject({previousStatus: 'DRAINING', status: 'ACTIVE'})
    expect(w.target.status).toBe('ACTIVE')
    expect(r.warnings.join()).toMatch(/Terminating:Wait.*terminate it anyway/)
  })
})
