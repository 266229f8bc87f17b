import {heartbeat} from '../asg/actions.js'
import {completeAction, inCapacity, iso, reconcileCapacity} from '../asg/groups.js'
import type {AsgInstance, Group, LifecycleHook} from '../asg/model.js'
import type {ContainerInstance, Task} from '../model.js'
import type {State} from '../state.js'
import type {CapacityProvider} from './capacity-model.js'
import {setInstanceStatus} from './instances.js'

/**
 * What an Auto Scaling group capacity provider does to its group. The Auto Scaling side is touched only
 * through its own functions (reconcileCapacity, completeAction, heartbeat) and its data (a hook, an instance's
 * scale-in protection); the one event it emits for this is 'lifecycle-action' (asg/actions.ts).
 */

/**
 * Managed instance draining's own hook. "Managed instance draining is on by default when you create a capacity
 * provider" (Configuring Amazon ECS capacity providers to safely shut down instances:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/enable-managed-instance-draining.html, which names
 * the hook in the cluster's attachments). "The container instance remains in the DRAINING state until either all
 * tasks are stopped or 48 hours has passed." (Amazon ECS managed instance draining:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html)
 */
export const MANAGED_DRAINING_HOOK = 'ecs-managed-draining-termination-hook'
const MANAGED_DRAINING_HEARTBEAT_TIMEOUT = 3600

export interface LifecycleActionEvent {
  group: Group
  instance: AsgInstance
  hook: LifecycleHook
}

function providerOf(state: State, ci: ContainerInstance): CapacityProvider | undefined {
  const cp = ci.capacityProviderName ? state.capacityProviders.get(ci.capacityProviderName) : undefined
  return cp?.status === 'ACTIVE' ? cp : undefined
}

function asgInstanceOf(state: State, ci: ContainerInstance): AsgInstance | undefined {
  return ci.asgName ? state.groups.get(ci.asgName)?.instances.get(ci.ec2InstanceId) : undefined
}

function runsNonDaemonTasks(ci: ContainerInstance): boolean {
  for (const t of ci.tasks)
    if (t.lastStatus !== 'STOPPED' && t.service?.schedulingStrategy !== 'DAEMON') return true
  return false
}

/**
 * Managed termination protection: "Amazon ECS only terminates EC2 instances that don't have any running Amazon
 * ECS tasks. Tasks that are run by a service that uses the DAEMON scheduling strategy are ignored" and "When all
 * non-daemon tasks are stopped on an instance, Amazon ECS ... turns off scale-in protection for the EC2
 * instance." (Control the instances Amazon ECS terminates:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html)
 */
export function updateScaleInProtection(state: State, ci: ContainerInstance): void {
  const cp = providerOf(state, ci)
  if (cp?.managedTerminationProtection !== 'ENABLED') return
  const inst = asgInstanceOf(state, ci)
  if (inst) inst.protectedFromScaleIn = runsNonDaemonTasks(ci)
}

