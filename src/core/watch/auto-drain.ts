/**
 * --auto-drain: every instance that enters Terminating:Wait is drained and its lifecycle action completed
 * by the engine, as a hook Lambda would do. Each instance is handled once per termination.
 */
import type {ActionRunner} from './actions.js'
import type {ClusterSnapshot} from '../types.js'
import type {Store} from './store.js'

export function startAutoDrain(store: Store, runner: ActionRunner): () => void {
  const handled = new Set<string>()
  let lastSnapshot: ClusterSnapshot | null = null
  const check = () => {
    const {snapshot} = store.getState()
    if (!snapshot || snapshot === lastSnapshot) return
    lastSnapshot = snapshot
    for (const instance of snapshot.instances) {
      const id = instance.ec2InstanceId
      if (instance.lifecycleState !== 'Terminating:Wait' || handled.has(id) || runner.isBusy(id)) continue
      handled.add(id)
      void runner.run('drain', id, {reason: 'auto-drain: Terminating:Wait'})
    }
  }
  check()
  return store.subscribe(check)
}
