/**
 * A whole watch session against the sim (real adapters, real HTTP, real time at short intervals): the
 * details view's tasks are fetched for the one instance shown, at each refresh while it is open, and not at
 * all otherwise, so that a cluster of 1,000 instances costs no ListTasks per refresh.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../../src/aws/index.js'
import {systemClock} from '../../../src/core/clock.js'
import {resolveCluster} from '../../../src/core/cluster.js'
import {startWatchSession, type WatchSession} from '../../../src/core/watch/session.js'
import {RealClock} from '../../../src/sim/clock.js'
import {startTestSim, TEST_CREDENTIALS, type TestSim} from '../../helpers/sim.js'
import {refreshes} from './refreshes.js'

let sim: TestSim
let session: WatchSession | undefined
beforeAll(async () => {
  sim = await startTestSim({
    scenario: 'large',
    instances: 30,
    services: 3,
    tasksPerInstance: 2,
    clock: new RealClock(),
  })
})
afterAll(async () => {
  await session?.stop()
  await sim?.close()
})

const listTasks = async () => (await sim.fetchStats()).operations['ecs:ListTasks']?.calls ?? 0

describe('watch session (sim)', () => {
  it('lists tasks only for the open details view, at each refresh, and stops when it closes', async () => {
    const aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS})
    const cluster = await resolveCluster(aws.ecs)
    session = startWatchSession({
      ports: aws,
      cluster,
      location: sim.endpoint,
      clock: systemClock,
      intervalMs: 150,
      autoDrain: false,
      callStats: () => aws.ledger.summary(),
    })
    await refreshes(session, 3)
    // Thirty instances, three refreshes: not one ListTasks.
    expect(await listTasks()).toBe(0)

    const id = session.store.getState().instances[4]!.ec2InstanceId
    await session.details.open(id)
    expect(session.store.getState().details).toMatchObject({ec2InstanceId: id, state: 'ready'})
    expect(session.store.getState().details!.tasks).toHaveLength(2)
    expect(await listTasks()).toBe(2)
    await refreshes(session, 3)
    // Two per look (RUNNING, then STOPPED), one look per refresh, give or take the one in flight.
    const open = await listTasks()
    expect(open).toBeGreaterThanOrEqual(2 + 2 * 2)
    expect(open).toBeLessThanOrEqual(2 + 2 * 4)

    session.details.close()
    await refreshes(session, 1)
    const closed = await listTasks()
    await refreshes(session, 3)
    expect(await listTasks()).toBe(closed)
    expect(session.store.getState().details).toBeNull()
  }, 60_000)
})
