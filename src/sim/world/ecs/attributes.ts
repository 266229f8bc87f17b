import {SimError, type OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {list, str} from '../input.js'
import type {Cluster, ContainerInstance} from '../model.js'
import type {State} from '../state.js'
import {instanceAttributes} from './instances.js'
import {ecsPage, findCluster, findInstance, invalid} from './lookup.js'

/**
 * Custom container instance attributes: PutAttributes, ListAttributes and DeleteAttributes, which memberOf
 * constraints and ListContainerInstances' filter read. Rules from the Attribute data type
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Attribute.html) and PutAttributes
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAttributes.html): "You can specify up to 10
 * attributes in a single call", AttributeLimitExceededException: "You can apply up to 10 custom attributes for
 * each resource", and TargetNotFoundException for an unknown target.
 */

const NAME = /^[A-Za-z0-9_./\\-]{1,128}$/
const VALUE = /^(?! )[A-Za-z0-9_.@/\\: -]{1,128}(?<! )$/
const MAX_CUSTOM = 10

function targetNotFound(id: string): SimError {
  return new SimError(
    'TargetNotFoundException',
    `The specified target wasn't found (${id}). You can view your available container instances with ListContainerInstances. Amazon ECS container instances are cluster-specific and Region-specific.`,
  )
}

interface AttributeInput {
  name: string
  value?: string
  ci: ContainerInstance
}

function parse(state: State, cluster: Cluster, input: Input, withValues: boolean): AttributeInput[] {
  const raw = list<Input>(input, 'attributes')
  if (!raw || raw.length === 0) throw invalid('attributes can not be empty.')
  if (raw.length > 10) throw invalid('You can specify up to 10 attributes in a single call.')
  return raw.map((a) => {
    const name = str(a, 'name') ?? ''
    if (!NAME.test(name))
      throw invalid(
        `Invalid attribute name ${name}: 1 to 128 letters, numbers, hyphens, underscores, forward slashes, back slashes or periods.`,
      )
    if (name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.'))
      throw invalid(`The attribute name ${name} is reserved for Amazon ECS.`)
    const value = str(a, 'value')
    if (withValues && value !== undefined && !VALUE.test(value))
      throw invalid(
        `Invalid attribute value ${value}: 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, colons or spaces, not starting or ending with a space.`,
      )
    const targetType = str(a, 'targetType') ?? 'container-instance'
    if (targetType !== 'container-instance') throw invalid('targetType must be container-instance.')
    const targetId = str(a, 'targetId')
    if (!targetId) throw invalid('targetId can not be blank.')
    const ci = findInstance(cluster, targetId)
    if (!ci || ci.status === 'INACTIVE') throw targetNotFound(targetId)
    return {name, value, ci}
  })
}

function shape(cluster: Cluster, a: {name: string; value?: string; ci: ContainerInstance}) {
  return {
    name: a.name,
    ...(a.value === undefined ? {} : {value: a.value}),
    targetType: 'container-instance',
    targetId: a.ci.arn,
  }
}

export function attributeHandlers(state: State): Record<string, OperationHandler> {
  return {
    PutAttributes: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const attrs = parse(state, cluster, input, true)
      // All or nothing: check every target's limit before changing any.
      const after = new Map<ContainerInstance, Set<string>>()
      for (const a of attrs) {
        const names = after.get(a.ci) ?? new Set(a.ci.attributes.keys())
        names.add(a.name)
        after.set(a.ci, names)
        if (names.size > MAX_CUSTOM)
          throw new SimError(
            'AttributeLimitExceededException',
            'You can apply up to 10 custom attributes for each resource.',
          )
      }
      for (const a of attrs) {
        a.ci.attributes.set(a.name, a.value)
        a.ci.version++
      }
      // New attributes can make room for services waiting on a memberOf constraint.
      state.capacityChanged(cluster)
      return {attributes: attrs.map((a) => shape(cluster, a))}
    },
    DeleteAttributes: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const attrs = parse(state, cluster, input, false)
      for (const a of attrs) {
        a.ci.attributes.delete(a.name)
        a.ci.version++
      }
      return {attributes: attrs.map((a) => shape(cluster, a))}
    },
    ListAttributes: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const targetType = str(input, 'targetType')
      if (targetType !== 'container-instance') throw invalid('targetType must be container-instance.')
      const name = str(input, 'attributeName')
      const value = str(input, 'attributeValue')
      if (value !== undefined && name === undefined)
        throw invalid('attributeName must be specified when attributeValue is specified.')
      const rows: {seq: number; name: string; value?: string; ci: ContainerInstance}[] = []
      for (const ci of cluster.instances.values()) {
        if (ci.status === 'INACTIVE') continue
        for (const [n, v] of instanceAttributes(ci)) {
          if (name !== undefined && n !== name) continue
          if (value !== undefined && v !== value) continue
          rows.push({seq: rows.length, name: n, value: v, ci})
        }
      }
      const {items, nextToken} = ecsPage(input, rows)
      return {attributes: items.map((a) => shape(cluster, a)), nextToken}
    },
  }
}
