/**
 * What each key does, as a plain function of the state: the App component only forwards ink's key events
 * here, so the key map can be tested without a terminal.
 */
import type {ActionRunner} from '../core/watch/actions.js'
import {selectedInstance, type Store} from '../core/watch/store.js'

export interface KeyInfo {
  upArrow?: boolean
  downArrow?: boolean
  pageUp?: boolean
  pageDown?: boolean
  home?: boolean
  end?: boolean
  escape?: boolean
  return?: boolean
}

export function handleKey(
  input: string,
  key: KeyInfo,
  ctx: {store: Store; runner: ActionRunner; pageSize: number; quit: () => void},
): void {
  const {store, runner} = ctx
  const state = store.getState()
  if (input === 'q') return ctx.quit()

  if (state.mode.kind === 'confirm') {
    const {action, instanceId} = state.mode
    store.dispatch({type: 'cancel'})
    if (input === 'y' || input === 'Y') void runner.run(action, instanceId)
    else store.dispatch({type: 'notice', text: `${action} ${instanceId}: cancelled, nothing changed`})
    return
  }
  if (state.mode.kind === 'help') {
    if (input === '?' || key.escape) store.dispatch({type: 'help'})
    return
  }

  const move = (delta: number) => store.dispatch({type: 'move', delta})
  if (key.upArrow || input === 'k') return move(-1)
  if (key.downArrow || input === 'j') return move(1)
  if (key.pageUp) return move(-ctx.pageSize)
  if (key.pageDown) return move(ctx.pageSize)
  if (key.home) return move(-state.instances.length)
  if (key.end) return move(state.instances.length)
  if (input === '?') return store.dispatch({type: 'help'})

  if (!'duch'.includes(input) || input === '') return
  const instance = selectedInstance(state)
  if (!instance) {
    store.dispatch({type: 'notice', text: 'No instance selected'})
    return
  }
  const id = instance.ec2InstanceId
  const tasks = `${instance.runningTasksCount} running, ${instance.pendingTasksCount} pending`
  switch (input) {
    case 'd': {
      const complete = instance.lifecycleHook ? ', then complete its lifecycle action' : ''
      store.dispatch({
        type: 'confirm',
        action: 'drain',
        instanceId: id,
        prompt: `Drain ${id} (${tasks})${complete}?`,
      })
      return
    }
    case 'c':
      store.dispatch({
        type: 'confirm',
        action: 'complete',
        instanceId: id,
        prompt: `Complete the lifecycle action of ${id} with CONTINUE (${tasks})?`,
      })
      return
    case 'u':
      void runner.run('undrain', id)
      return
    case 'h':
      void runner.run('heartbeat', id)
      return
  }
}
