import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, list, obj, page, str} from '../input.js'
import type {State} from '../state.js'
import {beginTermination, iso, reconcileCapacity} from './groups.js'
import type {AsgInstance, Group, LaunchTemplateSpec} from './model.js'
import {describeActivity, describeGroup, launchTemplate} from './shapes.js'
import {findAsgInstance, int, intIn, maxRecords, requireGroup, validation} from './validation.js'

/** Auto Scaling groups and their instances: describing, sizing, protecting and terminating. */

/** The cause Auto Scaling writes when a user changed the desired capacity (as DescribeScalingActivities shows). */
function changedDesired(state: State, from: number, to: number) {
  return (n: number, m: number) => {
    const now = iso(state.now())
    const what = m > n ? 'started' : 'taken out of service'
    return (
      `At ${now} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.  ` +
      `At ${now} an instance was ${what} in response to a difference between desired and actual capacity, ` +
      `${m > n ? 'increasing' : 'shrinking'} the capacity from ${n} to ${m}.`
    )
  }
}

function setDesired(state: State, g: Group, desired: number): void {
  const from = g.desiredCapacity
  if (from === desired) return
  g.desiredCapacity = desired
  reconcileCapacity(state, g, changedDesired(state, from, desired))
}

/**
 * UpdateAutoScalingGroup's LaunchTemplate: an id or a name (not both), and a version ($Default if none). The
 * sim models no EC2 launch templates: another template than the group's gets a made-up id (or its id as name).
 */
export function launchTemplateInput(state: State, g: Group, input: Input): LaunchTemplateSpec | undefined {
  const spec = obj(input, 'LaunchTemplate')
  if (!spec) return undefined
  const id = str(spec, 'LaunchTemplateId')
  const name = str(spec, 'LaunchTemplateName')
  if (!id === !name)
    throw validation('Valid requests must contain either LaunchTemplateId or LaunchTemplateName, not both.')
  const same = id ? id === g.launchTemplate.LaunchTemplateId : name === g.launchTemplate.LaunchTemplateName
  return {
    LaunchTemplateId: id ?? (same ? g.launchTemplate.LaunchTemplateId : `lt-0${state.ids.hex(16)}`),
    LaunchTemplateName: name ?? (same ? g.launchTemplate.LaunchTemplateName : id!),
    Version: str(spec, 'Version') ?? '$Default',
  }
}

function inService(inst: AsgInstance): boolean {
  return !inst.lifecycleState.startsWith('Terminat')
}

