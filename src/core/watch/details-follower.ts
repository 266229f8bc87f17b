/**
 * Keeps the open details view's tasks fresh: loads them when the view opens, and again after each refresh
 * of the cluster while it stays open. One instance at a time, one load at a time (a refresh that lands
 * during a load runs once after it); closing the view stops it, and a late answer for an instance no
 * longer shown is dropped.
 */
import type {TaskListingPort} from '../drain/live-tasks.js'
import {InstanceDetailsLoader, type ExplainTasks, type InstanceDetails} from './details.js'
import type {Store} from './store.js'

export interface DetailsController {
  /** Opens the view on an instance of the latest snapshot; resolves when its first load has ended. */
  open(ec2InstanceId: string): Promise<void>
  close(): void
  /** Loads the open instance's tasks again (after a refresh); resolves when done. */
  refresh(): Promise<void>
}

export function createDetailsFollower(opts: {
  store: Store
  ecs: TaskListingPort
  cluster: string
  now: () => number
  /** Why each live task still runs: the session passes the drain explainer; the engine's own rules else. */
  explain?: ExplainTasks
}): DetailsController {
  const {store} = opts
  let current: {id: string; loader: InstanceDetailsLoader} | null = null
  // Loads run one after the other; at most one waits behind the running one, and it reads `current` only
  // when it starts, so it always loads what is open by then.
  let chain: Promise<void> = Promise.resolve()
  let queued = false

  const update = (change: Partial<InstanceDetails>) => {
    const details = store.getState().details
    if (details && current && details.ec2InstanceId === current.id) {
      store.dispatch({type: 'details', details: {...details, ...change}})
    }
  }

  async function loadOnce(mine: NonNullable<typeof current>): Promise<void> {
    const state = store.getState()
    const instance = state.instances.find((i) => i.ec2InstanceId === mine.id)
    if (!instance) {
      update({
        state: 'error',
        error: `${mine.id} is no longer registered in ${mine.loader.cluster} (terminated?)`,
      })
      return
    }
    try {
      const tasks = await mine.loader.load({
        instance,
        services: state.snapshot?.services ?? [],
        now: opts.now(),
      })
      if (current === mine) update({state: 'ready', tasks, error: null, at: new Date(opts.now())})
    } catch (error) {
      if (current === mine)
        update({state: 'error', error: error instanceof Error ? error.message : String(error)})
    }
  }

  function load(): Promise<void> {
    if (queued) return chain
    queued = true
    chain = chain.then(async () => {
      queued = false
      if (current) await loadOnce(current)
    })
    return chain
  }

  return {
    open(id) {
      const instance = store.getState().instances.find((i) => i.ec2InstanceId === id)
      if (!instance) return Promise.resolve()
      current = {id, loader: new InstanceDetailsLoader(opts.ecs, opts.cluster, instance, opts.explain)}
      store.dispatch({
        type: 'details',
        details: {
          ec2InstanceId: id,
          containerInstanceArn: instance.containerInstanceArn,
          state: 'loading',
          tasks: [],
          error: null,
          at: null,
        },
      })
      // A load for the previous instance may still be running: this one starts when it ends.
      return load()
    },
    close() {
      current = null
      store.dispatch({type: 'details', details: null})
    },
    refresh: () => load(),
  }
}
