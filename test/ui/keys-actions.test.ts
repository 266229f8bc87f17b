import {describe, expect, it} from 'vitest'

import {RefusedError} from '../../src/core/errors.js'
import {createActionRunner, READONLY_NOTICE, type InstanceActions} from '../../src/core/watch/actions.js'
import {startAutoDrain} from '../../src/core/watch/auto-drain.js'
import type {DetailsController} from '../../src/core/watch/details-follower.js'
import {createStore, initialState} from '../../src/core/watch/store.js'
import type {InstanceView} from '../../src/core/types.js'
import {createVisibleSelector, selectedRow} from '../../src/ui/instances-view.js'
import {handleKey, type KeyInfo} from '../../src/ui/keys.js'
import {createViewStore} from '../../src/ui/view.js'
import {instance, snapshot, T0, terminating} from './fixtures.js'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

function setup(
  instances: InstanceView[] = [instance(1), terminating(2)],
  opts: {readonly?: boolean; liveTasks?: number} = {},
) {
  const store = createStore(
    initialState({cluster: 'todobackend-cluster', location: 'us-east-1', now: T0, readonly: opts.readonly}),
  )
  store.dispatch({
    type: 'poll',
    update: {kind: 'snapshot', snapshot: snapshot({instances}), at: new Date(T0), durationMs: 1},
  })
  const view = createViewStore()
  const calls: string[] = []
  let refreshes = 0
  const actions: InstanceActions = {
    drain: async (id, report) => {
      calls.push(`drain ${id}`)
      report.progress('1 left, 0 stopping')
      report.event('heartbeat todobackend-drain: deadline pushed to 03:15:00')
      report.heartbeatDeadline(new Date(T0 + 900_000))
      return {summary: 'drained; lifecycle action completed (CONTINUE)', short: 'drained, CONTINUE sent'}
    },
    undrain: async (id) => {
      calls.push(`undrain ${id}`)
      return {summary: 'DRAINING → ACTIVE', short: 'ACTIVE'}
    },
    complete: async (id) => {
      calls.push(`complete ${id}`)
      return {summary: 'lifecycle action todobackend-drain completed (CONTINUE)', short: 'CONTINUE sent'}
    },
    heartbeat: async (id) => {
      calls.push(`heartbeat ${id}`)
      return {summary: 'heartbeat recorded; deadline 03:15:00', short: 'heartbeat sent'}
    },
    checkComplete: async (id) => {
      calls.push(`check ${id}`)
      if ((opts.liveTasks ?? 0) > 0) {
        throw new RefusedError(`${opts.liveTasks} task(s) still live on ${id}`, {
          suggestion: 'd drains it first',
        })
      }
    },
  }
  const runner = createActionRunner({
    store,
    actions,
    now: () => T0,
    readonly: opts.readonly,
    afterAction: () => (refreshes += 1),
  })
  const opened: string[] = []
  const details: DetailsController = {
    open: async (id) => void opened.push(`open ${id}`),
    close: () => void opened.push('close'),
    refresh: async () => {},
  }
  const select = createVisibleSelector()
  let quit = 0
  const key = (input: string, k: KeyInfo = {}) =>
    handleKey(input, k, {
      store,
      view,
      runner,
      details,
      visible: () => select(store.getState(), view.getState()),
      pageSize: 10,
      quit: () => (quit += 1),
    })
  const type = (text: string) => [...text].forEach((c) => key(c))
  const selected = () => selectedRow(select(store.getState(), view.getState()), view.getState()).instance
  const prompt = () => view.getState().prompt
  const messages = () => store.getState().events.map((e) => e.message)
  return {
    store,
    view,
    runner,
    calls,
    key,
    type,
    selected,
    prompt,
    messages,
    opened,
    quits: () => quit,
    refreshes: () => refreshes,
  }
}

const ID1 = instance(1).ec2InstanceId
const ID2 = terminating(2).ec2InstanceId

