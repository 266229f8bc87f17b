import {SimError} from '../../types.js'
import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, num, obj, page, str} from '../input.js'
import type {State} from '../state.js'
import {heartbeat} from './actions.js'
import {beginTermination, completeAction, iso, reconcileCapacity} from './groups.js'
import type {AsgInstance, Group, LifecycleAction, LifecycleHook} from './model.js'
import {describeActivity, describeGroup, describeHook, launchTemplate} from './shapes.js'
import {percentComplete, startRefresh} from './refresh.js'

/** Auto Scaling operations (awsQuery: every scalar arrives as a string, and is coerced here). */

function validation(message: string): SimError {
  return new SimError('ValidationError', message)
}

function int(input: Input, name: string): number | undefined {
  return num(input, name, 'ValidationError')
}

function maxRecords(input: Input, def: number, max: number): number {
  const n = int(input, 'MaxRecords') ?? def
  if (n < 1 || n > max) throw validation(`MaxRecords must be between 1 and ${max}.`)
  return n
}

function requireGroup(state: State, name: string | undefined): Group {
  const g = name ? state.groups.get(name) : undefined
  if (!g) throw validation(`AutoScalingGroup name not found - AutoScalingGroup ${name ?? 'null'} not found`)
  return g
}

function findInstance(state: State, id: string): {g: Group; inst: AsgInstance} | undefined {
  for (const g of state.groups.values()) {
    const inst = g.instances.get(id)
    if (inst) return {g, inst}
  }
  return undefined
}

/** The pending action named by hook + group + (InstanceId or LifecycleActionToken), or AWS's error. */
function findAction(state: State, input: Input): {g: Group; inst: AsgInstance; action: LifecycleAction} {
  const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
  const hookName = str(input, 'LifecycleHookName')
  if (!hookName) throw validation('LifecycleHookName is required.')
  const instanceId = str(input, 'InstanceId')
  const token = str(input, 'LifecycleActionToken')
  if (!instanceId && !token)
    throw validation('Either an instance ID or a lifecycle action token must be specified.')
  for (const inst of g.instances.values()) {
    if (instanceId && inst.id !== instanceId) continue
    const action = inst.actions.get(hookName)
    if (action && (!token || action.token === token)) return {g, inst, action}
  }
  throw validation(
    instanceId
      ? `No active Lifecycle Action found with instance ID ${instanceId}`
      : `No active Lifecycle Action found with token ${token}`,
  )
}

