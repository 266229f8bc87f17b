import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, obj, page, str} from '../input.js'
import type {State} from '../state.js'
import {launchTemplateInput} from './group-handlers.js'
import type {Group, RefreshPreferences} from './model.js'
import {cancelRefresh, rollbackRefresh} from './refresh-control.js'
import {startRefresh} from './refresh.js'
import {describeRefresh} from './shapes.js'
import {int, intIn, maxRecords, requireGroup, validation} from './validation.js'

/**
 * StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh and RollbackInstanceRefresh. The
 * preferences and their defaults are RefreshPreferences' (API reference,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html, and "Understand the
 * default values for an instance refresh", https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html).
 */

function oneOf<T extends string>(input: Input, name: string, values: readonly T[], def: T): T {
  const v = str(input, name) ?? def
  if (!values.includes(v as T)) throw validation(`${name} must be one of ${values.join(', ')}, got ${v}.`)
  return v as T
}

function checkpoints(prefs: Input): number[] | undefined {
  const raw = list(prefs, 'CheckpointPercentages')
  if (!raw) return undefined
  const values = raw.map((v) => Number(v))
  if (values.length === 0) throw validation('CheckpointPercentages must not be empty.')
  for (const [n, v] of values.entries()) {
    if (!Number.isInteger(v) || v < 0 || v > 100)
      throw validation(`CheckpointPercentages values must be integers from 0 to 100, got ${String(raw[n])}.`)
    if (n > 0 && v <= values[n - 1]!)
      throw validation('CheckpointPercentages must be unique and in ascending order.')
  }
  return values
}

export function parsePreferences(g: Group, input: Input): RefreshPreferences {
  const prefs = obj(input, 'Preferences') ?? {}
  const min = intIn(prefs, 'MinHealthyPercentage', 0, 100)
  const max = intIn(prefs, 'MaxHealthyPercentage', 100, 200)
  if (max !== undefined && min === undefined)
    throw validation('If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage.')
  if (max !== undefined && max - min! > 100)
    throw validation(
      'The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.',
    )
  const points = checkpoints(prefs)
  const delay = intIn(prefs, 'CheckpointDelay', 0, 172_800)
  if (delay !== undefined && !points)
    throw validation('If you specify CheckpointDelay, you must also specify CheckpointPercentages.')
  const warmup = int(prefs, 'InstanceWarmup')
  if (warmup !== undefined && warmup < 0) throw validation('InstanceWarmup must be 0 or more.')
  // "If you do not specify this property, the default is 90 percent, or the percentage set in the instance
  // maintenance policy for the Auto Scaling group, if defined" (RefreshPreferences).
  const policy = min === undefined ? g.instanceMaintenancePolicy : undefined
  return {
    minHealthyPercentage: min ?? policy?.minHealthyPercentage ?? 90,
    maxHealthyPercentage: max ?? policy?.maxHealthyPercentage,
    // "The default instance warmup, if defined, or the health check grace period otherwise."
    instanceWarmupSeconds: warmup ?? g.defaultInstanceWarmup ?? g.healthCheckGracePeriod,
    checkpointPercentages: points,
    checkpointDelaySeconds: delay,
    skipMatching: bool(prefs, 'SkipMatching') ?? false,
    autoRollback: bool(prefs, 'AutoRollback') ?? false,
    scaleInProtectedInstances: oneOf(
      prefs,
      'ScaleInProtectedInstances',
      ['Refresh', 'Ignore', 'Wait'],
      'Wait',
    ),
    standbyInstances: oneOf(prefs, 'StandbyInstances', ['Terminate', 'Ignore', 'Wait'], 'Wait'),
    bakeTimeSeconds: intIn(prefs, 'BakeTime', 0, 172_800) ?? 0,
  }
}

export function refreshHandlers(state: State): Record<string, OperationHandler> {
  return {
    StartInstanceRefresh: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const strategy = str(input, 'Strategy') ?? 'Rolling'
      if (strategy !== 'Rolling')
        throw validation(`Strategy ${strategy} is not supported here: the simulator models Rolling only.`)
      const desiredConfiguration = obj(input, 'DesiredConfiguration')
      if (desiredConfiguration && obj(desiredConfiguration, 'MixedInstancesPolicy'))
        throw validation('The simulator models a DesiredConfiguration with a LaunchTemplate only.')
      const desired = desiredConfiguration ? launchTemplateInput(state, g, desiredConfiguration) : undefined
      const r = startRefresh(state, g, {preferences: parsePreferences(g, input), desired})
      return {InstanceRefreshId: r.id}
    },
    DescribeInstanceRefreshes: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const ids = list<string>(input, 'InstanceRefreshIds')?.map(String)
      const refreshes = g.refreshes
        .filter((r) => !ids || ids.includes(r.id))
        .map((r, n) => ({r, seq: g.refreshes.length - n}))
      const {items, nextToken} = page(
        refreshes,
        str(input, 'NextToken'),
        maxRecords(input, 50, 100),
        'ValidationError',
        true,
      )
      return {InstanceRefreshes: items.map(({r}) => describeRefresh(state, g, r)), NextToken: nextToken}
    },
    CancelInstanceRefresh: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const wait = bool(input, 'WaitForTransitioningInstances') ?? true
      return {InstanceRefreshId: cancelRefresh(state, g, wait).id}
    },
    RollbackInstanceRefresh: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      return {InstanceRefreshId: rollbackRefresh(state, g).id}
    },
  }
}
