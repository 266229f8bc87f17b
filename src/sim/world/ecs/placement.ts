import type {Input} from '../input.js'
import {list, str} from '../input.js'
import type {
  Cluster,
  ContainerInstance,
  PlacementConstraint,
  PlacementStrategy,
  Service,
  TaskDefinition,
} from '../model.js'
import {activeInstance} from '../model.js'
import type {State} from '../state.js'
import {instanceAttributes, misfit} from './instances.js'
import {invalid} from './lookup.js'
import {compileExpression, type CompiledExpression} from './query-language.js'

/**
 * Task placement, in the order "Use strategies to define Amazon ECS task placement" gives
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html): the instances
 * with the CPU, memory and ports the task needs; of those, the ones that satisfy the constraints; of those, the
 * best by the strategies. "Task placement strategies are a best effort ... However, task placement constraints
 * are binding, and they can prevent task placement." Never a DRAINING instance.
 */

export type Placement = {instance: ContainerInstance} | {reason: string; closest?: ContainerInstance}

export interface PlacementRequest {
  taskDef: TaskDefinition
  /** The task's group: `service:NAME` or `family:NAME` (what distinctInstance and spread count within). */
  group: string
  service?: Service
  constraints: PlacementConstraint[]
  strategy: PlacementStrategy[]
  /** Only instances of these capacity providers (a capacity provider strategy), when set. */
  capacityProviders?: Set<string>
}

/** "For tasks running as part of an Amazon ECS service, the task placement strategy is spread using the attribute:ecs.availability-zone." (same page) */
export const SERVICE_DEFAULT_STRATEGY: PlacementStrategy[] = [
  {type: 'spread', field: 'attribute:ecs.availability-zone'},
]

const compiled = new Map<string, CompiledExpression>()
function expression(text: string): CompiledExpression {
  let c = compiled.get(text)
  if (!c) {
    c = compileExpression(text)
    if (compiled.size > 1000) compiled.clear()
    compiled.set(text, c)
  }
  return c
}

/** How many live tasks (desiredStatus RUNNING) of the group each instance holds. */
function groupCounts(cluster: Cluster, req: PlacementRequest): (ci: ContainerInstance) => number {
  if (req.service) {
    const placed = req.service.placedOn
    return (ci) => placed.get(ci) ?? 0
  }
  return (ci) => {
    let n = 0
    for (const t of ci.tasks) if (t.desiredStatus === 'RUNNING' && t.group === req.group) n++
    return n
  }
}

function fieldValue(ci: ContainerInstance, field: string): string {
  if (field === 'instanceId' || field === 'host') return ci.id
  return instanceAttributes(ci).get(field.slice('attribute:'.length)) ?? ''
}

export function place(state: State, cluster: Cluster, req: PlacementRequest): Placement {
  const count = groupCounts(cluster, req)
  const memberOf = [...req.taskDef.placementConstraints, ...req.constraints]
    .filter((c) => c.type === 'memberOf' && c.expression)
    .map((c) => expression(c.expression!))
  const distinct = req.constraints.some((c) => c.type === 'distinctInstance')
  let anyActive = false
  let resourceMiss: {ci: ContainerInstance; reason: string} | undefined
  let constraintMiss: {ci: ContainerInstance; reason: string} | undefined
  const fits: ContainerInstance[] = []
  for (const ci of cluster.instances.values()) {
    if (!activeInstance(ci)) continue
    if (req.capacityProviders && !req.capacityProviders.has(ci.capacityProviderName ?? '')) continue
    anyActive = true
    const why = misfit(ci, req.taskDef)
    if (why) {
      resourceMiss ??= {ci, reason: why}
      continue
    }
    if (!memberOf.every((e) => e.matches(ci))) {
      constraintMiss ??= {ci, reason: 'MemberOf placement constraint unsatisfied'}
      continue
    }
    if (distinct && count(ci) > 0) {
      constraintMiss ??= {ci, reason: 'DistinctInstance placement constraint unsatisfied'}
      continue
    }
    fits.push(ci)
  }
  if (fits.length === 0) {
    if (!anyActive) return {reason: 'No Container Instances were found in your cluster.'}
    const miss = constraintMiss ?? resourceMiss
    return {reason: miss?.reason ?? 'AGENT', closest: miss?.ci}
  }
  return {instance: best(state, cluster, fits, req, count)}
}

