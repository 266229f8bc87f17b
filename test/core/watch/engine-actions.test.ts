/**
 * The TUI's actions bound to the drain engine, through the real path (adapters over HTTP to the sim, time on
 * a ManualClock): one outcome line per key press, and complete's guard on its own, before any question.
 */
import {TerminateInstanceInAutoScalingGroupCommand} from '@aws-sdk/client-auto-scaling'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts, type AwsRuntime} from '../../../src/aws/index.js'
import {resolveCluster} from '../../../src/core/cluster.js'
import {RefusedError} from '../../../src/core/errors.js'
import {buildClusterSnapshot} from '../../../src/core/snapshot.js'
import type {ClusterInfo} from '../../../src/core/types.js'
import type {ActionReporter} from '../../../src/core/watch/actions.js'
import {engineActions} from '../../../src/core/watch/engine-actions.js'
import {simClients, startTestSim, TEST_CREDENTIALS, type TestSim} from '../../helpers/sim.js'

let sim: TestSim
let aws: AwsRuntime
let cluster: ClusterInfo
beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
  aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials: TEST_CREDENTIALS})
  cluster = await resolveCluster(aws.ecs)
})
afterAll(async () => {
  await sim?.close()
})

const clock = () => ({now: () => sim.clock.now(), sleep: async () => {}})
const actions = () =>
  engineActions(
    {ecs: aws.ecs, autoScaling: aws.autoScaling, clock: clock()},
    {
      cluster: cluster.clusterName,
      intervalMs: 1000,
      timeoutMs: 60_000,
    },
  )
function reporter() {
  const lines: string[] = []
  const report: ActionReporter = {
    progress: () => {},
    event: (text) => lines.push(text),
    heartbeatDeadline: () => {},
  }
  return {lines, report}
}

describe('engine actions (sim)', () => {
  it('undrain of an ACTIVE instance is one line that says nothing changed', async () => {
    const id = (await buildClusterSnapshot(aws, cluster)).instances[0]!.ec2InstanceId
    const {lines, report} = reporter()
    const outcome = await actions().undrain(id, report)
    expect(outcome).toEqual({
      summary: 'already ACTIVE: nothing changed',
      short: 'already ACTIVE',
      level: 'info',
    })
    expect(lines).toEqual([])
  })

  it("complete's guard refuses while a task is live, and names what is not pending", async () => {
    const victim = (await buildClusterSnapshot(aws, cluster)).instances[0]!
    // InService: there is no action to complete at all.
    await expect(actions().checkComplete(victim.ec2InstanceId)).rejects.toThrow(
      /no lifecycle action is pending/,
    )

    await simClients(sim.endpoint).autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: victim.ec2InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    )
    let state = ''
    for (let i = 0; i < 300 && state !== 'Terminating:Wait'; i++) {
      sim.manualClock!.advance(1000)
      const view = (await buildClusterSnapshot(aws, cluster)).instances.find(
        (x) => x.ec2InstanceId === victim.ec2InstanceId,
      )
      state = view?.lifecycleState ?? ''
    }
    expect(state).toBe('Terminating:Wait')
    await sim.resetStats()
    const refusal = actions().checkComplete(victim.ec2InstanceId)
    await expect(refusal).rejects.toBeInstanceOf(RefusedError)
    await expect(refusal).rejects.toThrow(
      `1 task(s) still live on ${victim.ec2InstanceId}: completing todobackend-drain-hook would terminate them`,
    )
    // Only looked: nothing was completed.
    expect(Object.keys((await sim.fetchStats()).operations)).not.toContain(
      'autoscaling:CompleteLifecycleAction',
    )
  }, 60_000)
})
