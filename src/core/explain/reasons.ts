/**
 * Why each task still on a draining instance is not STOPPED, and for how long: a pure function of what the
 * drain has seen (tasks, their services, stop timeouts, target groups, protection), so every rule is tested
 * without ports. ETAs are upper bounds from AWS's documented timers; where nothing bounds the wait (a
 * replacement that cannot be placed, a standalone task) the ETA is null rather than a guess.
 */
import type {TaskProtection} from '../ports.js'
import type {ContainerInstance, ServiceInfo, TaskInfo} from '../types.js'
import {isDeadlocked, kindOf, serviceNameOf} from '../drain/task-kind.js'
import {describePlacement} from './placement-text.js'
import type {InstanceExplanation, TaskReason} from './types.js'

/**
 * "If neither the stopTimeout parameter or the ECS_CONTAINER_STOP_TIMEOUT agent configuration variable are
 * set, then the default values of 30 seconds for Linux containers and 30 seconds on Windows containers are
 * used." (Amazon ECS API Reference, ContainerDefinition: stopTimeout,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
 */
export const AGENT_DEFAULT_STOP_TIMEOUT_S = 30

export interface ExplainFacts {
  now: number
  instance: ContainerInstance
  /** The live tasks (lastStatus not STOPPED). */
  tasks: readonly TaskInfo[]
  services: ReadonlyMap<string, ServiceInfo>
  /** The longest stopTimeout of the task's containers, in seconds; null when unknown or left to the agent. */
  stopTimeoutOf(task: TaskInfo): number | null
  /** A target group's deregistration delay, in seconds; null when it could not be read. */
  deregistrationDelayOf(targetGroupArn: string): number | null
  protectionOf(taskArn: string): TaskProtection | undefined
  /** When each task was first seen told to stop, and first seen in its current lastStatus (ms). */
  stopSeenAt: ReadonlyMap<string, number>
  statusSeenAt: ReadonlyMap<string, number>
  /** Only "unable to place" events since then count (ms): older ones are about other moments. */
  eventsSince: number
  stopStandalone: boolean
}

function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

function targetGroupName(arn: string): string {
  // arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID
  const m = /:targetgroup\/([^/]+)\//.exec(arn)
  return m ? m[1]! : arn
}

const secs = (ms: number) => Math.max(0, Math.ceil(ms / 1000))

interface StopBudget {
  /** Seconds of deregistration delay, the longest of the service's target groups (0 without any). */
  delay: number
  delayKnown: boolean
  groups: string[]
  stopTimeout: number
  stopTimeoutKnown: boolean
}

function budget(facts: ExplainFacts, task: TaskInfo): StopBudget {
  const service = facts.services.get(serviceNameOf(task) ?? '')
  const groups = (service?.loadBalancers ?? []).map((lb) => lb.targetGroupArn)
  const delays = groups.map((g) => facts.deregistrationDelayOf(g))
  const known = delays.filter((d): d is number => d !== null)
  const own = facts.stopTimeoutOf(task)
  return {
    // Unread delays count as ELB's 300 s default: an upper bound, said to be assumed in the detail.
    delay: Math.max(0, ...known, ...(known.length < delays.length ? [300] : [])),
    delayKnown: known.length === delays.length,
    groups: groups.map(targetGroupName),
    stopTimeout: own ?? AGENT_DEFAULT_STOP_TIMEOUT_S,
    stopTimeoutKnown: own !== null,
  }
}

function stopTimeoutText(b: StopBudget): string {
  return b.stopTimeoutKnown
    ? `its ${b.stopTimeout} s stopTimeout`
    : `the agent's stop timeout (default ${b.stopTimeout} s)`
}

/** The full stop from now, for a task not yet told to stop: deregistration (if any), then the stop timeout. */
function fullStop(b: StopBudget): number {
  return b.delay + b.stopTimeout
}

function reason(task: TaskInfo, fields: Omit<TaskReason, 'task' | 'service' | 'lastStatus'>): TaskReason {
  return {task: task.taskArn, service: serviceNameOf(task), lastStatus: task.lastStatus, ...fields}
}

