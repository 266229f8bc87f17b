/**
 * Finds container instances by EC2 id. With a cluster, one filtered lookup per id; without, every cluster
 * is searched with the `ec2InstanceId ==` filter (never a full listing, which is what breaks the book's
 * Lambda past 100 instances). Not found and ambiguous are usage errors (exit 2) that say where we looked.
 */
import {clusterName, resolveCluster} from './cluster.js'
import {mapBounded} from './concurrency.js'
import {UsageError} from './errors.js'
import {parseEc2InstanceIds} from './ids.js'
import type {EcsPort} from './ports.js'
import type {ContainerInstance} from './types.js'

export interface LocatedInstance {
  /** The cluster's name (not its ARN). */
  cluster: string
  instance: ContainerInstance
}

/** Lookups in flight at once: each is one or two small calls. */
const LOOKUP_CONCURRENCY = 8

/**
 * Validates every id before any call, then returns one LocatedInstance per distinct id, in input order.
 * @throws UsageError for a malformed id, an unknown cluster, an id not found, or an id found in several clusters.
 */
export async function locateInstances(
  ports: {ecs: EcsPort},
  ids: readonly string[],
  cluster?: string,
): Promise<LocatedInstance[]> {
  const wanted = parseEc2InstanceIds(ids)
  const clusters = cluster
    ? [(await resolveCluster(ports.ecs, cluster)).clusterName]
    : (await ports.ecs.listClusterArns()).map(clusterName).sort()

  const pairs = wanted.flatMap((id) => clusters.map((c) => ({id, cluster: c})))
  const hits = await mapBounded(pairs, LOOKUP_CONCURRENCY, async (p) => ({
    ...p,
    instance: await ports.ecs.findContainerInstance(p.cluster, p.id),
  }))

  const missing: string[] = []
  const ambiguous: string[] = []
  const located: LocatedInstance[] = []
  for (const id of wanted) {
    const found = hits.filter((h) => h.id === id && h.instance !== undefined)
    if (found.length === 0) missing.push(id)
    else if (found.length > 1) ambiguous.push(`${id} (in ${found.map((f) => f.cluster).join(', ')})`)
    else located.push({cluster: found[0]!.cluster, instance: found[0]!.instance!})
  }

  const where = clusters.length === 0 ? 'no cluster exists' : `searched ${clusters.join(', ')}`
  if (missing.length > 0) {
    throw new UsageError(`Not a container instance: ${missing.join(', ')} (${where}).`, {
      code: 'INSTANCE_NOT_FOUND',
      suggestion: cluster
        ? 'Check the id with `ecsdrain instances`, or drop --cluster to search every cluster.'
        : 'Check the id with `ecsdrain instances --cluster C`, and --region / --profile.',
    })
  }
  if (ambiguous.length > 0) {
    throw new UsageError(`Registered in more than one cluster: ${ambiguous.join('; ')}.`, {
      code: 'INSTANCE_AMBIGUOUS',
      suggestion: 'Pass --cluster to say which registration you mean.',
    })
  }
  return located
}
