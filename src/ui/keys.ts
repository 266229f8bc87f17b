/**
 * What each key does, as a plain function of the state: the App component only forwards ink's key events
 * here, so the key map is tested without a terminal. The keys that change something (d, u, c, h) ask first,
 * check what they can before asking (c: complete's guard), and do nothing but say so under --readonly.
 */
import type {ActionRunner} from '../core/watch/actions.js'
import {READONLY_NOTICE} from '../core/watch/actions.js'
import type {DetailsController} from '../core/watch/details-follower.js'
import type {InstanceView} from '../core/types.js'
import type {Store} from '../core/watch/store.js'
import {selectedRow} from './instances-view.js'
import {EVENT_SOURCES, nextOf, SORT_KEYS, type ViewStore} from './view.js'

export interface KeyInfo {
  upArrow?: boolean
  downArrow?: boolean
  pageUp?: boolean
  pageDown?: boolean
  home?: boolean
  end?: boolean
  escape?: boolean
  return?: boolean
  backspace?: boolean
  delete?: boolean
  ctrl?: boolean
  meta?: boolean
  tab?: boolean
}

export interface KeyContext {
  store: Store
  view: ViewStore
  runner: ActionRunner
  details: DetailsController
  /** The instances as the table shows them (filtered and sorted). */
  visible: () => InstanceView[]
  /** Rows a page moves: the table's on the main screen, the body's on the others. */
  pageSize: number
  quit: () => void
}

export const ACTION_KEYS = 'duch'

function notice(ctx: KeyContext, text: string | null) {
  ctx.store.dispatch({type: 'notice', text})
}

function onPrompt(input: string, key: KeyInfo, ctx: KeyContext): void {
  const {view} = ctx
  const prompt = view.getState().prompt!
  if (prompt.kind === 'filter') {
    const filter = view.getState().filter
    if (key.return) return view.dispatch({type: 'prompt', prompt: null})
    if (key.escape) {
      view.dispatch({type: 'filter', text: ''})
      return view.dispatch({type: 'prompt', prompt: null})
    }
    if (key.backspace || key.delete) return view.dispatch({type: 'filter', text: filter.slice(0, -1)})
    if (input && !key.ctrl && !key.meta && !key.tab) view.dispatch({type: 'filter', text: filter + input})
    return
  }
  view.dispatch({type: 'prompt', prompt: null})
  if (input === 'y' || input === 'Y') void ctx.runner.run(prompt.action, prompt.instanceId)
  else notice(ctx, `${prompt.action} ${prompt.instanceId}: cancelled, nothing changed`)
}

function ask(ctx: KeyContext, action: 'drain' | 'undrain' | 'complete', instanceId: string, text: string) {
  // An answer that arrives after another prompt was opened must not replace it.
  if (ctx.view.getState().prompt) return
  ctx.view.dispatch({type: 'prompt', prompt: {kind: 'confirm', action, instanceId, text}})
}

function onAction(input: string, instance: InstanceView | undefined, ctx: KeyContext): void {
  if (ctx.store.getState().readonly) return notice(ctx, READONLY_NOTICE)
  if (!instance) return notice(ctx, 'No instance selected')
  const id = instance.ec2InstanceId
  if (ctx.runner.isBusy(id)) return notice(ctx, `${id} is busy: wait for the current action to end`)
  const tasks = `${instance.runningTasksCount} running, ${instance.pendingTasksCount} pending`
  const terminating = instance.lifecycleState?.startsWith('Terminating')
  switch (input) {
    case 'd': {
      const complete = instance.lifecycleHook ? ', then complete its lifecycle action' : ''
      return ask(ctx, 'drain', id, `Drain ${id} (${tasks})${complete}?`)
    }
    case 'u': {
      if (instance.status === 'ACTIVE') return notice(ctx, `${id} is already ACTIVE: nothing to undrain`)
      const warn = terminating ? ` It is ${instance.lifecycleState}: Auto Scaling terminates it anyway.` : ''
      return ask(
        ctx,
        'undrain',
        id,
        `Undrain ${id} (${instance.status} → ACTIVE: ECS may place tasks on it again)?${warn}`,
      )
    }
    case 'c': {
      // complete's guard runs before the question: an operator is never asked for what would be refused.
      notice(ctx, `checking ${id}: a pending lifecycle action, and no task still live…`)
      void ctx.runner.check('complete', id).then((refusal) => {
        if (refusal) return
        notice(ctx, null)
        ask(
          ctx,
          'complete',
          id,
          `Complete the lifecycle action of ${id} with CONTINUE (no task is live; it terminates)?`,
        )
      })
      return
    }
    case 'h':
      void ctx.runner.run('heartbeat', id)
      return
  }
}

