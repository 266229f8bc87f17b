import type {OperationHandler} from '../../types.js'
import type {Input} from '../input.js'
import {bool, str} from '../input.js'
import type {ContainerInstance} from '../model.js'
import type {State} from '../state.js'
import {describeCluster} from './cluster-shapes.js'
import {deregisterInstance, describeInstance, setInstanceStatus} from './instances.js'
import {batch, clusterName, ecsPage, findCluster, findInstance, invalid} from './lookup.js'
import {compileExpression} from './query-language.js'
import {killTask} from './tasks.js'

/** ECS cluster and container-instance operations. */

const LISTABLE_STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']

export function clusterHandlers(state: State): Record<string, OperationHandler> {
  return {
    ListClusters: (input: Input) => {
      const {items, nextToken} = ecsPage(input, state.clusters.values())
      return {clusterArns: items.map((c) => c.arn), nextToken}
    },
    DescribeClusters: (input: Input) => {
      const refs = batch(input, 'clusters', 100, false)
      const clusters: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs.length > 0 ? refs : ['default']) {
        const name = clusterName(ref)
        const c = state.clusters.get(name)
        if (c) clusters.push(describeCluster(c))
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : state.arn('ecs', `cluster/${ref}`),
            reason: 'MISSING',
          })
      }
      return {clusters, failures}
    },
    ListContainerInstances: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const status = str(input, 'status')
      if (status !== undefined && !LISTABLE_STATUSES.includes(status))
        throw invalid(`status must be one of ${LISTABLE_STATUSES.join(', ')}.`)
      const filter = str(input, 'filter')
      const expr = filter ? compileExpression(filter) : undefined
      const pred = expr ? expr.matches : () => true
      let candidates: Iterable<ContainerInstance> = cluster.instances.values()
      if (expr?.ec2InstanceIds) {
        // Indexed: finding one instance must not walk a cluster of thousands.
        candidates = expr.ec2InstanceIds
          .map((id) => state.byEc2Id.get(id))
          .filter((ci): ci is ContainerInstance => ci?.cluster === cluster)
          .sort((a, b) => a.seq - b.seq)
      }
      const matching = function* () {
        for (const ci of candidates)
          if ((status ? ci.status === status : ci.status !== 'INACTIVE') && pred(ci)) yield ci
      }
      const {items, nextToken} = ecsPage(input, matching())
      return {containerInstanceArns: items.map((ci) => ci.arn), nextToken}
    },
    DescribeContainerInstances: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'containerInstances', 100)
      const containerInstances: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs) {
        const ci = findInstance(cluster, ref)
        if (ci) containerInstances.push(describeInstance(ci))
        else failures.push({arn: ref, reason: 'MISSING'})
      }
      return {containerInstances, failures}
    },
    UpdateContainerInstancesState: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const refs = batch(input, 'containerInstances', 10)
      const status = str(input, 'status')
      if (status !== 'ACTIVE' && status !== 'DRAINING')
        throw invalid('Container instances status can only be updated to ACTIVE or DRAINING.')
      const containerInstances: unknown[] = []
      const failures: unknown[] = []
      for (const ref of refs) {
        const ci = findInstance(cluster, ref)
        if (!ci) failures.push({arn: ref, reason: 'MISSING'})
        else if (!setInstanceStatus(state, ci, status)) failures.push({arn: ci.arn, reason: ci.status})
        else containerInstances.push(describeInstance(ci))
      }
      return {containerInstances, failures}
    },
    DeregisterContainerInstance: (input: Input) => {
      const cluster = findCluster(state, str(input, 'cluster'))
      const ref = str(input, 'containerInstance')
      if (!ref) throw invalid('containerInstance can not be blank.')
      const ci = findInstance(cluster, ref)
      if (!ci || ci.status === 'INACTIVE') throw invalid('The referenced container instance was not found.')
      const live = [...ci.tasks].filter((t) => t.lastStatus !== 'STOPPED')
      // "If tasks are running on the container instance, the force flag must be set to allow deregistration."
      // (Amazon ECS task state change events: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html)
      if (live.length > 0 && !bool(input, 'force')) throw invalid('Found running tasks on the instance.')
      // "This stops all tasks on the instance." (same page): the EC2 instance itself keeps running.
      deregisterInstance(state, ci, (t) =>
        killTask(state, t, `Container instance ${ci.id} was deregistered from the cluster.`),
      )
      return {containerInstance: describeInstance(ci)}
    },
  }
}
