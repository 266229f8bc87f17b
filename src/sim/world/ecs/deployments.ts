import type {Deployment, Service, Task, TaskDefinition} from '../model.js'
import type {State} from '../state.js'
import {addEvent} from './events.js'

/**
 * Service deployments and the deployment circuit breaker.
 * - "When a service deployment is started, it begins in an IN_PROGRESS state. When the service reaches a steady
 *   state, the deployment transitions to a COMPLETED state. If the service fails to reach a steady state and
 *   circuit breaker is turned on, the deployment transitions to a FAILED state. A deployment in FAILED state
 *   doesn't launch any new tasks." (Deployment, rolloutState:
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html)
 * - The threshold: "a minimum threshold of 3 and a maximum threshold of 200 ... 0.5 * desired task count"
 *   (ServiceDeploymentCircuitBreaker: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html).
 * - Rollback: "it looks for the most recent deployment that is in a COMPLETED state ... When the rollback starts,
 *   the deployment changes from a COMPLETED to IN_PROGRESS" (How the Amazon ECS deployment circuit breaker
 *   detects failures: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
 * - failedTasks counts "consecutively failed tasks", and resetOnHealthyTask (default true) resets it when a task
 *   reaches a healthy state (DeploymentCircuitBreaker:
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html).
 * The reasons follow "Amazon ECS service deployment state change events"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html).
 */

export function newDeployment(state: State, taskDef: TaskDefinition): Deployment {
  const now = state.now()
  const id = `ecs-svc/${state.ids.digits(19)}`
  return {
    id,
    taskDef,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    failedTasks: 0,
  }
}

export function breakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)))
}

function deploymentOf(task: Task): Deployment | undefined {
  return task.service?.deployments.find((d) => d.id === task.deploymentId)
}

/** A task of the service failed to start or failed its health checks: the breaker counts it. */
export function recordFailure(state: State, task: Task): void {
  const svc = task.service
  const d = deploymentOf(task)
  if (!svc || !d) return
  d.failedTasks++
  d.updatedAt = state.now()
  if (!svc.circuitBreaker.enable || d !== svc.deployments[0] || d.rolloutState !== 'IN_PROGRESS') return
  if (d.failedTasks < breakerThreshold(svc.desiredCount)) return
  d.rolloutState = 'FAILED'
  d.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.'
  addEvent(state, svc, `(service ${svc.name}) (deployment ${d.id}) deployment failed: tasks failed to start.`)
  if (svc.circuitBreaker.rollback) rollBack(state, svc)
  state.markDirty(svc)
}

function rollBack(state: State, svc: Service): void {
  const target = svc.deployments.slice(1).find((x) => x.rolloutState === 'COMPLETED')
  // Without a COMPLETED deployment "the circuit breaker does not launch new tasks and the deployment is stalled".
  if (!target) return
  svc.deployments.splice(svc.deployments.indexOf(target), 1)
  svc.deployments.unshift(target)
  target.rolloutState = 'IN_PROGRESS'
  target.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`
  target.updatedAt = state.now()
  svc.taskDef = target.taskDef
  svc.steady = false
  addEvent(state, svc, `(service ${svc.name}) rolling back to deployment ${target.id}.`)
}

/** A task reached a healthy state: with resetOnHealthyTask (the default) the consecutive count starts over. */
export function recordHealthy(task: Task): void {
  const d = deploymentOf(task)
  if (d && d.rolloutState === 'IN_PROGRESS') d.failedTasks = 0
}

/** The service is steady on its primary: the deployment is COMPLETED and the older ones are gone. */
export function completePrimary(state: State, svc: Service): void {
  const primary = svc.deployments[0]!
  if (primary.rolloutState === 'FAILED') return
  svc.deployments.length = 1
  if (primary.rolloutState === 'COMPLETED') return
  primary.rolloutState = 'COMPLETED'
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
  primary.updatedAt = state.now()
}
