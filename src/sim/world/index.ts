import type {EventEmitter} from 'node:events'
import {seedHistory} from '../scenarios/common.js'
import {SCENARIOS} from '../scenarios/index.js'
import type {OperationHandler, World, WorldOptions} from '../types.js'
import {asgHandlers} from './asg/handlers.js'
import {installRefresh, startRollouts} from './asg/refresh.js'
import {attributeHandlers} from './ecs/attributes.js'
import {capacityHandlers} from './ecs/capacity-handlers.js'
import {installManagedDraining} from './ecs/capacity-providers.js'
import {clusterHandlers} from './ecs/cluster-handlers.js'
import {protectionHandlers} from './ecs/protection.js'
import {installScheduler} from './ecs/scheduler.js'
import {serviceHandlers} from './ecs/service-handlers.js'
import {taskHandlers} from './ecs/task-handlers.js'
import {elbHandlers} from './elb/handlers.js'
import {metricHandlers, readMetric} from './metrics/handlers.js'
import {createStackServices, type StackServices} from '../stack/index.js'
import {DEFAULT_TIMINGS} from './model.js'
import {State} from './state.js'

/**
 * The simulated region's world: ECS, Auto Scaling, CloudWatch and ELBv2 (target groups) as plain-object
 * operation handlers.
 *
 * Notification point, for the hook stack (SNS -> Lambda): `world.notifications` is a Node EventEmitter that
 * emits `'publish'` with `{targetArn, roleArn, message}` (message is the JSON text Auto Scaling sends):
 * - when PutLifecycleHook creates or updates a hook with a NotificationTargetARN: the test message
 *   `{"Service":"AWS Auto Scaling","Event":"autoscaling:TEST_NOTIFICATION",...}` (no LifecycleTransition);
 * - when an instance enters Terminating:Wait for such a hook: the lifecycle action message (Origin,
 *   Destination, Service, Time, AccountId, LifecycleTransition, RequestId, LifecycleActionToken,
 *   EC2InstanceId, LifecycleHookName, AutoScalingGroupName, NotificationMetadata).
 * Listeners run synchronously inside the world's step: deliver asynchronously (setImmediate) if they call back.
 */
export interface SimWorld extends World {
  readonly notifications: EventEmitter
  /** The world's state, for tests and benchmarks that inspect it directly. */
  readonly state: State
  /** The hook stack's services (CloudFormation, SNS, Lambda), for tests that inspect them. */
  readonly stack: StackServices
}

export function createWorld(options: WorldOptions): SimWorld {
  const timings = {...DEFAULT_TIMINGS, ...options.timings}
  const state = new State(
    options.clock,
    options.region,
    options.accountId,
    timings,
    options.seed,
    options.knobs,
  )
  installScheduler(state)
  installRefresh(state)
  installManagedDraining(state)

  // Build quietly: the reservation metrics get their 30 minutes of steady history once the world stands.
  state.quiet++
  SCENARIOS[options.scenario].build(state, options)
  state.quiet--
  state.built = true
  seedHistory(state)

  if (options.rolloutEveryMs && options.rolloutEveryMs > 0) {
    for (const g of state.groups.values()) startRollouts(state, g, options.rolloutEveryMs)
  }

  const handlers: Record<'ecs' | 'autoscaling' | 'cloudwatch' | 'elbv2', Record<string, OperationHandler>> = {
    ecs: {
      ...clusterHandlers(state),
      ...serviceHandlers(state),
      ...taskHandlers(state),
      ...attributeHandlers(state),
      ...protectionHandlers(state),
      ...capacityHandlers(state),
    },
    autoscaling: asgHandlers(state),
    cloudwatch: metricHandlers(state),
    elbv2: elbHandlers(state),
  }
  // The hook stack's CloudFormation, SNS and Lambda (src/sim/stack), fed by the world's notifications.
  const stack = createStackServices({
    clock: options.clock,
    region: options.region,
    accountId: options.accountId,
    speed: options.speed,
    callWorld: async (service, operation, input) => {
      const handler = (handlers as Partial<Record<string, Record<string, OperationHandler>>>)[service]?.[
        operation
      ]
      if (!handler) throw new Error(`no ${service} ${operation} in the world`)
      return handler(input, {region: options.region, requestId: state.ids.uuid()})
    },
    recordMetric: (namespace, name, dims, value, unit) =>
      state.metrics.record(namespace, name, dims, value, state.now(), {unit}),
    readMetric: (namespace, name, dims, stat, start, end) =>
      readMetric(state, namespace, name, dims, stat, start, end),
  })
  stack.attach(state.notifications, 'publish')
  return {
    handlers: {
      ...handlers,
      ...stack.handlers,
      cloudwatch: {...handlers.cloudwatch, ...stack.alarms.handlers()},
    },
    notifications: state.notifications,
    audit: state.audit,
    state,
    stack,
    summary: () => ({clusters: [...state.clusters.keys()], autoScalingGroups: [...state.groups.keys()]}),
    attachEndpoint: (endpoint) => stack.setEndpoint(endpoint),
    stop: () => {
      stack.stop()
      state.stop()
    },
  }
}