/** A task told to stop: which leg of the stop it is in, and how long that leg has left. */
function stoppingReason(facts: ExplainFacts, task: TaskInfo): TaskReason {
  const b = budget(facts, task)
  const now = facts.now
  // Our own first sight of the stop request, when we have one: it is on our clock (ECS's stoppingAt may be
  // skewed), and no earlier than the real request, so the time left stays an upper bound.
  const stoppingAt = task.stoppingAt?.getTime()
  const toldAt =
    facts.stopSeenAt.get(task.taskArn) ?? (stoppingAt !== undefined && stoppingAt <= now ? stoppingAt : now)
  const inStatusSince = facts.statusSeenAt.get(task.taskArn) ?? now
  // "DEACTIVATING: ... if the task is part of a service that's configured to use Elastic Load Balancing,
  // the load balancer deregisters the target" ... "STOPPING: the containers are stopped" ... then
  // DEPROVISIONING and STOPPED (Amazon ECS task lifecycle,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
  if (task.lastStatus === 'DEPROVISIONING') {
    return reason(task, {
      kind: 'deprovisioning',
      detail: `task ${short(task.taskArn)} has stopped its containers and is releasing its resources; STOPPED next.`,
      fix: 'nothing to do: ECS finishes this on its own',
      etaSeconds: 0,
    })
  }
  if (task.lastStatus === 'STOPPING') {
    const left = secs(inStatusSince + b.stopTimeout * 1000 - now)
    return reason(task, {
      kind: 'stopping',
      detail:
        left > 0
          ? `task ${short(task.taskArn)} got SIGTERM; SIGKILL follows after ${stopTimeoutText(b)}: about ${left} s left.`
          : `task ${short(task.taskArn)} is still STOPPING past ${stopTimeoutText(b)}: SIGKILL is due; a slow or disconnected agent delays it.`,
      fix: 'nothing to do; a shorter stopTimeout in the task definition shortens future stops',
      etaSeconds: left,
    })
  }
  if (b.groups.length > 0 && (task.lastStatus === 'DEACTIVATING' || task.lastStatus === 'RUNNING')) {
    // "If a deregistering target has no in-flight requests and no active connections, Elastic Load
    // Balancing immediately completes the deregistration process, without waiting for the deregistration
    // delay to elapse." (ALB User Guide, Deregistration delay,
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay)
    // so the delay is an upper bound.
    const left = secs(toldAt + b.delay * 1000 - now)
    const delayText = b.delayKnown
      ? `${b.delay} s deregistration delay`
      : `deregistration delay (unread; ELB's default ${b.delay} s assumed)`
    return reason(task, {
      kind: 'deregistering',
      detail:
        `task ${short(task.taskArn)} is deregistering from target group ${b.groups.join(', ')}: up to ${left} s left of its ` +
        `${delayText} (less if its connections close), then up to ${b.stopTimeout} s to stop.`,
      fix: "nothing to do; lower the target group's deregistration_delay.timeout_seconds to shorten future drains",
      etaSeconds: left + b.stopTimeout,
    })
  }
  if (!facts.instance.agentConnected) return disconnected(task)
  const waited = secs(now - toldAt)
  return reason(task, {
    kind: 'stop-requested',
    detail: `task ${short(task.taskArn)} was told to stop ${waited} s ago and is still ${task.lastStatus}; the agent stops it within ${stopTimeoutText(b)}.`,
    fix: 'nothing to do unless it stays; then check the ECS agent on the instance',
    etaSeconds: secs(toldAt + b.stopTimeout * 1000 - now),
  })
}

function disconnected(task: TaskInfo): TaskReason {
  return reason(task, {
    kind: 'agent-disconnected',
    detail: `the ECS agent is disconnected: task ${short(task.taskArn)} stays ${task.lastStatus} until it reconnects.`,
    fix: 'check the instance (ecs-agent logs, network), or let Auto Scaling replace it',
    etaSeconds: null,
  })
}

function unableToPlace(facts: ExplainFacts, service: ServiceInfo): string | null {
  const event = service.events.find(
    (e) => e.createdAt.getTime() >= facts.eventsSince && /unable to place/i.test(e.message),
  )
  return event ? event.message : null
}

/** A service task still RUNNING and meant to: what the scheduler waits for before it stops it. */
function replicaReason(facts: ExplainFacts, task: TaskInfo, service: ServiceInfo | undefined): TaskReason {
  const name = serviceNameOf(task) ?? '?'
  const b = budget(facts, task)
  const protection = facts.protectionOf(task.taskArn)
  const expires = protection?.expirationDate?.getTime() ?? null
  // Task scale-in protection holds back "scale-in events from either service auto scaling or deployments"
  // (Protect your Amazon ECS tasks from being terminated by scale-in events,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html): container
  // instance draining is neither, so a protected task is replaced like any other. Said, not waited for.
  const held =
    protection?.protectionEnabled && (expires === null || expires > facts.now)
      ? ` It is protected from scale-in${expires === null ? '' : ` until ${new Date(expires).toISOString()}`}, which does not hold back a drain.`
      : ''
  if (!service) {
    return reason(task, {
      kind: 'awaiting-replacement',
      detail: `task ${short(task.taskArn)} of ${name} waits for the service scheduler (the service could not be read).`,
      fix: 'nothing yet: the next poll reads the service again',
      etaSeconds: null,
    })
  }
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY')
  if (primary?.rolloutState === 'FAILED') {
    // "a service deployment will transition to a failed state and stop launching new tasks" (Amazon ECS API
    // Reference, DeploymentCircuitBreaker, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html)
    return reason(task, {
      kind: 'deployment-failed',
      detail:
        `service ${name}'s deployment ${primary.id} is FAILED (deployment circuit breaker` +
        `${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}): it launches no new tasks, so no replacement comes for ${short(task.taskArn)}.`,
      fix: `fix the task definition and update ${name} (a new deployment), or roll back to the last one that worked`,
      etaSeconds: null,
    })
  }
  if (isDeadlocked(service)) {
    return reason(task, {
      kind: 'deadlock',
      detail:
        `service ${name} (desired ${service.desiredCount}, min ${service.minimumHealthyPercent}%, max ${service.maximumPercent}%) ` +
        `can neither start a replacement nor stop ${short(task.taskArn)} first.`,
      fix: `raise maximumPercent above 100 or lower minimumHealthyPercent for ${name}`,
      etaSeconds: null,
    })
  }
  const event = unableToPlace(facts, service)
  if (event) {
    const placement = describePlacement(service)
    return reason(task, {
      kind: 'unable-to-place',
      detail:
        `ECS cannot place a replacement for ${short(task.taskArn)}: "${event}"` +
        (placement ? ` Placement: ${placement}.` : '') +
        ` This instance is in ${facts.instance.availabilityZone ?? 'an unknown AZ'}.`,
      fix: `add capacity that meets ${name}'s placement (scale the group out), or relax its placement constraints`,
      etaSeconds: null,
    })
  }
  const pending = service.pendingCount > 0 ? `, ${service.pendingCount} pending` : ''
  return reason(task, {
    kind: 'awaiting-replacement',
    detail:
      `task ${short(task.taskArn)} of ${name} runs until the scheduler has a replacement (running ${service.runningCount}/` +
      `${service.desiredCount}${pending}; minimumHealthyPercent ${service.minimumHealthyPercent}); then up to ${fullStop(b)} s to stop.` +
      held,
    fix: 'nothing to do while replacements start; if none starts, look at the service events',
    etaSeconds: null,
  })
}

