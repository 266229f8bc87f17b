/**
 * Which cluster a command works on: `--cluster` (whose flag also reads ECSDRAIN_CLUSTER), else the
 * account's only cluster. Anything else is a usage error that lists the clusters, so the operator can
 * copy the right name instead of guessing.
 */
import {AwsApiError, UsageError} from './errors.js'
import type {EcsPort} from './ports.js'
import type {ClusterInfo} from './types.js'

/** `arn:aws:ecs:region:account:cluster/NAME` or `NAME` -> `NAME`. */
export function clusterName(nameOrArn: string): string {
  const i = nameOrArn.indexOf(':cluster/')
  return i >= 0 ? nameOrArn.slice(i + ':cluster/'.length) : nameOrArn
}

function listed(names: string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ')
}

async function knownClusterNames(ecs: EcsPort): Promise<string[]> {
  return (await ecs.listClusterArns()).map(clusterName).sort()
}

/** Resolves and checks the cluster. Costs one call with --cluster, two without. */
export async function resolveCluster(ecs: EcsPort, requested?: string): Promise<ClusterInfo> {
  if (requested !== undefined && requested.trim() !== '') {
    const found = await describeOne(ecs, requested.trim())
    if (found) return found
    const known = await knownClusterNames(ecs)
    throw new UsageError(`Cluster "${requested}" was not found. Known clusters: ${listed(known)}.`, {
      code: 'UNKNOWN_CLUSTER',
      suggestion:
        known.length > 0
          ? `Pass --cluster with one of them (or fix ECSDRAIN_CLUSTER), or check --region and --profile.`
          : 'This account and region have no ECS cluster: check --region and --profile.',
    })
  }

  const known = await knownClusterNames(ecs)
  if (known.length === 1) {
    const only = await describeOne(ecs, known[0]!)
    if (only) return only
  }
  if (known.length === 0) {
    throw new UsageError('There is no ECS cluster in this account and region.', {
      code: 'NO_CLUSTER',
      suggestion: 'Check --region and --profile (or AWS_REGION and AWS_PROFILE).',
    })
  }
  throw new UsageError(`Several clusters exist; choose one: ${listed(known)}.`, {
    code: 'CLUSTER_REQUIRED',
    suggestion: `Pass --cluster ${known[0]} (or set ECSDRAIN_CLUSTER).`,
  })
}

/** An INACTIVE (deleted) cluster counts as unknown: nothing can be drained there. */
async function describeOne(ecs: EcsPort, nameOrArn: string): Promise<ClusterInfo | undefined> {
  try {
    const [info] = await ecs.describeClusters([nameOrArn])
    return info && info.status !== 'INACTIVE' ? info : undefined
  } catch (error) {
    if (error instanceof AwsApiError && error.awsCode === 'ClusterNotFoundException') return undefined
    throw error
  }
}
