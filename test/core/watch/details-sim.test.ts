/**
 * The details view's tasks through the real path: the AWS adapters over HTTP to the sim, time moved by a
 * ManualClock. A look costs two ListTasks and one DescribeTasks for that one instance, whatever the
 * cluster holds; a drain shows each task's reason while it is still not STOPPED, then its stop reason.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts, type AwsRuntime} from '../../../src/aws/index.js'
import {resolveCluster} from '../../../src/core/cluster.js'
import {buildClusterSnapshot} from '../../../src/core/snapshot.js'
import type {ClusterInfo} from '../../../src/core/types.js'
import {InstanceDetailsLoader, type TaskRow} from '../../../src/core/watch/details.js'
import {startTestSim, TEST_CREDENTIALS, type TestSim} from '../../helpers/sim.js'

let sim: TestSim
let aws: AwsRuntime
let cluster: ClusterInfo
beforeAll(async () => {
  sim = await startTestSim({scenario: 'large', instances: 4, services: 2, tasksPerInstance: 2})
  aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS})
  cluster = await resolveCluster(aws.ecs)
})
afterAll(async () => {
  await sim?.close()
})

describe('the details view’s tasks (sim)', () => {
  it('costs two ListTasks and one DescribeTasks, and follows a drain to every task STOPPED', async () => {
    const snap = await buildClusterSnapshot(aws, cluster)
    const target = snap.instances[0]!
    const loader = new InstanceDetailsLoader(aws.ecs, cluster.clusterName, target)
    const load = async () => {
      const now = await buildClusterSnapshot(aws, cluster)
      const instance = now.instances.find((i) => i.ec2InstanceId === target.ec2InstanceId)!
      return loader.load({instance, services: now.services, now: sim.clock.now()})
    }

    await sim.resetStats()
    const first = await loader.load({instance: target, services: snap.services, now: sim.clock.now()})
    const stats = await sim.fetchStats()
    expect(stats.operations).toEqual({
      'ecs:ListTasks': {calls: 2, throttled: 0, errors: 0},
      'ecs:DescribeTasks': {calls: 1, throttled: 0, errors: 0},
    })
    expect(first).toHaveLength(2)
    expect(first.every((t) => t.lastStatus === 'RUNNING' && t.service !== null && t.kind === 'replica')).toBe(
      true,
    )
    // Running on an ACTIVE instance: nothing to explain.
    expect(first.every((t) => t.reason === undefined)).toBe(true)

    await aws.ecs.updateContainerInstancesState(
      cluster.clusterName,
      [target.containerInstanceArn],
      'DRAINING',
    )
    const seen: TaskRow[] = []
    let rows = await load()
    for (let step = 0; step < 240 && rows.some((t) => t.lastStatus !== 'STOPPED'); step++) {
      seen.push(...rows)
      sim.manualClock!.advance(5000)
      rows = await load()
    }
    // While a task was not STOPPED, it said why (waiting for its replacement, or stopping).
    const explained = seen.filter((t) => t.lastStatus !== 'STOPPED')
    expect(explained.length).toBeGreaterThan(0)
    expect(explained.every((t) => t.reason !== undefined)).toBe(true)
    expect(
      [...new Set(explained.map((t) => t.reason!.kind))].every((k) =>
        ['awaiting-replacement', 'stopping'].includes(k),
      ),
    ).toBe(true)
    // Then the same two tasks, STOPPED, with ECS's stop reason; nothing is live any more.
    const ids = first.map((t) => t.taskId).sort()
    expect(rows.map((t) => t.taskId).sort()).toEqual(ids)
    expect(rows.every((t) => t.lastStatus === 'STOPPED' && t.stoppedReason && t.reason === undefined)).toBe(
      true,
    )
  }, 60_000)
})