/** Every live task's reason, and the whole drain's ETA. */
export function explainTasks(facts: ExplainFacts): InstanceExplanation {
  const draining = facts.instance.status === 'DRAINING'
  const reasons: TaskReason[] = []
  const daemons: TaskInfo[] = []
  for (const task of facts.tasks) {
    const kind = kindOf(task, facts.services)
    const toldToStop =
      task.desiredStatus === 'STOPPED' ||
      ['DEACTIVATING', 'STOPPING', 'DEPROVISIONING'].includes(task.lastStatus)
    if (toldToStop) reasons.push(stoppingReason(facts, task))
    else if (!draining) {
      reasons.push(
        reason(task, {
          kind: 'running',
          detail: `${facts.instance.ec2InstanceId} is ${facts.instance.status}: nothing asks task ${short(task.taskArn)} to stop.`,
          fix: 'drain the instance to move its tasks',
          etaSeconds: null,
        }),
      )
    } else if (!facts.instance.agentConnected) reasons.push(disconnected(task))
    else if (kind === 'daemon') daemons.push(task)
    else if (kind === 'standalone') {
      const b = budget(facts, task)
      reasons.push(
        reason(task, {
          kind: 'standalone-task',
          detail: facts.stopStandalone
            ? `standalone task ${short(task.taskArn)} (${task.group}) is being stopped (--stop-standalone).`
            : `standalone task ${short(task.taskArn)} (${task.group}) is not part of a service: draining never stops it.`,
          fix: facts.stopStandalone
            ? 'nothing to do'
            : `stop standalone task ${short(task.taskArn)} or pass --stop-standalone`,
          etaSeconds: facts.stopStandalone ? b.stopTimeout : null,
        }),
      )
    } else if (['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus)) {
      // "Any tasks that are part of a service that are in a PENDING state are stopped immediately."
      // (Draining Amazon ECS container instances, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html)
      reasons.push(
        reason(task, {
          kind: 'starting',
          detail: `task ${short(task.taskArn)} is ${task.lastStatus} on a DRAINING instance: ECS stops it right away.`,
          fix: 'nothing to do',
          etaSeconds: budget(facts, task).stopTimeout,
        }),
      )
    } else reasons.push(replicaReason(facts, task, facts.services.get(serviceNameOf(task) ?? '')))
  }
  const othersEta = reasons.some((r) => r.etaSeconds === null)
    ? null
    : Math.max(0, ...reasons.map((r) => r.etaSeconds as number))
  for (const task of daemons) {
    // Daemon tasks leave a draining instance last, once the other tasks are gone (aws-semantics.md §2; Amazon
    // ECS service deployment controllers and strategies, Daemon scheduling strategy,
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service-options.html)
    const b = budget(facts, task)
    const others = reasons.length
    reasons.push(
      reason(task, {
        kind: 'daemon-last',
        detail: `daemon task ${short(task.taskArn)} of ${serviceNameOf(task) ?? '?'} stops after the ${others} other task(s) on the instance${othersEta === null ? '' : ` (about ${othersEta} s)`}.`,
        fix: 'nothing to do',
        etaSeconds: othersEta === null ? null : othersEta + fullStop(b),
      }),
    )
  }
  const etaSeconds = reasons.some((r) => r.etaSeconds === null)
    ? null
    : Math.max(0, ...reasons.map((r) => r.etaSeconds as number))
  return {ec2InstanceId: facts.instance.ec2InstanceId, at: facts.now, reasons, etaSeconds}
}
