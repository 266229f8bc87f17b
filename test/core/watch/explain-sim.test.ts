/**
 * The details view's reasons come from the drain explainer, through the real path (AWS adapters over HTTP
 * to the sim's multi-az scenario, time moved by a ManualClock): a task leaving the ALB says which target
 * group holds it and counts down the 300 s deregistration delay, which the engine's own rules cannot know.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {createAwsPorts, type AwsRuntime} from '../../../src/aws/index.js'
import {systemClock} from '../../../src/core/clock.js'
import {resolveCluster} from '../../../src/core/cluster.js'
import {buildClusterSnapshot} from '../../../src/core/snapshot.js'
import type {ClusterInfo, InstanceView} from '../../../src/core/types.js'
import {InstanceDetailsLoader, type TaskRow} from '../../../src/core/watch/details.js'
import {createWatchExplainer} from '../../../src/core/watch/explain.js'
import {startWatchSession, type WatchSession} from '../../../src/core/watch/session.js'
import {startTestSim, TEST_CREDENTIALS, type TestSim} from '../../helpers/sim.js'
import {refreshes} from './refreshes.js'

let sim: TestSim | undefined
let session: WatchSession | undefined
afterEach(async () => {
  await session?.stop()
  await sim?.close()
  session = undefined
  sim = undefined
})

async function multiAz(): Promise<{
  sim: TestSim
  aws: AwsRuntime
  cluster: ClusterInfo
  target: InstanceView
}> {
  sim = await startTestSim({scenario: 'multi-az'})
  const aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS})
  const cluster = await resolveCluster(aws.ecs)
  const snap = await buildClusterSnapshot(aws, cluster)
  // An m5 of the spread group, which runs a `web` task (the c5 runs `reports`, which nothing else can).
  const target = snap.instances.find((i) => i.instanceType?.startsWith('m5'))!
  return {sim, aws, cluster, target}
}

const deregistering = (rows: readonly TaskRow[]) => rows.find((t) => t.reason?.kind === 'deregistering')

describe('the details view explains with the drain explainer (sim)', () => {
  it('names the target group and counts down its deregistration delay', async () => {
    const {sim, aws, cluster, target} = await multiAz()
    const clock = {now: () => sim.clock.now()}
    const loader = new InstanceDetailsLoader(
      aws.ecs,
      cluster.clusterName,
      target,
      createWatchExplainer({ecsDetails: aws.ecsDetails, elb: aws.elb}, clock),
    )
    const load = async () => {
      const now = await buildClusterSnapshot(aws, cluster, {detail: 'full'})
      const instance = now.instances.find((i) => i.ec2InstanceId === target.ec2InstanceId)!
      return loader.load({instance, services: now.services, now: clock.now()})
    }
    // Running on an ACTIVE instance: nothing to explain.
    expect((await load()).every((t) => t.reason === undefined)).toBe(true)

    await aws.ecs.updateContainerInstancesState(
      cluster.clusterName,
      [target.containerInstanceArn],
      'DRAINING',
    )
    let rows: TaskRow[] = await load()
    for (let step = 0; step < 120 && !deregistering(rows); step++) {
      sim.manualClock!.advance(5000)
      rows = await load()
    }
    const first = deregistering(rows)
    expect(first, JSON.stringify(rows.map((t) => [t.lastStatus, t.reason]))).toBeDefined()
    expect(first!.reason!.detail).toContain('web-tg')
    expect(first!.reason!.detail).toContain('300 s deregistration delay')
    expect(first!.reason!.fix).toMatch(/deregistration_delay/)
    // At most the 300 s delay plus the task's 30 s stopTimeout.
    const eta = first!.reason!.etaSeconds!
    expect(eta).toBeGreaterThan(200)
    expect(eta).toBeLessThanOrEqual(330)

    sim.manualClock!.advance(60_000)
    rows = await load()
    const later = rows.find((t) => t.taskArn === first!.taskArn)!
    expect(later.reason?.kind).toBe('deregistering')
    expect(later.reason!.etaSeconds).toBe(eta - 60)
  }, 60_000)

  it('is what a watch session’s details view uses unless told otherwise', async () => {
    const {sim, aws, cluster, target} = await multiAz()
    // Refreshes every 150 ms of real time; the sim's world moves only when the test advances it.
    const clock = {now: () => sim.clock.now(), sleep: systemClock.sleep}
    session = startWatchSession({
      ports: aws,
      cluster,
      location: sim.endpoint,
      clock,
      intervalMs: 150,
      autoDrain: false,
      callStats: () => aws.ledger.summary(),
    })
    await aws.ecs.updateContainerInstancesState(
      cluster.clusterName,
      [target.containerInstanceArn],
      'DRAINING',
    )
    await refreshes(session, 1)
    await session.details.open(target.ec2InstanceId)
    const rows = () => session!.store.getState().details?.tasks ?? []
    for (let step = 0; step < 120 && !deregistering(rows()); step++) {
      sim.manualClock!.advance(5000)
      await refreshes(session, 1)
      await session.details.refresh()
    }
    expect(deregistering(rows())?.reason?.detail).toContain('web-tg')
  }, 60_000)
})
