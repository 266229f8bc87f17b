/**
 * The drain engine: one implementation for the CLI (`drain`, `undrain`, `complete`, `heartbeat`), the TUI
 * (`watch`: the d/u/c/h keys and --auto-drain) and the hook's Lambda handler.
 *
 * ## Draining
 *   const ports = {ecs, autoScaling, clock}                    // src/aws adapters + a Clock
 *   const target = {cluster, instance}                         // located first (src/core/locate.ts)
 *   const plan = await planDrain(ports, target, options)       // resolve + preflight; changes nothing
 *   // ...show plan.report (blockers with fixes, warnings), confirm...
 *   const result = await executeDrain(ports, plan, options)    // DRAINING, wait, heartbeat, complete
 * or `drainInstance(ports, target, options)` for both at once (the Lambda, --auto-drain), or
 * `drainBatch(ports, targets, options, hooks)` for `ecsdrain drain`: plan all, ask once (a PromptPort), drain.
 *
 * - `planDrain` throws `UsageError` only for input the operator must fix (e.g. several terminating hooks
 *   and no `hookName`). Everything else ends in a `DrainResult`; `executeDrain` never throws.
 * - `DrainResult.outcome`: drained | draining (noWait) | timeout | refused | dry-run | interrupted | failed |
 *   suspended (runDeadline). The result is the JSON contract of `drain --json`.
 * - Events: pass `options.onEvent` to receive typed `DrainEvent`s (preflight, started, progress with
 *   per-service counts, heartbeat, blocker, warning, retry, stopped-standalone, drained, completed, timeout,
 *   interrupted, suspended, failed). Every event carries `ec2InstanceId` and `at`. A throwing listener is
 *   ignored. Renderers live in src/render (listr2, plain lines) and src/ui (ink); the Lambda logs them.
 *
 * ## Time
 * - `timeoutMs` is the whole drain's budget from `startedAt` (default: now). A resumed run (the Lambda's
 *   next invocation) passes the first run's `startedAt`, so the budget is not restarted.
 * - `runDeadline` (ms, clock time) ends *this run* early with outcome 'suspended': the instance stays
 *   DRAINING, the hook was heartbeated, nothing is completed. Call `drainInstance` again to resume: setting
 *   DRAINING is idempotent, and the wait starts from the instance's current tasks.
 * - `signal` (AbortSignal) is the operator's interrupt: the run stops at once with outcome 'interrupted'
 *   and completes nothing.
 * - All waiting goes through the injected `Clock`, so tests use fake time.
 *
 * ## Guarantees
 * - CompleteLifecycleAction CONTINUE is sent only once every task ever seen on the instance is STOPPED
 *   (live-tasks.ts: the ARNs seen are described at every poll, so a task missed by a list still counts).
 *   `completeAction`'s guard uses the same rule. The engine never sends ABANDON.
 * - Transient faults (`isTransient`: throttling, 5xx, network) are retried with capped backoff until the
 *   timeout; they never end a drain as failed and never complete anything early.
 * - While a hook is pending, heartbeats go out every HeartbeatTimeout/3, so a drain can outlast the
 *   HeartbeatTimeout up to the hook's global timeout.
 * - Each poll costs calls proportional to the instance's tasks and their services, not to the cluster.
 *
 * ## Single actions
 * `undrainInstance`, `completeAction` (refuses while tasks live, unless forced), `heartbeatAction` and
 * `findPendingAction` (hook + group discovery), in ./actions.ts.
 */
export {planDrain, executeDrain, drainInstance, type DrainPlan, type DrainPorts} from './engine.js'
export {drainBatch, batchTargets, batchExitCode, type BatchHooks, type DrainObserver} from './batch.js'
export {
  undrainInstance,
  completeAction,
  heartbeatAction,
  findPendingAction,
  type UndrainResult,
  type CompleteResult,
  type HeartbeatResult,
  type PendingAction,
} from './actions.js'
export {InstanceTasks, liveTasksOnInstance, type TaskListingPort} from './live-tasks.js'
export {analyzePreflight, isDeadlocked, type PreflightFacts} from './preflight.js'
export {
  isNoActiveLifecycleAction,
  resolveLifecycle,
  instancesInTerminatingWait,
  TERMINATING_WAIT,
} from './lifecycle-context.js'
export type * from './types.js'
export {exitCodeFor} from './outcome.js'