/** Called on every task state change: protection follows the tasks, and a managed drain may be done. */
export function followTaskForCapacityProviders(state: State, task: Task): void {
  if (!task.instance.capacityProviderName) return
  if (task.lastStatus === 'PENDING' || task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED')
    updateScaleInProtection(state, task.instance)
  if (task.lastStatus === 'STOPPED' && task.instance.status === 'DRAINING')
    finishManagedDrain(state, task.instance)
}

/** Adds ECS's own terminating hook to the group, as managed draining does. */
export function addManagedDrainingHook(g: Group): void {
  if (g.hooks.has(MANAGED_DRAINING_HOOK)) return
  g.hooks.set(MANAGED_DRAINING_HOOK, {
    name: MANAGED_DRAINING_HOOK,
    groupName: g.name,
    transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    heartbeatTimeout: MANAGED_DRAINING_HEARTBEAT_TIMEOUT,
    defaultResult: 'CONTINUE',
  })
}

/** ECS follows the lifecycle actions of its managed-draining hook: it drains the instance and completes them. */
export function installManagedDraining(state: State): void {
  state.notifications.on('lifecycle-action', (e: LifecycleActionEvent) => {
    // ECS learns of it through an event, a moment later (and after every other hook of the group has started).
    if (e.hook.name === MANAGED_DRAINING_HOOK) state.after(0, () => startManagedDrain(state, e))
  })
}

function startManagedDrain(state: State, e: LifecycleActionEvent): void {
  if (!e.instance.actions.has(MANAGED_DRAINING_HOOK)) return
  const ci = state.byEc2Id.get(e.instance.id)
  if (!ci) {
    // Never registered with ECS: nothing to drain.
    completeAction(state, e.group, e.instance, MANAGED_DRAINING_HOOK, 'CONTINUE')
    return
  }
  setInstanceStatus(state, ci, 'DRAINING')
  keepAlive(state, e.group, e.instance)
  finishManagedDrain(state, ci)
}

/** Heartbeats the action while tasks remain, so the drain may last up to the hook's global timeout (48 h). */
function keepAlive(state: State, g: Group, inst: AsgInstance): void {
  state.after((MANAGED_DRAINING_HEARTBEAT_TIMEOUT * 1000) / 3, () => {
    const action = inst.actions.get(MANAGED_DRAINING_HOOK)
    if (!action) return
    heartbeat(state, action)
    keepAlive(state, g, inst)
  })
}

function finishManagedDrain(state: State, ci: ContainerInstance): void {
  const inst = asgInstanceOf(state, ci)
  const g = ci.asgName ? state.groups.get(ci.asgName) : undefined
  if (!inst || !g || !inst.actions.has(MANAGED_DRAINING_HOOK)) return
  for (const t of ci.tasks) if (t.lastStatus !== 'STOPPED') return
  completeAction(state, g, inst, MANAGED_DRAINING_HOOK, 'CONTINUE')
}

/**
 * Managed scaling, once a minute, as "Automatically manage Amazon ECS capacity with cluster auto scaling"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html) describes it:
 * CapacityProviderReservation = M / N x 100, with N the instances in the group and M the instances needed for
 * the tasks (those running a non-daemon task, plus at least minimumScalingStepSize more while tasks cannot be
 * placed). The target tracking policy scales out at once and in only after 15 minutes below the target.
 */
export function startManagedScaling(state: State, cp: CapacityProvider): void {
  if (cp.timer) return
  cp.timer = state.after(60_000, () => {
    cp.timer = undefined
    if (cp.status !== 'ACTIVE' || cp.managedScaling.status !== 'ENABLED') return
    scaleOnce(state, cp)
    startManagedScaling(state, cp)
  })
}

function scaleOnce(state: State, cp: CapacityProvider): void {
  const g = state.groups.get(cp.groupName)
  if (!g) return
  const instances = [...g.instances.values()].filter(inCapacity)
  const n = instances.length
  let m = 0
  let starved = false
  for (const inst of instances) {
    const ci = state.byEc2Id.get(inst.id)
    if (ci && runsNonDaemonTasks(ci)) m++
  }
  for (const cluster of state.clusters.values())
    if (cluster.capacityProviders.includes(cp.name) && cluster.starved.size > 0) starved = true
  const ms = cp.managedScaling
  let target = Math.ceil((m * 100) / ms.targetCapacity)
  if (starved) target = Math.max(target, n + ms.minimumScalingStepSize)
  target = Math.max(g.minSize, Math.min(g.maxSize, target))
  const from = g.desiredCapacity
  if (target > from) {
    cp.lowMinutes = 0
    setDesired(state, g, Math.min(target, from + ms.maximumScalingStepSize), from)
  } else if (target < from) {
    cp.lowMinutes++
    if (cp.lowMinutes >= 15) {
      cp.lowMinutes = 0
      setDesired(state, g, target, from)
    }
  } else cp.lowMinutes = 0
}

function setDesired(state: State, g: Group, to: number, from: number): void {
  g.desiredCapacity = to
  const now = iso(state.now())
  reconcileCapacity(
    state,
    g,
    (a, b) =>
      `At ${now} a monitor alarm TargetTracking-${g.name}-${to > from ? 'AlarmHigh' : 'AlarmLow'} in state ALARM triggered ` +
      `policy ECSManagedAutoScalingPolicy changing the desired capacity from ${from} to ${to}.  At ${now} an instance was ` +
      `${b > a ? 'started' : 'taken out of service'} in response to a difference between desired and actual capacity, ` +
      `${b > a ? 'increasing' : 'shrinking'} the capacity from ${a} to ${b}.`,
  )
}
