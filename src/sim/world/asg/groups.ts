import {deregisterInstance, registerInstance} from '../ecs/instances.js'
import {killTask} from '../ecs/tasks.js'
import type {State} from '../state.js'
import {startAction} from './actions.js'
import {liveTasks} from './audit.js'
import {activeRefresh, launchTemplateFor, versionRank} from './launch-templates.js'
import type {Activity, AsgInstance, Group, LifecycleAction} from './model.js'

/**
 * Auto Scaling groups: capacity, launches (Pending -> InService, then the ECS agent registers after the boot
 * delay) and terminations through lifecycle hooks (Terminating:Wait -> Terminating:Proceed -> Terminated,
 * when the container instance is deregistered and its tasks die).
 */

const IN_CAPACITY = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService'])

export function inCapacity(i: AsgInstance): boolean {
  return IN_CAPACITY.has(i.lifecycleState)
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface GroupSpec {
  name: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  instanceType: string
  cpu: number
  memory: number
  clusterName?: string
  availabilityZones?: string[]
  capacityProvider?: {name: string; managedDraining: boolean}
  /** Seconds; the API's default is 0. */
  healthCheckGracePeriod?: number
  defaultInstanceWarmup?: number
}

export function createGroup(state: State, spec: GroupSpec): Group {
  const g: Group = {
    seq: state.nextSeq(),
    name: spec.name,
    arn: state.arn('autoscaling', `autoScalingGroup:${state.ids.uuid()}:autoScalingGroupName/${spec.name}`),
    minSize: spec.minSize,
    maxSize: spec.maxSize,
    desiredCapacity: spec.desiredCapacity,
    availabilityZones: spec.availabilityZones ?? [`${state.region}a`, `${state.region}b`],
    instanceType: spec.instanceType,
    cpu: spec.cpu,
    memory: spec.memory,
    clusterName: spec.clusterName,
    launchTemplate: {
      LaunchTemplateId: `lt-0${state.ids.hex(16)}`,
      LaunchTemplateName: `${spec.name}-lt`,
      Version: '1',
    },
    healthCheckGracePeriod: spec.healthCheckGracePeriod ?? 0,
    defaultInstanceWarmup: spec.defaultInstanceWarmup,
    defaultCooldown: 300,
    newInstancesProtectedFromScaleIn: false,
    instances: new Map(),
    hooks: new Map(),
    activities: [],
    refreshes: [],
    createdAt: state.now(),
    surge: 0,
    azCounts: new Map(),
    capacityProvider: spec.capacityProvider,
    tags: [],
  }
  state.groups.set(g.name, g)
  return g
}

export function startActivity(
  state: State,
  g: Group,
  description: string,
  cause: string,
  az: string,
): Activity {
  const a: Activity = {
    seq: state.nextSeq(),
    id: state.ids.uuid(),
    groupName: g.name,
    description,
    cause,
    startTime: state.now(),
    statusCode: 'InProgress',
    progress: 0,
    details: JSON.stringify({'Subnet ID': `subnet-0${state.ids.hex(16)}`, 'Availability Zone': az}),
  }
  g.activities.unshift(a)
  if (g.activities.length > 1000) g.activities.length = 1000
  return a
}

function endActivity(
  state: State,
  a: Activity | undefined,
  code: Activity['statusCode'] = 'Successful',
): void {
  if (!a) return
  a.statusCode = code
  a.progress = 100
  a.endTime = state.now()
}

/** The AZ with the fewest instances in capacity, so launches stay balanced as Auto Scaling keeps them. */
function nextAz(g: Group): string {
  let best = g.availabilityZones[0]!
  for (const z of g.availabilityZones) if ((g.azCounts.get(z) ?? 0) < (g.azCounts.get(best) ?? 0)) best = z
  return best
}

function countAz(g: Group, az: string, by: number): void {
  g.azCounts.set(az, (g.azCounts.get(az) ?? 0) + by)
}

function newInstance(state: State, g: Group): AsgInstance {
  const inst: AsgInstance = {
    seq: state.nextSeq(),
    id: state.ids.ec2InstanceId(),
    groupName: g.name,
    availabilityZone: nextAz(g),
    instanceType: g.instanceType,
    lifecycleState: 'Pending',
    protectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    launchedAt: state.now(),
    launchTemplate: launchTemplateFor(g),
    actions: new Map(),
    registered: false,
    timers: [],
  }
  g.instances.set(inst.id, inst)
  state.asgInstances.set(inst.id, inst)
  countAz(g, inst.availabilityZone, 1)
  return inst
}

/** Registers the instance's container instance in the group's cluster (the ECS agent starting). */
export function registerWithEcs(state: State, g: Group, inst: AsgInstance): void {
  const cluster = g.clusterName ? state.clusters.get(g.clusterName) : undefined
  inst.registered = true
  if (!cluster || inst.lifecycleState === 'Terminated') return
  registerInstance(state, cluster, {
    ec2InstanceId: inst.id,
    instanceType: inst.instanceType,
    availabilityZone: inst.availabilityZone,
    cpu: g.cpu,
    memory: g.memory,
    capacityProviderName: g.capacityProvider?.name,
    asgName: g.name,
  })
}

/** Scenario building: an instance that has long been InService and registered. */
export function addRunningInstance(state: State, g: Group): AsgInstance {
  const inst = newInstance(state, g)
  inst.lifecycleState = 'InService'
  inst.inServiceAt = state.now() - 3_600_000
  registerWithEcs(state, g, inst)
  return inst
}

export function launchInstance(state: State, g: Group, cause: string): AsgInstance {
  const inst = newInstance(state, g)
  inst.activity = startActivity(
    state,
    g,
    `Launching a new EC2 instance: ${inst.id}`,
    cause,
    inst.availabilityZone,
  )
  inst.activity.statusCode = 'PreInService'
  inst.timers.push(
    state.after(state.timings.inServiceDelayMs, () => {
      if (inst.lifecycleState !== 'Pending') return
      const hooks = [...g.hooks.values()].filter((h) => h.transition === 'autoscaling:EC2_INSTANCE_LAUNCHING')
      if (hooks.length > 0) {
        // A launching hook holds the instance in Pending:Wait until it is completed or times out.
        inst.lifecycleState = 'Pending:Wait'
        if (inst.activity) inst.activity.statusCode = 'MidLifecycleAction'
        for (const hook of hooks) startAction(state, g, inst, hook, onTimeout(state, g, inst))
      } else enterService(state, g, inst)
      state.onGroupChange(g)
    }),
    state.after(state.timings.bootDelayMs, () => {
      if (inst.lifecycleState.startsWith('Terminat')) return
      registerWithEcs(state, g, inst)
      state.onGroupChange(g)
    }),
  )
  return inst
}

function enterService(state: State, g: Group, inst: AsgInstance): void {
  inst.lifecycleState = 'InService'
  inst.inServiceAt = state.now()
  endActivity(state, inst.activity)
}

/** Which instance a scale-in takes: one being refreshed, then unprotected, the oldest launch, oldest first. */
export function pickVictims(g: Group, n: number, prefer?: Set<string>): AsgInstance[] {
  const candidates = [...g.instances.values()].filter((i) => inCapacity(i) && !i.protectedFromScaleIn)
  candidates.sort(
    (a, b) =>
      Number(prefer?.has(b.id) ?? 0) - Number(prefer?.has(a.id) ?? 0) ||
      versionRank(a.launchTemplate) - versionRank(b.launchTemplate) ||
      a.seq - b.seq,
  )
  return candidates.slice(0, n)
}

/** Launches or terminates until the instances in capacity match desired (plus an instance refresh's surge). */
export function reconcileCapacity(state: State, g: Group, cause: (from: number, to: number) => string): void {
  const counted = [...g.instances.values()].filter(inCapacity).length
  const target = g.desiredCapacity + g.surge
  for (let n = counted; n < target; n++) launchInstance(state, g, cause(n, n + 1))
  if (counted > target) {
    const prefer = activeRefresh(g)?.toReplace
    let n = counted
    for (const v of pickVictims(g, counted - target, prefer)) {
      beginTermination(state, g, v, cause(n, n - 1))
      n--
    }
  }
}

export function beginTermination(state: State, g: Group, inst: AsgInstance, cause: string): Activity {
  for (const t of inst.timers) state.cancel(t)
  inst.timers = []
  for (const a of inst.actions.values()) state.cancel(a.timer)
  inst.actions.clear()
  if (inCapacity(inst)) countAz(g, inst.availabilityZone, -1)
  inst.lifecycleState = 'Terminating'
  // A launch still under way is cut short; a launch that ended keeps the status it ended with.
  if (inst.activity?.endTime === undefined) endActivity(state, inst.activity, 'Cancelled')
  inst.activity = startActivity(
    state,
    g,
    `Terminating EC2 instance: ${inst.id}`,
    cause,
    inst.availabilityZone,
  )
  const hooks = [...g.hooks.values()].filter((h) => h.transition === 'autoscaling:EC2_INSTANCE_TERMINATING')
  if (hooks.length === 0) {
    proceed(state, g, inst)
    return inst.activity
  }
  inst.lifecycleState = 'Terminating:Wait'
  inst.activity.statusCode = 'MidLifecycleAction'
  for (const hook of hooks) startAction(state, g, inst, hook, onTimeout(state, g, inst))
  state.onGroupChange(g)
  return inst.activity
}

/** A deadline passed without completion: the hook's DefaultResult applies. */
function onTimeout(state: State, g: Group, inst: AsgInstance) {
  return (action: LifecycleAction) =>
    completeAction(state, g, inst, action.hook.name, action.hook.defaultResult)
}

/** CONTINUE or ABANDON: for a termination both let it proceed; ABANDON also skips the remaining hooks. */
export function completeAction(
  state: State,
  g: Group,
  inst: AsgInstance,
  hookName: string,
  result: string,
): void {
  const action = inst.actions.get(hookName)
  if (!action) return
  state.cancel(action.timer)
  inst.actions.delete(hookName)
  if (result === 'ABANDON') {
    for (const a of inst.actions.values()) state.cancel(a.timer)
    inst.actions.clear()
  }
  if (inst.actions.size > 0) return
  if (inst.lifecycleState === 'Terminating:Wait') proceed(state, g, inst)
  else if (inst.lifecycleState === 'Pending:Wait') {
    if (result === 'ABANDON') {
      // An abandoned launch is terminated, and the group launches another in its place.
      beginTermination(
        state,
        g,
        inst,
        `At ${iso(state.now())} an instance launch was abandoned by a lifecycle hook.`,
      )
      reconcileCapacity(
        state,
        g,
        () => `At ${iso(state.now())} an instance was started to replace an abandoned launch.`,
      )
      return
    }
    inst.lifecycleState = 'Pending:Proceed'
    inst.timers.push(
      state.after(0, () => {
        if (inst.lifecycleState !== 'Pending:Proceed') return
        enterService(state, g, inst)
        state.onGroupChange(g)
      }),
    )
    state.onGroupChange(g)
  }
}

function proceed(state: State, g: Group, inst: AsgInstance): void {
  inst.lifecycleState = 'Terminating:Proceed'
  if (inst.activity) inst.activity.statusCode = 'InProgress'
  state.onGroupChange(g)
  inst.timers.push(
    state.after(state.timings.terminateDelayMs, () => {
      const ci = state.byEc2Id.get(inst.id)
      const alive = liveTasks(ci)
      if (alive.length > 0)
        state.audit.termination({at: new Date(state.now()).toISOString(), instanceId: inst.id, tasks: alive})
      if (ci)
        deregisterInstance(state, ci, (t) => killTask(state, t, `Host EC2 (instance ${inst.id}) terminated.`))
      inst.lifecycleState = 'Terminated'
      endActivity(state, inst.activity)
      g.instances.delete(inst.id)
      state.asgInstances.delete(inst.id)
      state.onGroupChange(g)
    }),
  )
}