describe('action keys', () => {
  it('d asks first; y drains the selected instance: a start line, its heartbeat, and one outcome line', async () => {
    const h = setup()
    h.key('', {downArrow: true})
    h.key('d')
    expect(h.calls).toEqual([])
    expect(h.prompt()).toMatchObject({kind: 'confirm', action: 'drain', instanceId: ID2})
    expect(h.prompt()).toMatchObject({text: expect.stringContaining('then complete its lifecycle action')})
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`drain ${ID2}`])
    const s = h.store.getState()
    expect(h.prompt()).toBeNull()
    expect(s.actions[ID2]).toMatchObject({kind: 'drain', state: 'done', text: 'drained, CONTINUE sent'})
    expect(h.messages()).toEqual([
      `drain ${ID2}: drained; lifecycle action completed (CONTINUE)`,
      `drain ${ID2}: heartbeat todobackend-drain: deadline pushed to 03:15:00`,
    ])
    expect(s.deadlines[ID2]?.getTime()).toBe(T0 + 900_000)
    expect(s.events.every((e) => e.source === 'ecsdrain')).toBe(true)
    expect(h.refreshes()).toBe(1)
  })

  it('any other key cancels a confirmation, and nothing is changed', async () => {
    const h = setup()
    h.key('d')
    h.key('n')
    await h.runner.settled()
    expect(h.calls).toEqual([])
    expect(h.store.getState().notice).toContain('cancelled, nothing changed')
  })

  it('u asks like d; y undrains, and one key press gives exactly one events line', async () => {
    const h = setup([instance(1, {status: 'DRAINING'})])
    h.key('u')
    expect(h.calls).toEqual([])
    expect(h.prompt()).toMatchObject({kind: 'confirm', action: 'undrain', instanceId: ID1})
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`undrain ${ID1}`])
    expect(h.messages()).toEqual([`undrain ${ID1}: DRAINING → ACTIVE`])
  })

  it('u on an ACTIVE instance says there is nothing to undrain, and asks nothing', async () => {
    const h = setup([instance(1)])
    h.key('u')
    expect(h.prompt()).toBeNull()
    expect(h.store.getState().notice).toBe(`${ID1} is already ACTIVE: nothing to undrain`)
  })

  it("c checks complete's guard before asking: with tasks live it refuses, and no question is asked", async () => {
    const h = setup([terminating(2)], {liveTasks: 1})
    h.key('c')
    expect(h.store.getState().notice).toContain('checking')
    await flush()
    expect(h.calls).toEqual([`check ${ID2}`])
    expect(h.prompt()).toBeNull()
    expect(h.store.getState().notice).toBe(
      `complete refused: 1 task(s) still live on ${ID2} (d drains it first)`,
    )
    // A y now is just a key: nothing completes.
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`check ${ID2}`])
  })

  it('c with nothing live asks, and y completes', async () => {
    const h = setup([terminating(2)])
    h.key('c')
    await flush()
    expect(h.prompt()).toMatchObject({kind: 'confirm', action: 'complete', instanceId: ID2})
    h.key('y')
    await h.runner.settled()
    expect(h.calls).toEqual([`check ${ID2}`, `complete ${ID2}`])
    expect(h.messages()).toEqual([`complete ${ID2}: lifecycle action todobackend-drain completed (CONTINUE)`])
  })

  it('h heartbeats at once; q quits; ? toggles help, which takes no action key', async () => {
    const h = setup()
    h.key('h')
    await h.runner.settled()
    expect(h.calls).toEqual([`heartbeat ${ID1}`])
    h.key('?')
    h.key('h')
    await h.runner.settled()
    expect(h.calls).toHaveLength(1)
    h.key('', {escape: true})
    expect(h.view.getState().help).toBe(false)
    h.key('q')
    expect(h.quits()).toBe(1)
  })

  it('a failed action says why in the events, the ACTION cell and the notice', async () => {
    const h = setup()
    const runner = createActionRunner({
      store: h.store,
      now: () => T0,
      actions: {
        drain: async () => {
          throw new RefusedError('drain refused: last ACTIVE instance', {suggestion: 'nothing was changed'})
        },
        undrain: async () => ({summary: '', short: ''}),
        complete: async () => ({summary: '', short: ''}),
        heartbeat: async () => ({summary: '', short: ''}),
        checkComplete: async () => {},
      },
    })
    await runner.run('drain', ID1)
    const s = h.store.getState()
    expect(s.actions[ID1]).toMatchObject({
      state: 'failed',
      text: 'failed: drain refused: last ACTIVE instance',
    })
    expect(s.events[0]).toMatchObject({
      level: 'error',
      message: `drain ${ID1}: failed: drain refused: last ACTIVE instance (nothing was changed)`,
    })
    expect(s.notice).toContain('nothing was changed')
  })

  it('refuses a second action on a busy instance', async () => {
    const h = setup()
    let release!: () => void
    const slow = createActionRunner({
      store: h.store,
      now: () => T0,
      actions: {
        drain: () =>
          new Promise((resolve) => (release = () => resolve({summary: 'drained', short: 'drained'}))),
        undrain: async () => ({summary: 'ACTIVE', short: 'ACTIVE'}),
        complete: async () => ({summary: 'done', short: 'done'}),
        heartbeat: async () => ({summary: 'ok', short: 'ok'}),
        checkComplete: async () => {},
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

describe('watch --readonly', () => {
  it('takes no key that changes anything, and says so', async () => {
    const h = setup([instance(1, {status: 'DRAINING'}), terminating(2)], {readonly: true})
    for (const k of ['d', 'u', 'c', 'h']) {
      h.key(k)
      expect(h.prompt()).toBeNull()
      expect(h.store.getState().notice).toBe(READONLY_NOTICE)
    }
    await flush()
    await h.runner.settled()
    expect(h.calls).toEqual([])
  })

  it('the runner refuses too, whoever asks (a key map bug, auto-drain)', async () => {
    const h = setup([instance(1)], {readonly: true})
    await h.runner.run('drain', ID1)
    expect(await h.runner.check('complete', ID1)).toBe(READONLY_NOTICE)
    expect(h.calls).toEqual([])
  })
})

describe('find and sort', () => {
  const fleet = () => [
    instance(1, {availabilityZone: 'us-east-1a', runningTasksCount: 3}),
    instance(2, {availabilityZone: 'us-east-1b', status: 'DRAINING', runningTasksCount: 1}),
    terminating(3),
  ]

  it('/ filters as it is typed by id, AZ, status or lifecycle state; Enter keeps it, Esc clears it', () => {
    const h = setup(fleet())
    const ids = () =>
      createVisibleSelector()(h.store.getState(), h.view.getState()).map((i) => i.ec2InstanceId.slice(-1))
    h.key('/')
    h.type('term')
    expect(ids()).toEqual(['3'])
    h.key('', {backspace: true})
    h.key('', {backspace: true})
    h.key('', {backspace: true})
    h.key('', {backspace: true})
    h.type('1b')
    expect(ids()).toEqual(['2'])
    h.key('', {return: true})
    expect(h.prompt()).toBeNull()
    expect(ids()).toEqual(['2'])
    // While the filter is typed, letters are text: "d" and "q" neither drain nor quit.
    h.key('/')
    h.key('', {backspace: true})
    h.key('', {backspace: true})
    h.type('draining')
    expect(h.calls).toEqual([])
    expect(h.quits()).toBe(0)
    expect(ids()).toEqual(['2'])
    h.key('', {escape: true})
    expect(ids()).toEqual(['1', '2', '3'])
  })

  it('takes "/term" typed fast (one string) as the filter, and a pasted "dy" as no key at all', async () => {
    const h = setup(fleet())
    h.key('dy')
    await h.runner.settled()
    expect(h.prompt()).toBeNull()
    expect(h.calls).toEqual([])
    h.key('/term')
    expect(h.prompt()).toEqual({kind: 'filter'})
    expect(h.view.getState().filter).toBe('term')
  })

  it('o sorts by the next column and O reverses it; the selection stays on its instance', () => {
    const h = setup(fleet())
    h.key('', {downArrow: true})
    expect(h.selected()?.ec2InstanceId).toBe(instance(2).ec2InstanceId)
    h.key('o') // instance id
    h.key('o') // status: ACTIVE, ACTIVE, DRAINING
    h.key('o') // tasks (RUN)
    expect(h.view.getState().sort).toEqual({key: 'tasks', descending: false})
    const order = () =>
      createVisibleSelector()(h.store.getState(), h.view.getState()).map((i) => i.ec2InstanceId.slice(-1))
    expect(order()).toEqual(['2', '3', '1'])
    h.key('O')
    expect(order()).toEqual(['1', '2', '3'])
    expect(h.selected()?.ec2InstanceId).toBe(instance(2).ec2InstanceId)
  })
})

describe('screens', () => {
  it('Enter opens the selected instance’s details (its tasks load); Esc closes them', () => {
    const h = setup()
    h.key('', {downArrow: true})
    h.key('', {return: true})
    expect(h.view.getState().screen).toBe('details')
    expect(h.opened).toEqual([`open ${ID2}`])
    h.key('', {escape: true})
    expect(h.view.getState().screen).toBe('main')
    expect(h.opened).toEqual([`open ${ID2}`, 'close'])
  })

  it('e shows the events in full and s picks their source; both come back with Esc', () => {
    const h = setup()
    h.key('e')
    expect(h.view.getState().screen).toBe('events')
    h.key('s')
    expect(h.view.getState().eventSource).toBe('ecs')
    h.key('s')
    h.key('s')
    expect(h.view.getState().eventSource).toBe('ecsdrain')
    h.key('s')
    expect(h.view.getState().eventSource).toBe('all')
    h.key('', {escape: true})
    expect(h.view.getState().screen).toBe('main')
  })
})

describe('auto-drain', () => {
  it('drains each instance entering Terminating:Wait once, and says why', async () => {
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
    expect(h.calls).toEqual([`drain ${ID2}`])
    expect(h.messages()[0]).toBe(
      `drain ${ID2} (auto-drain: Terminating:Wait): drained; lifecycle action completed (CONTINUE)`,
    )
    stop()
  })
})
