import {describe, expect, it} from 'vitest'

import {clusterName, resolveCluster} from '../../src/core/cluster.js'
import {UsageError} from '../../src/core/errors.js'
import {FakeEcs} from '../helpers/fake-ecs.js'

describe('resolveCluster', () => {
  it('uses the requested cluster with a single DescribeClusters call', async () => {
    const ecs = new FakeEcs({alpha: [], beta: []})
    expect((await resolveCluster(ecs, 'beta')).clusterName).toBe('beta')
    expect(ecs.calls).toEqual(['DescribeClusters beta'])
  })

  it('accepts a cluster ARN', async () => {
    const ecs = new FakeEcs({alpha: []})
    expect((await resolveCluster(ecs, 'arn:aws:ecs:us-east-1:123456789012:cluster/alpha')).clusterName).toBe(
      'alpha',
    )
  })

  it('an unknown cluster is a usage error (exit 2) listing the known ones', async () => {
    const err = await resolveCluster(new FakeEcs({beta: [], alpha: []}), 'gamma').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UsageError)
    expect((err as UsageError).exitCode).toBe(2)
    expect((err as UsageError).code).toBe('UNKNOWN_CLUSTER')
    expect((err as UsageError).message).toBe('Cluster "gamma" was not found. Known clusters: alpha, beta.')
    expect((err as UsageError).suggestion).toMatch(/--cluster/)
  })

  it('an INACTIVE (deleted) cluster counts as unknown', async () => {
    const err = await resolveCluster(new FakeEcs({alpha: []}, ['old']), 'old').catch((e: unknown) => e)
    expect((err as UsageError).code).toBe('UNKNOWN_CLUSTER')
  })

  it("without --cluster, takes the account's only cluster", async () => {
    expect((await resolveCluster(new FakeEcs({solo: []}))).clusterName).toBe('solo')
  })

  it('without --cluster and several clusters, asks for one and lists them', async () => {
    const err = (await resolveCluster(new FakeEcs({b: [], a: []})).catch((e: unknown) => e)) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.code).toBe('CLUSTER_REQUIRED')
    expect(err.message).toBe('Several clusters exist; choose one: a, b.')
    expect(err.suggestion).toMatch(/ECSDRAIN_CLUSTER/)
  })

  it('without any cluster, says so and points at region and profile', async () => {
    const err = (await resolveCluster(new FakeEcs({})).catch((e: unknown) => e)) as UsageError
    expect(err.code).toBe('NO_CLUSTER')
    expect(err.suggestion).toMatch(/--region/)
  })

  it('clusterName strips an ARN', () => {
    expect(clusterName('arn:aws:ecs:eu-west-1:1:cluster/todobackend-cluster')).toBe('todobackend-cluster')
    expect(clusterName('plain')).toBe('plain')
  })
})