function move(ctx: KeyContext, delta: number): void {
  const visible = ctx.visible()
  if (visible.length === 0) return
  const {index} = selectedRow(visible, ctx.view.getState())
  const next = Math.max(0, Math.min(index + delta, visible.length - 1))
  ctx.view.dispatch({type: 'select', id: visible[next]!.ec2InstanceId, index: next})
}

function scroll(ctx: KeyContext, delta: number): void {
  ctx.view.dispatch({type: 'scroll', to: ctx.view.getState().scroll + delta})
}

export function handleKey(input: string, key: KeyInfo, ctx: KeyContext): void {
  const {store, view} = ctx
  const v = view.getState()
  if (v.prompt) return onPrompt(input, key, ctx)
  if (input === 'q') return ctx.quit()
  if (store.getState().notice) notice(ctx, null)
  if (v.help) {
    if (input === '?' || key.escape) view.dispatch({type: 'help'})
    return
  }
  if (input === '?') return view.dispatch({type: 'help'})

  const page = Math.max(1, ctx.pageSize)
  const delta = key.upArrow || input === 'k' ? -1 : key.downArrow || input === 'j' ? 1 : 0
  const pageDelta = key.pageUp ? -page : key.pageDown ? page : 0
  const edge = key.home ? -Infinity : key.end ? Infinity : 0

  if (v.screen === 'events') {
    if (key.escape || input === 'e') return view.dispatch({type: 'screen', screen: 'main'})
    if (input === 's') return view.dispatch({type: 'source', source: nextOf(EVENT_SOURCES, v.eventSource)})
    if (delta || pageDelta) return scroll(ctx, delta + pageDelta)
    if (edge) return view.dispatch({type: 'scroll', to: edge < 0 ? 0 : Number.MAX_SAFE_INTEGER})
    return
  }

  const selected = selectedRow(ctx.visible(), v).instance
  if (v.screen === 'details') {
    if (key.escape || key.return) {
      ctx.details.close()
      return view.dispatch({type: 'screen', screen: 'main'})
    }
    if (delta || pageDelta) return scroll(ctx, delta + pageDelta)
    if (input === 'e') return view.dispatch({type: 'screen', screen: 'events'})
    // The actions work on the instance shown, which is the selected one.
    const shown = store
      .getState()
      .instances.find((i) => i.ec2InstanceId === store.getState().details?.ec2InstanceId)
    if (input && ACTION_KEYS.includes(input)) return onAction(input, shown, ctx)
    return
  }

  if (delta || pageDelta) return move(ctx, delta + pageDelta)
  if (edge) return move(ctx, edge < 0 ? -ctx.visible().length : ctx.visible().length)
  if (key.return) {
    if (!selected) return notice(ctx, 'No instance selected')
    void ctx.details.open(selected.ec2InstanceId)
    return view.dispatch({type: 'screen', screen: 'details'})
  }
  if (key.escape && v.filter) return view.dispatch({type: 'filter', text: ''})
  // Fast typing or a paste arrives as one string: "/term" is the filter and its text; anything else that
  // long is not a key press, so that a pasted "dy" can never drain.
  if (input.length > 1) {
    if (!input.startsWith('/')) return
    view.dispatch({type: 'prompt', prompt: {kind: 'filter'}})
    return view.dispatch({type: 'filter', text: input.slice(1)})
  }
  switch (input) {
    case '/':
      return view.dispatch({type: 'prompt', prompt: {kind: 'filter'}})
    case 'o':
      return view.dispatch({type: 'sort', key: nextOf(SORT_KEYS, v.sort.key), descending: false})
    case 'O':
      return view.dispatch({type: 'sort', key: v.sort.key, descending: !v.sort.descending})
    case 'e':
      return view.dispatch({type: 'screen', screen: 'events'})
    case 's':
      return view.dispatch({type: 'source', source: nextOf(EVENT_SOURCES, v.eventSource)})
  }
  if (input && ACTION_KEYS.includes(input)) onAction(input, selected, ctx)
}
