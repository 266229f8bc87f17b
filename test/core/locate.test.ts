import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {locateInstances} from '../../src/core/locate.js'
import {FakeEcs, fakeInstance} from '../helpers/fake-ecs.js'

const I1 = 'i-0123456789abcdef0'
const I2 = 'i-0aaaaaaaaaaaaaaaa'
const I3 = 'i-1234abcd'

function world() {
  return new FakeEcs({
    web: [fakeInstance('web', I1), fakeInstance('web', I3)],
    batch: [fakeInstance('batch', I2)],
  })
}

describe('locateInstances', () => {
  it('finds instances across clusters with filtered lookups, never full listings', async () => {
    const ecs = world()
    const found = await locateInstances({ecs}, [I2, I1, I2])
    expect(found.map((f) => [f.instance.ec2InstanceId, f.cluster])).toEqual([
      [I2, 'batch'],
      [I1, 'web'],
    ])
    expect(ecs.calls.some((c) => c.startsWith('ListContainerInstances'))).toBe(false)
    expect(ecs.calls.filter((c) => c.startsWith('Find'))).toHaveLength(4)
  })

  it('with a cluster, searches only that cluster after checking it exists', async () => {
    const ecs = world()
    const [hit] = await locateInstances({ecs}, [I3], 'web')
    expect(hit!.instance.ec2InstanceId).toBe(I3)
    expect(ecs.calls).toEqual(['DescribeClusters web', `Find web ${I3}`])
  })

  it('rejects a malformed id before any AWS call', async () => {
    const ecs = world()
    const err = (await locateInstances({ecs}, [I1, 'i-XYZ', 'web-1']).catch((e: unknown) => e)) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.exitCode).toBe(2)
    expect(err.message).toBe('Not an EC2 instance id: "i-XYZ", "web-1"')
    expect(ecs.calls).toEqual([])
  })

  it('an id in no cluster is exit 2, naming the clusters searched', async () => {
    const err = (await locateInstances({ecs: world()}, ['i-00000000deadbeef0']).catch(
      (e: unknown) => e,
    )) as UsageError
    expect(err.exitCode).toBe(2)
    expect(err.code).toBe('INSTANCE_NOT_FOUND')
    expect(err.message).toBe('Not a container instance: i-00000000deadbeef0 (searched batch, web).')
  })

  it('an id not in the given cluster says so and suggests searching everywhere', async () => {
    const err = (await locateInstances({ecs: world()}, [I2], 'web').catch((e: unknown) => e)) as UsageError
    expect(err.message).toBe(`Not a container instance: ${I2} (searched web).`)
    expect(err.suggestion).toMatch(/drop --cluster/)
  })

  it('an id registered in two clusters is ambiguous (exit 2)', async () => {
    const ecs = new FakeEcs({a: [fakeInstance('a', I1)], b: [fakeInstance('b', I1)]})
    const err = (await locateInstances({ecs}, [I1]).catch((e: unknown) => e)) as UsageError
    expect(err.exitCode).toBe(2)
    expect(err.code).toBe('INSTANCE_AMBIGUOUS')
    expect(err.message).toBe(`Registered in more than one cluster: ${I1} (in a, b).`)
  })

  it('an unknown cluster is exit 2 with the known list', async () => {
    const err = (await locateInstances({ecs: world()}, [I1], 'nope').catch((e: unknown) => e)) as UsageError
    expect(err.code).toBe('UNKNOWN_CLUSTER')
    expect(err.message).toContain('Known clusters: batch, web.')
  })
})
