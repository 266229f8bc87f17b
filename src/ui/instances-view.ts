/**
 * The instances the table shows: the `/` filter, then the sort. Pure, and memoized on its inputs, so that a
 * frame of 1,000 instances filters and sorts only when the snapshot, the filter or the sort changed.
 */
import type {InstanceView} from '../core/types.js'
import type {WatchState} from '../core/watch/store.js'
import {hookDeadlines} from './format.js'
import type {SortKey, ViewState} from './view.js'

/** What `/` matches: every word must appear in the id, AZ, status or lifecycle state (case ignored). */
export function matchesFilter(instance: InstanceView, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = [
    instance.ec2InstanceId,
    instance.availabilityZone,
    instance.status,
    instance.lifecycleState,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase()
  return words.every((w) => haystack.includes(w))
}

/** The column title each sort belongs to ("age" is the registration order, the default). */
export const SORT_COLUMN: Record<SortKey, string> = {
  age: 'AGE',
  instance: 'INSTANCE',
  status: 'STATUS',
  tasks: 'RUN',
  memory: 'MEM',
  az: 'AZ',
  lifecycle: 'LIFECYCLE',
  deadline: 'DEADLINE',
}

type Comparable = number | string

function sortValue(
  key: SortKey,
  i: InstanceView,
  order: number,
  deadlines: Record<string, Date>,
): Comparable {
  switch (key) {
    case 'age':
      return order
    case 'instance':
      return i.ec2InstanceId
    case 'status':
      return i.status
    case 'tasks':
      return i.runningTasksCount + i.pendingTasksCount
    case 'memory':
      return i.memory.registered > 0 ? (i.memory.registered - i.memory.remaining) / i.memory.registered : 0
    case 'az':
      return i.availabilityZone ?? ''
    case 'lifecycle':
      return i.lifecycleState ?? ''
    case 'deadline':
      // Soonest first; instances with nothing pending after every one that has a deadline.
      return hookDeadlines(i, deadlines[i.ec2InstanceId])?.first?.at.getTime() ?? Number.MAX_SAFE_INTEGER
  }
}

export function visibleInstances(
  instances: readonly InstanceView[],
  view: Pick<ViewState, 'filter' | 'sort'>,
  deadlines: Record<string, Date> = {},
): InstanceView[] {
  const keyed = instances
    .map((instance, order) => ({instance, order}))
    .filter((k) => matchesFilter(k.instance, view.filter))
    .map((k) => ({...k, value: sortValue(view.sort.key, k.instance, k.order, deadlines)}))
  const sign = view.sort.descending ? -1 : 1
  // Ties keep the registration order, so that equal rows don't swap places between refreshes.
  keyed.sort((a, b) => {
    const c = a.value < b.value ? -1 : a.value > b.value ? 1 : 0
    return sign * c || a.order - b.order
  })
  return keyed.map((k) => k.instance)
}

/** A memoized visibleInstances for one TUI: the App and the key map share it. */
export function createVisibleSelector(): (state: WatchState, view: ViewState) => InstanceView[] {
  let last: {
    instances: unknown
    filter: string
    sort: unknown
    deadlines: unknown
    out: InstanceView[]
  } | null = null
  return (state, view) => {
    if (
      last &&
      last.instances === state.instances &&
      last.filter === view.filter &&
      last.sort === view.sort &&
      last.deadlines === state.deadlines
    ) {
      return last.out
    }
    const out = visibleInstances(state.instances, view, state.deadlines)
    last = {instances: state.instances, filter: view.filter, sort: view.sort, deadlines: state.deadlines, out}
    return out
  }
}

/** The selected row: the selected instance where it is now, or the same row when it is gone. */
export function selectedRow(
  visible: readonly InstanceView[],
  view: Pick<ViewState, 'selectedId' | 'selectedIndex'>,
) {
  const kept = view.selectedId ? visible.findIndex((i) => i.ec2InstanceId === view.selectedId) : -1
  const index = kept >= 0 ? kept : Math.max(0, Math.min(view.selectedIndex, visible.length - 1))
  return {index, instance: visible[index]}
}
