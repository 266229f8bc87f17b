/**
 * The contract between the simulator's world model (src/sim/world) and its wire layer (src/sim/protocol,
 * src/sim/server.ts). The world answers operations in AWS's own input and output shapes, as plain objects;
 * the wire layer decodes requests into those shapes and encodes the answers in each protocol's format.
 *
 * Input values from awsQuery arrive as strings (numbers and booleans included): handlers coerce them.
 * Output timestamps are Date objects: the encoders write them as each protocol does (epoch seconds in JSON,
 * CBOR tag 1, ISO 8601 in XML).
 */
import type {WorldAudit} from './stats.js'

export type SimServiceName =
  'ecs' | 'autoscaling' | 'cloudwatch' | 'cloudformation' | 'sns' | 'lambda' | 'elbv2' | 'sqs'

/** An error in AWS's terms: the wire layer renders it in the protocol's real error format. */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message)
    this.name = 'SimError'
  }
}

export interface RequestContext {
  region: string
  requestId: string
}

export type OperationHandler = (input: Record<string, unknown>, ctx: RequestContext) => unknown

export interface SimClock {
  /** Milliseconds since the epoch, on the sim's clock (which may run faster than real time). */
  now(): number
  /** Runs fn after ms of sim time. */
  setTimer(fn: () => void, ms: number): SimTimer
  clearTimer(timer: SimTimer): void
}

export interface SimTimer {
  readonly id: number
}

export type ScenarioName = 'todobackend' | 'large' | 'multi-az' | 'misconfigured'
export type HookMode = 'none' | 'manual' | 'lambda'

export interface WorldOptions {
  clock: SimClock
  region: string
  accountId: string
  scenario: ScenarioName
  hook: HookMode
  /** For `large`. */
  instances?: number
  services?: number
  tasksPerInstance?: number
  /** Starts an instance refresh of the scenario's group every so many ms of sim time. */
  rolloutEveryMs?: number
  /** Overrides of how long things take in the world (sim ms); see DEFAULT_TIMINGS in world/model.ts. */
  timings?: Partial<SimTimings>
  /** Seed of the world's ids: the same seed gives the same ARNs and instance ids. */
  seed?: number
  /** The scenario's knobs (see ScenarioKnobs); AWS's defaults where unset. */
  knobs?: ScenarioKnobs
  /**
   * The clock's speed relative to real time (`--speed`), for code that runs outside the world on the
   * sim's time: the hook stack's Lambda workers. Default 1.
   */
  speed?: number
}

/** How long things take, in sim milliseconds (a faster clock makes them pass faster in real time). */
export interface SimTimings {
  /** Launch of an EC2 instance until its ECS agent registers the container instance. */
  bootDelayMs: number
  /** Launch until Auto Scaling reports the instance InService. */
  inServiceDelayMs: number
  /** PROVISIONING until RUNNING, split evenly over PROVISIONING, PENDING and ACTIVATING. */
  taskStartMs: number
  /** DEPROVISIONING until STOPPED. */
  deprovisionMs: number
  /** The service scheduler reacts to changes after this long (it is not instantaneous in ECS either). */
  schedulerDelayMs: number
  /** Terminating:Proceed until Terminated (EC2 shutting the instance down). */
  terminateDelayMs: number
  /** STOPPED tasks and INACTIVE instances stay visible this long, as in ECS. */
  retentionMs: number
}

/**
 * What a scenario lets the user choose. Stop timeouts and deregistration delays are not here: they are AWS's
 * own values (a container's stopTimeout, else the agent's 30 s; a target group's deregistration delay, 300 s
 * unless ModifyTargetGroupAttributes changes it), and a faster clock (`--speed`) is how to make them pass sooner.
 */
export interface ScenarioKnobs {
  /** How long the scenario's apps take to exit after SIGTERM (sim ms). Unset: they ignore it and are killed at stopTimeout. */
  sigtermExitMs?: number
  /** HeartbeatTimeout of the scenario's own terminating hook (`--hook manual`), in seconds. */
  hookHeartbeatTimeoutSeconds?: number
  /** Put the scenario's groups behind ECS capacity providers with managed scaling, termination protection and draining. */
  capacityProviders?: boolean
  /** Tasks of task definitions registered after the scenario was built fail their health checks. */
  unhealthyNewRevisions?: boolean
}

/** A message Auto Scaling publishes to a lifecycle hook's NotificationTargetARN (SNS topic or SQS queue). */
export interface HookNotification {
  targetArn: string
  roleArn?: string
  /** The JSON text Auto Scaling sends: the test message, or the lifecycle action message. */
  message: string
}

/** The world's notification point: `on('publish', (n: HookNotification) => ...)`. */
export interface WorldNotifications {
  on(event: 'publish', listener: (n: HookNotification) => void): unknown
  off(event: 'publish', listener: (n: HookNotification) => void): unknown
}

export interface World {
  /** The handlers, by service and operation name (e.g. handlers.ecs.ListClusters). */
  readonly handlers: Partial<Record<SimServiceName, Record<string, OperationHandler>>>
  summary(): {clusters: string[]; autoScalingGroups: string[]}
  /** Cancels the world's timers. */
  stop(): void
  /** Lifecycle-hook notifications (see src/sim/world/index.ts); absent in fake worlds. */
  readonly notifications?: WorldNotifications
  /** What the world counts about drains gone wrong, served in `GET /_sim/stats` (see stats.ts). */
  readonly audit?: WorldAudit
  /** Tells the world where it is served, once the server listens (Lambda functions get AWS_ENDPOINT_URL). */
  attachEndpoint?(endpoint: string): void
}