export function groupHandlers(state: State): Record<string, OperationHandler> {
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
      // IncludeInstances=false leaves the members out (default true): AWS added it so that a group of many
      // instances can be described without the cost of listing them all. See "DescribeAutoScalingGroups",
      // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
      const members = bool(input, 'IncludeInstances') !== false
      return {AutoScalingGroups: items.map((g) => describeGroup(g, members)), NextToken: nextToken}
    },
    DescribeAutoScalingInstances: (input: Input) => {
      const ids = list<string>(input, 'InstanceIds')?.map(String)
      if (ids && ids.length > 50)
        throw validation('The number of instance ids that may be passed in is limited to 50')
      // The index is in launch order; asked-for ids are looked up one by one, never by walking every group.
      let matching: Iterable<AsgInstance> = state.asgInstances.values()
      if (ids) {
        const found = new Set<AsgInstance>()
        for (const id of ids) {
          const inst = state.asgInstances.get(id)
          if (inst) found.add(inst)
        }
        matching = [...found].sort((a, b) => a.seq - b.seq)
      }
      const {items, nextToken} = page(
        matching,
        str(input, 'NextToken'),
        maxRecords(input, 50, 50),
        'ValidationError',
      )
      return {
        AutoScalingInstances: items.map((inst) => {
          const g = state.groups.get(inst.groupName)!
          return {
            InstanceId: inst.id,
            InstanceType: inst.instanceType,
            AutoScalingGroupName: g.name,
            AvailabilityZone: inst.availabilityZone,
            LifecycleState: inst.lifecycleState,
            // Not a typo: this call spells health in capitals, DescribeAutoScalingGroups does not.
            HealthStatus: 'HEALTHY',
            LaunchTemplate: launchTemplate(g, inst),
            ProtectedFromScaleIn: inst.protectedFromScaleIn,
          }
        }),
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
      setDesired(state, g, desired)
      return {}
    },
    /**
     * UpdateAutoScalingGroup: only the properties given change. A new MinSize above the desired capacity
     * raises it, a new MaxSize below it lowers it, when DesiredCapacity is not given (API reference,
     * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html).
     * Everything is checked before anything changes.
     */
    UpdateAutoScalingGroup: (input: Input) => {
      const g = requireGroup(state, str(input, 'AutoScalingGroupName'))
      const minSize = intIn(input, 'MinSize', 0, 1_000_000)
      const maxSize = intIn(input, 'MaxSize', 0, 1_000_000)
      const given = intIn(input, 'DesiredCapacity', 0, 1_000_000)
      const min = minSize ?? g.minSize
      const max = maxSize ?? g.maxSize
      if (min > max) throw validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`)
      let desired = given ?? g.desiredCapacity
      if (given === undefined && minSize !== undefined && min > desired) desired = min
      if (given === undefined && maxSize !== undefined && max < desired) desired = max
      if (desired < min || desired > max)
        throw validation(
          `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
        )
      const grace = intIn(input, 'HealthCheckGracePeriod', 0, 2_147_483_647)
      const warmup = intIn(input, 'DefaultInstanceWarmup', -1, 2_147_483_647)
      const cooldown = intIn(input, 'DefaultCooldown', 0, 2_147_483_647)
      const template = launchTemplateInput(state, g, input)
      const protect = bool(input, 'NewInstancesProtectedFromScaleIn')
      const policy = maintenancePolicyInput(input)
      g.minSize = min
      g.maxSize = max
      if (grace !== undefined) g.healthCheckGracePeriod = grace
      // -1 removes the default instance warmup, as the API reference says.
      if (warmup !== undefined) g.defaultInstanceWarmup = warmup === -1 ? undefined : warmup
      if (cooldown !== undefined) g.defaultCooldown = cooldown
      if (template) g.launchTemplate = template
      if (protect !== undefined) g.newInstancesProtectedFromScaleIn = protect
      if (policy === null) delete g.instanceMaintenancePolicy
      else if (policy) g.instanceMaintenancePolicy = policy
      setDesired(state, g, desired)
      return {}
    },
    TerminateInstanceInAutoScalingGroup: (input: Input) => {
      const id = str(input, 'InstanceId') ?? ''
      const decrement = bool(input, 'ShouldDecrementDesiredCapacity')
      if (decrement === undefined) throw validation('ShouldDecrementDesiredCapacity is required.')
      const found = findAsgInstance(state, id)
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
      // A refresh waiting on protected instances may go on now.
      state.onGroupChange(g)
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
  }
}

/**
 * InstanceMaintenancePolicy: MinHealthyPercentage 0-100, MaxHealthyPercentage 100-200, both given, at most 100
 * apart; -1 for both clears the policy (API reference, InstanceMaintenancePolicy,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceMaintenancePolicy.html). undefined: not
 * given; null: cleared.
 */
function maintenancePolicyInput(
  input: Input,
): {minHealthyPercentage: number; maxHealthyPercentage: number} | null | undefined {
  const p = obj(input, 'InstanceMaintenancePolicy')
  if (!p) return undefined
  const min = intIn(p, 'MinHealthyPercentage', -1, 100)
  const max = intIn(p, 'MaxHealthyPercentage', -1, 200)
  if (min === -1 && max === -1) return null
  if (min === undefined || max === undefined)
    throw validation('Both MinHealthyPercentage and MaxHealthyPercentage must be specified.')
  if (min < 0 || max < 100)
    throw validation(
      'MinHealthyPercentage must be 0 to 100 and MaxHealthyPercentage 100 to 200, or -1 to clear both.',
    )
  if (max - min > 100)
    throw validation(
      'The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.',
    )
  return {minHealthyPercentage: min, maxHealthyPercentage: max}
}
