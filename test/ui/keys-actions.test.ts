import {describe, expect, it} from 'vitest'

import {RefusedError} from '../../src/core/errors.js'
import {createActionRunner, type InstanceActions} from '../../src/core/watch/actions.js'
import {startAutoDrain} from '../../src/core/watch/auto-drain.js'
import {handleKey} from '../../src/ui/keys.js'
import {createStore, initialState} from '../../src/core/watch/store.js'
import {instance, snapshot, T0, terminating} from './fixtures.js'

function setup(instances = [instance(1), terminating(2)]) {
  const store = createStore(initialState({cluster: 'todobackend-cluster', location: 'us-east-1', now: T0}))
  store.dispatch({
    type: 'poll',
    update: {kind: 'snapshot', snapshot: snapshot({instances}), at: new Date(T0), durationMs: 1},
  })
  const calls: string[] = []
  let refreshes = 0
  const actions: InstanceActions = {
    drain: async (id, report) => {
      calls.push(`drain ${id}`)
      report.progress('1 task left')
      report.event('heartbeat sent')
      report.heartbeatDeadline(new Date(T0 + 900_000))
      return 'drained; lifecycle action completed (CONTINUE)'
    },
    undrain: async (id) => {
      calls.push(`undrain ${id}`)
      return 'ACTIVE'
    },
    complete: async (id) => {
      calls.push(`complete ${id}`)
      throw new RefusedError(`1 task still runs on ${id}`, {suggestion: 'drain it first'})
    },
    heartbeat: async (id) => {
      calls.push(`heartbeat ${id}`)
      return 'heartbeat recorded'
    },
  }
  const runner = createActionRunner({store, actions, now: () => T0, afterAction: () => (refreshes += 1)})
  let quit = 0
  const key = (input: string, k = {}) =>
    handleKey(input, k, {store, runner, pageSize: 10, quit: () => (quit += 1)})
  return {store, runner, calls, key, quits: () => quit, refreshes: () => refreshes}
}

describe('keys', () => {
  it('d asks first; y drains the selected instance through the actions, with progress and events', async () => {
    const h = setup()
    h.key('', {downArrow: true})
    h.key('d')
    expect(h.calls).toEqual([])
    expect(h.store.getState().mode).toMatchObject({
      kind: 'confirm',
      action: 'drain',
      instanceId: terminating(2).ec2InstanceId,
    })
    expect(h.store.getState().mode.kind === 'confirm' && h.store.getState().mode).toMatchObject({
      prompt: expect.stringContaining('then complete its lifecycle action'),
    })
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`drain ${terminating(2).ec2InstanceId}`])
    const s = h.store.getState()
    expect(s.mode.kind).toBe('normal')
    expect(s.actions[terminating(2).ec2InstanceId]).toMatchObject({kind: 'drain', state: 'done'})
    expect(s.events.map((e) => e.message)).toEqual([
      expect.stringContaining('drained; lifecycle action completed'),
      `${terminating(2).ec2InstanceId}: heartbeat sent`,
      `draining ${terminating(2).ec2InstanceId}`,
    ])
    expect(s.deadlines[terminating(2).ec2InstanceId]?.getTime()).toBe(T0 + 900_000)
    expect(s.events.every((e) => e.source === 'ecsdrain')).toBe(true)
    expect(h.refreshes()).toBe(1)
  })

  it('any other key cancels the confirmation, and nothing is changed', async () => {
    const h = setup()
    h.key('d')
    h.key('n')
    await h.runner.settled()
    expect(h.calls).toEqual([])
    expect(h.store.getState().notice).toContain('cancelled, nothing changed')
  })

  it('c asks, then a refusal from the guarded complete is shown, not thrown', async () => {
    const h = setup()
    h.key('c')
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`complete ${instance(1).ec2InstanceId}`])
    const s = h.store.getState()
    expect(s.actions[instance(1).ec2InstanceId]).toMatchObject({state: 'failed'})
    expect(s.notice).toContain('still runs')
    expect(s.notice).toContain('drain it first')
    expect(s.events[0]).toMatchObject({level: 'error', source: 'ecsdrain'})
  })

  it('u and h act at once; q quits; ? toggles help and blocks actions while shown', async () => {
    const h = setup()
    h.key('u')
    await h.runner.settled()
    h.key('h')
    await h.runner.settled()
    expect(h.calls).toEqual([
      `undrain ${instance(1).ec2InstanceId}`,
      `heartbeat ${instance(1).ec2InstanceId}`,
    ])
    h.key('?')
    h.key('u')
    await h.runner.settled()
    expect(h.calls).toHaveLength(2)
    h.key('', {escape: true})
    expect(h.store.getState().mode.kind).toBe('normal')
    h.key('q')
    expect(h.quits()).toBe(1)
  })

  it('refuses a second action on a busy instance', async () => {
    const h = setup()
    let release!: () => void
    const slow = createActionRunner({
      store: h.store,
      now: () => T0,
      actions: {
        drain: () => new Promise((resolve) => (release = () => resolve('drained'))),
        undrain: async () => 'ACTIVE',
        complete: async () => 'done',
        heartbeat: async () => 'ok',
      },
    })
    const first = slow.run('drain', 'i-1')
    expect(slow.isBusy('i-1')).toBe(true)
    await slow.run('undrain', 'i-1')
    expect(h.store.getState().notice).toContain('busy')
    release()
    await first
    expect(slow.isBusy('i-1')).toBe(false)
  })
})

describe('auto-drain', () => {
  it('drains each instance entering Terminating:Wait once, and says so', async () => {
    const h = setup([instance(1)])
    const stop = startAutoDrain(h.store, h.runner)
    expect(h.calls).toEqual([])
    const next = () =>
      h.store.dispatch({
        type: 'poll',
        update: {
          kind: 'snapshot',
          snapshot: snapshot({instances: [instance(1), terminating(2)]}),
          at: new Date(T0),
          durationMs: 1,
        },
      })
    next()
    await h.runner.settled()
    next()
    await h.runner.settled()
    expect(h.calls).toEqual([`drain ${terminating(2).ec2InstanceId}`])
    expect(h.store.getState().events.map((e) => e.message)).toContain(
      `auto-drain (Terminating:Wait): draining ${terminating(2).ec2InstanceId}`,
    )
    stop()
  })
})
