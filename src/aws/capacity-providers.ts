import {DescribeCapacityProvidersCommand, type ECSClient} from '@aws-sdk/client-ecs'

import {call} from './batch.js'

/**
 * The capacity providers among `names` whose managed instance draining is on (ECS drains their
 * instances itself). No port covers DescribeCapacityProviders yet, so this uses the raw client.
 */
export async function managedDrainingProviders(client: ECSClient, names: string[]): Promise<string[]> {
  if (names.length === 0) return []
  const out = await call({operation: 'ECS.DescribeCapacityProviders'}, () =>
    client.send(new DescribeCapacityProvidersCommand({capacityProviders: names})),
  )
  return (out.capacityProviders ?? [])
    .filter((p) => p.autoScalingGroupProvider?.managedDraining === 'ENABLED')
    .map((p) => p.name ?? '')
}
