/**
 * What the operator is looking at, as k9s keeps it: which screen (the cluster, one instance's details, the
 * events in full), the selection, the `/` filter, the sort column, the events' source filter, and a prompt
 * (a confirmation, or the filter being typed). A reducer beside the session's store, so that the session and
 * the non-TTY modes carry no view state, and the key map can be tested without a terminal.
 */
import type {WatchEvent} from '../core/poller.js'
import {createStoreOf, type InstanceActionKind, type StoreOf} from '../core/watch/store.js'

export type Screen = 'main' | 'details' | 'events'

export type Prompt =
  {kind: 'confirm'; action: InstanceActionKind; instanceId: string; text: string} | {kind: 'filter'}

export type EventSource = 'all' | WatchEvent['source']

/** The instance table's sort orders, in the order `o` steps through them. */
export const SORT_KEYS = [
  'age',
  'instance',
  'status',
  'tasks',
  'memory',
  'az',
  'lifecycle',
  'deadline',
] as const
export type SortKey = (typeof SORT_KEYS)[number]

export const EVENT_SOURCES: readonly EventSource[] = ['all', 'ecs', 'autoscaling', 'ecsdrain']

export interface ViewState {
  screen: Screen
  /** The `?` overlay, over whichever screen is shown. */
  help: boolean
  prompt: Prompt | null
  /** The selected instance, followed across refreshes and re-sorts; the row, when it is gone. */
  selectedId: string | null
  selectedIndex: number
  /** Words that each must appear in the instance's id, AZ, status or lifecycle state (case ignored). */
  filter: string
  sort: {key: SortKey; descending: boolean}
  eventSource: EventSource
  /** The first line shown on the details and events screens. */
  scroll: number
}

export type ViewAction =
  | {type: 'select'; id: string | null; index: number}
  | {type: 'screen'; screen: Screen}
  | {type: 'help'}
  | {type: 'prompt'; prompt: Prompt | null}
  | {type: 'filter'; text: string}
  | {type: 'sort'; key: SortKey; descending: boolean}
  | {type: 'source'; source: EventSource}
  | {type: 'scroll'; to: number}

export function initialView(): ViewState {
  return {
    screen: 'main',
    help: false,
    prompt: null,
    selectedId: null,
    selectedIndex: 0,
    filter: '',
    sort: {key: 'age', descending: false},
    eventSource: 'all',
    scroll: 0,
  }
}

export function reduceView(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'select':
      if (state.selectedId === action.id && state.selectedIndex === action.index) return state
      return {...state, selectedId: action.id, selectedIndex: action.index}
    case 'screen':
      return {...state, screen: action.screen, scroll: 0, help: false}
    case 'help':
      return {...state, help: !state.help}
    case 'prompt':
      return {...state, prompt: action.prompt}
    case 'filter':
      // A new filter starts at the top of what it shows.
      return {...state, filter: action.text, selectedIndex: 0}
    case 'sort':
      return {...state, sort: {key: action.key, descending: action.descending}}
    case 'source':
      return {...state, eventSource: action.source, scroll: 0}
    case 'scroll':
      return state.scroll === action.to ? state : {...state, scroll: Math.max(0, action.to)}
  }
}

export type ViewStore = StoreOf<ViewState, ViewAction>

export function createViewStore(initial: ViewState = initialView()): ViewStore {
  return createStoreOf(initial, reduceView)
}

/** The next item of a list, wrapping around: `o` through the sort keys, `s` through the sources. */
export function nextOf<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length]!
}