export function asgHandlers(state: State): Record<string, OperationHandler> {
  const changedDesired = (g: Group, from: number, to: number) => (n: number, m: number) => {
    const now = iso(state.now())
    const what = m > n ? 'started' : 'taken out of service'
    return (
      `At ${now} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.  ` +
      `At ${now} an instance was ${what} in response to a difference between desired and actual capacity, ` +
      `${m > n ? 'increasing' : 'shrinking'} the capacity from ${n} to ${m}.`
    )
  }
  return {
    DescribeAutoScalingGroups: (input: Input) => {
      const names = list<string>(input, 'AutoScalingGroupNames')?.map(String)
      if (names && names.length > 100) throw validation('The number of group names must not exceed 100.')
      const groups = [...state.groups.values()].filter((g) => !names || names.includes(g.name))
      const {items, nextToken} = page(
        groups,
        str(input, 'NextToken'),
        maxRecords(input, 50, 100),
        'ValidationError',
      )
      return {AutoScalingGroups: items.map(describeGroup), NextToken: nextToken}
    },
    DescribeAutoScalingInstances: (input: Input) => {
      const ids = list<string>(input, 'InstanceIds')?.map(String)
      if (ids && ids.length > 50)
        throw validation('The number of instance ids that may be passed in is limited to 50')
      const all = [...state.groups.values()].flatMap((g) =>
        [...g.instances.values()].map((inst) => ({g, inst, seq: inst.seq})),
      )
      const matching = all.filter((x) => !ids || ids.includes(x.inst.id)).sort((a, b) => a.seq - b.seq)
      const {items, nextToken} = page(
        matching,
        str(input, 'NextToken'),
        maxRecords(input, 50, 50),
        'ValidationError',
      )
      return {
        AutoScalingInstances: items.map(({g, inst}) => ({
          InstanceId: inst.id,
          InstanceType: inst.instanceType,
          AutoScalingGroupName: g.name,
          AvailabilityZone: inst.availabilityZone,
          LifecycleState: inst.lifecycleState,
          // Not a typo: this call spells health in capitals, DescribeAutoScalingGroups does not.
          HealthStatus: 'HEALTHY',
          LaunchTemplate: launchTemplate(g, inst),
          ProtectedFromScaleIn: inst.protectedFromScaleIn,
        })),
        NextToken: nextToken,
      }
    },
    SetDesiredCapacity: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const desired = int(input, 'DesiredCapacity')
      if (desired === undefined) throw validation('DesiredCapacity is required.')
      if (desired > g.maxSize)
        throw validation(
          `New SetDesiredCapacity value ${desired} is above max value ${g.maxSize} for the AutoScalingGroup.`,
        )
      if (desired < g.minSize)
        throw validation(
          `New SetDesiredCapacity value ${desired} is below min value ${g.minSize} for the AutoScalingGroup.`,
        )
      const from = g.desiredCapacity
      g.desiredCapacity = desired
      reconcileCapacity(state, g, changedDesired(g, from, desired))
      return {}
    },
    TerminateInstanceInAutoScalingGroup: (input: Input) => {
      const id = str(input, 'InstanceId') ?? ''
      const decrement = bool(input, 'ShouldDecrementDesiredCapacity')
      if (decrement === undefined) throw validation('ShouldDecrementDesiredCapacity is required.')
      const found = findInstance(state, id)
      if (!found) throw validation(`Instance Id not found - No managed instance found for instance ID: ${id}`)
      const {g, inst} = found
      if (!inService(inst)) return {Activity: describeActivity(g, inst.activity!)}
      if (decrement) {
        if (g.desiredCapacity - 1 < g.minSize)
          throw validation(
            `Currently, desiredCapacity (${g.desiredCapacity}) is at or below minSize (${g.minSize}). ` +
              'Terminating the instance and decrementing desiredCapacity would violate the group minimum size.',
          )
        g.desiredCapacity--
      }
      const now = iso(state.now())
      const activity = beginTermination(
        state,
        g,
        inst,
        `At ${now} instance ${id} was taken out of service in response to a user request` +
          (decrement
            ? `, shrinking the capacity from ${g.desiredCapacity + 1} to ${g.desiredCapacity}.`
            : '.'),
      )
      reconcileCapacity(
        state,
        g,
        (n, m) =>
          `At ${now} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${n} to ${m}.`,
      )
      return {Activity: describeActivity(g, activity)}
    },
    SetInstanceProtection: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const ids = list<string>(input, 'InstanceIds')?.map(String) ?? []
      if (ids.length > 50)
        throw validation('The number of instance ids that may be passed in is limited to 50')
      const protect = bool(input, 'ProtectedFromScaleIn')
      if (protect === undefined) throw validation('ProtectedFromScaleIn is required.')
      for (const id of ids)
        if (!g.instances.has(id))
          throw validation(`The instance ${id} is not part of Auto Scaling group ${g.name}.`)
      for (const id of ids) g.instances.get(id)!.protectedFromScaleIn = protect
      return {}
    },
    PutLifecycleHook: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const name = str(input, 'LifecycleHookName')
      if (!name) throw validation('LifecycleHookName is required.')
      const existing = g.hooks.get(name)
      const transition = str(input, 'LifecycleTransition') ?? existing?.transition
      if (
        transition !== 'autoscaling:EC2_INSTANCE_LAUNCHING' &&
        transition !== 'autoscaling:EC2_INSTANCE_TERMINATING'
      )
        throw validation(`Invalid Lifecycle Transition: ${transition ?? 'null'}`)
      const heartbeatTimeout = int(input, 'HeartbeatTimeout') ?? existing?.heartbeatTimeout ?? 3600
      if (heartbeatTimeout < 30 || heartbeatTimeout > 7200)
        throw validation('Heartbeat timeout must be between 30 and 7200 seconds.')
      const defaultResult = str(input, 'DefaultResult') ?? existing?.defaultResult ?? 'ABANDON'
      if (defaultResult !== 'CONTINUE' && defaultResult !== 'ABANDON')
        throw validation(`Invalid value for DefaultResult: ${defaultResult}`)
      const hook: LifecycleHook = {
        name,
        groupName: g.name,
        transition,
        heartbeatTimeout,
        defaultResult,
        roleArn: str(input, 'RoleARN') ?? existing?.roleArn,
        notificationTargetArn: str(input, 'NotificationTargetARN') ?? existing?.notificationTargetArn,
        notificationMetadata: str(input, 'NotificationMetadata') ?? existing?.notificationMetadata,
      }
      g.hooks.set(name, hook)
      if (hook.notificationTargetArn) {
        // Auto Scaling proves it can reach the target with a test message first.
        state.notifications.emit('publish', {
          targetArn: hook.notificationTargetArn,
          roleArn: hook.roleArn,
          message: JSON.stringify({
            AccountId: state.accountId,
            RequestId: state.ids.uuid(),
            AutoScalingGroupARN: g.arn,
            AutoScalingGroupName: g.name,
            Service: 'AWS Auto Scaling',
            Event: 'autoscaling:TEST_NOTIFICATION',
            Time: new Date(state.now()).toISOString(),
          }),
        })
      }
      return {}
    },
    DeleteLifecycleHook: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const name = str(input, 'LifecycleHookName') ?? ''
      if (!g.hooks.has(name))
        throw validation(`No Lifecycle Hook found with name ${name} for group ${g.name}`)
      g.hooks.delete(name)
      // Outstanding actions complete first: CONTINUE for terminating instances, as AWS documents.
      for (const inst of [...g.instances.values()])
        if (inst.actions.has(name)) completeAction(state, g, inst, name, 'CONTINUE')
      return {}
    },
    DescribeLifecycleHooks: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const names = list<string>(input, 'LifecycleHookNames')?.map(String)
      const hooks = [...g.hooks.values()].filter((h) => !names || names.includes(h.name))
      return {LifecycleHooks: hooks.map(describeHook)}
    },
    CompleteLifecycleAction: (input: Input) => {
      const result = str(input, 'LifecycleActionResult')
      if (result !== 'CONTINUE' && result !== 'ABANDON')
        throw validation(`Invalid value for LifecycleActionResult: ${result ?? 'null'}`)
      const {g, inst, action} = findAction(state, input)
      completeAction(state, g, inst, action.hook.name, result)
      return {}
    },
    RecordLifecycleActionHeartbeat: (input: Input) => {
      heartbeat(state, findAction(state, input).action)
      return {}
    },
    DescribeScalingActivities: (input: Input) => {
      const name = str(input, 'AutoScalingGroupName')
      const ids = list<string>(input, 'ActivityIds')?.map(String)
      const groups = name
        ? [state.groups.get(name)].filter((g): g is Group => !!g)
        : [...state.groups.values()]
      const all = groups
        .flatMap((g) => g.activities.map((a) => ({g, a, seq: a.seq})))
        .filter((x) => !ids || ids.includes(x.a.id))
        .sort((x, y) => y.seq - x.seq)
      const {items, nextToken} = page(
        all,
        str(input, 'NextToken'),
        maxRecords(input, 100, 100),
        'ValidationError',
        true,
      )
      return {Activities: items.map(({g, a}) => describeActivity(g, a)), NextToken: nextToken}
    },
    StartInstanceRefresh: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const strategy = str(input, 'Strategy') ?? 'Rolling'
      if (strategy !== 'Rolling') throw validation(`Invalid Strategy: ${strategy}`)
      const prefs = obj(input, 'Preferences') ?? {}
      const r = startRefresh(state, g, {
        minHealthyPercentage: int(prefs, 'MinHealthyPercentage'),
        maxHealthyPercentage: int(prefs, 'MaxHealthyPercentage'),
        instanceWarmupSeconds: int(prefs, 'InstanceWarmup'),
      })
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
      return {
        InstanceRefreshes: items.map(({r}) => ({
          InstanceRefreshId: r.id,
          AutoScalingGroupName: r.groupName,
          Status: r.status,
          StatusReason: r.statusReason,
          StartTime: new Date(r.startTime),
          EndTime: r.endTime === undefined ? undefined : new Date(r.endTime),
          PercentageComplete: percentComplete(r),
          InstancesToUpdate: r.toReplace.size,
          Preferences: {
            MinHealthyPercentage: r.minHealthyPercentage,
            MaxHealthyPercentage: r.maxHealthyPercentage,
            InstanceWarmup: r.instanceWarmupSeconds,
            SkipMatching: false,
            AutoRollback: false,
            ScaleInProtectedInstances: 'Ignore',
            StandbyInstances: 'Ignore',
          },
          ProgressDetails: {
            LivePoolProgress: {PercentageComplete: percentComplete(r), InstancesToUpdate: r.toReplace.size},
          },
        })),
        NextToken: nextToken,
      }
    },
  }
}

function inService(inst: AsgInstance): boolean {
  return !inst.lifecycleState.startsWith('Terminat')
}
