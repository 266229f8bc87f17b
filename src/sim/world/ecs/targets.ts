import type {Task} from '../model.js'
import type {State} from '../state.js'
import {deregisterTarget, dropTarget, registerTarget, type Target} from '../elb/target-groups.js'
import {recordHealthy} from './deployments.js'

/**
 * A service's tasks in its load balancers' target groups: instance targets at the task's host port.
 * - ACTIVATING "registers load balancer target groups" (Amazon ECS task lifecycle), and a load-balanced task is
 *   healthy for the scheduler once the group says so: "Tasks for services that use a load balancer are
 *   considered healthy if they are in the RUNNING state and the container instance they are hosted on is
 *   reported as healthy by the load balancer." (Draining Amazon ECS container instances:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html)
 * - DEACTIVATING deregisters them, and lasts until every group's deregistration delay has passed.
 */

export function registerTargets(state: State, task: Task, healthyNow: boolean): void {
  const svc = task.service
  if (!svc || svc.loadBalancers.length === 0) return
  for (const lb of svc.loadBalancers) {
    const tg = state.targetGroups.get(lb.targetGroupArn)
    const binding = task.bindings.find(
      (b) => b.containerName === lb.containerName && b.containerPort === lb.containerPort,
    )
    if (!tg || !binding) continue
    task.targets.push({
      targetGroupArn: tg.arn,
      port: binding.hostPort,
      containerName: lb.containerName,
      containerPort: lb.containerPort,
    })
    const target = registerTarget(state, tg, {
      id: task.instance.ec2InstanceId,
      port: binding.hostPort,
      availabilityZone: task.instance.availabilityZone,
      passes: () => !task.taskDef.failsHealthChecks,
      onChange: (t) => onTargetChange(state, task, tg.arn, t),
    })
    if (healthyNow) {
      // Scenario building: the task has long been in service.
      state.cancel(target.timer)
      target.timer = undefined
      target.state = 'healthy'
      target.reason = target.description = undefined
    }
  }
  if (task.targets.length > 0) task.healthy = healthyNow
}

function onTargetChange(state: State, task: Task, targetGroupArn: string, t: Target): void {
  if (task.desiredStatus !== 'RUNNING') return
  if (t.state === 'healthy') {
    task.healthy = task.targets.every(
      (x) => state.targetGroups.get(x.targetGroupArn)?.targets.get(`${t.id}:${x.port}`)?.state === 'healthy',
    )
    if (task.healthy) {
      task.version++
      recordHealthy(task)
      if (task.service) state.markDirty(task.service)
    }
  } else if (t.state === 'unhealthy') state.onTaskUnhealthy(task, targetGroupArn, t.port)
}

/** Starts deregistering the task's targets; returns the longest delay and the groups it drains from. */
export function startDeregistration(state: State, task: Task): {delayMs: number; groups: string[]} {
  let delayMs = 0
  const groups: string[] = []
  for (const x of task.targets) {
    const tg = state.targetGroups.get(x.targetGroupArn)
    if (!tg) continue
    delayMs = Math.max(delayMs, deregisterTarget(state, tg, task.instance.ec2InstanceId, x.port))
    groups.push(tg.arn)
  }
  return {delayMs, groups}
}

export function dropTargets(state: State, task: Task): void {
  for (const x of task.targets) {
    const tg = state.targetGroups.get(x.targetGroupArn)
    if (tg) dropTarget(state, tg, task.instance.ec2InstanceId, x.port)
  }
}