function best(
  state: State,
  cluster: Cluster,
  fits: ContainerInstance[],
  req: PlacementRequest,
  count: (ci: ContainerInstance) => number,
): ContainerInstance {
  const strategy = req.strategy
  const keys: ((ci: ContainerInstance) => number)[] = []
  for (const s of strategy) {
    if (s.type === 'random') {
      const order = new Map(fits.map((ci) => [ci, Number.parseInt(state.ids.hex(6), 16)]))
      keys.push((ci) => order.get(ci)!)
    } else if (s.type === 'binpack') {
      // "the instance with the least amount of remaining memory but still enough to run the task" (PlacementStrategy)
      keys.push(s.field === 'cpu' ? (ci) => ci.remainingCpu : (ci) => ci.remainingMemory)
    } else {
      const field = s.field ?? 'instanceId'
      if (field === 'instanceId' || field === 'host') keys.push(count)
      else {
        // Spread over the values the cluster's instances have (e.g. every AZ), counting the group's tasks in each.
        const perValue = new Map<string, number>()
        for (const ci of cluster.instances.values())
          if (activeInstance(ci) || count(ci) > 0) {
            const v = fieldValue(ci, field)
            perValue.set(v, (perValue.get(v) ?? 0) + count(ci))
          }
        keys.push((ci) => perValue.get(fieldValue(ci, field)) ?? 0)
      }
    }
  }
  // Ties: fewest tasks of the group, then the most free memory, then the oldest instance (deterministic).
  keys.push(
    count,
    (ci) => -ci.remainingMemory,
    (ci) => ci.seq,
  )
  let pick = fits[0]!
  for (const ci of fits.slice(1)) {
    for (const key of keys) {
      const d = key(ci) - key(pick)
      if (d < 0) pick = ci
      if (d !== 0) break
    }
  }
  return pick
}

/** placementConstraints of CreateService / RunTask / RegisterTaskDefinition, checked as ECS checks them. */
export function parseConstraints(
  input: Input,
  name: string,
  inTaskDefinition = false,
): PlacementConstraint[] {
  const raw = list<Input>(input, name) ?? []
  if (raw.length > 10) throw invalid('You can specify a maximum of 10 placement constraints for a task.')
  return raw.map((c) => {
    const type = str(c, 'type')
    const expr = str(c, 'expression')
    if (type === 'distinctInstance') {
      if (inTaskDefinition)
        throw invalid('distinctInstance placement constraints are not supported in task definitions.')
      if (expr)
        throw invalid('An expression cannot be specified with the distinctInstance placement constraint.')
      return {type}
    }
    if (type !== 'memberOf')
      throw invalid(`Placement constraint type must be distinctInstance or memberOf, got ${type}.`)
    if (!expr) throw invalid('An expression is required for the memberOf placement constraint.')
    if (expr.length > 2000)
      throw invalid('The placement constraint expression can have a maximum length of 2000 characters.')
    expression(expr)
    return {type, expression: expr}
  })
}

/** placementStrategy of CreateService / RunTask; field values as PlacementStrategy documents them. */
export function parseStrategy(input: Input, name: string): PlacementStrategy[] {
  const raw = list<Input>(input, name) ?? []
  if (raw.length > 5) throw invalid('You can specify a maximum of 5 placement strategies for a task.')
  return raw.map((s) => {
    const type = str(s, 'type')
    const field = str(s, 'field')
    if (type === 'random') return {type}
    if (type === 'binpack') {
      if (field !== 'cpu' && field !== 'memory')
        throw invalid(`Invalid binpack placement strategy field: ${field}. Valid values are cpu and memory.`)
      return {type, field}
    }
    if (type === 'spread') {
      const f = field ?? 'instanceId'
      if (f !== 'instanceId' && f !== 'host' && !/^attribute:\S+$/.test(f))
        throw invalid(
          `Invalid spread placement strategy field: ${f}. Valid values are instanceId, host or attribute:NAME.`,
        )
      return {type, field: f}
    }
    throw invalid(`Placement strategy type must be random, spread or binpack, got ${type}.`)
  })
}
