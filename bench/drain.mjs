#!/usr/bin/env node
/**
 * Drain one instance of a `large` sim cluster, through the real adapters over HTTP, and print:
 * - API calls per poll while waiting, at 10 and at 1,000 instances (they must not grow with the cluster);
 * - the time from the last task STOPPED to CompleteLifecycleAction (target: at most --interval + 1 s).
 * Prints figures; asserts nothing.   npm run build && npm run bench -- drain
 */
import {DescribeTasksCommand, ECSClient, ListTasksCommand} from '@aws-sdk/client-ecs'
import {
  AutoScalingClient,
  DescribeAutoScalingInstancesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'

import {createAwsPorts} from '../dist/aws/index.js'
import {systemClock} from '../dist/core/clock.js'
import {drainInstance} from '../dist/core/drain/index.js'
import {locateInstances} from '../dist/core/locate.js'
import {RealClock} from '../dist/sim/clock.js'
import {startSim} from '../dist/sim/index.js'

const INTERVAL_MS = 1000
const credentials = {accessKeyId: 'bench', secretAccessKey: 'bench'}

function total(s, prefix = '') {
  return Object.entries(s.operations)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((n, [, c]) => n + c.calls, 0)
}

async function run(instances) {
  const sim = await startSim({
    port: 0,
    scenario: 'large',
    hook: 'manual',
    instances,
    tasksPerInstance: 4,
    // Speed 1, so that the sim's stoppedAt and the engine's clock are the same clock. Stopping takes AWS's time
    // (the 30 s stopTimeout: these services have no load balancer); the sim's own delays are shortened.
    clock: new RealClock(1),
    timings: {
      bootDelayMs: 1000,
      inServiceDelayMs: 500,
      schedulerDelayMs: 300,
    },
  })
  try {
    const config = {endpoint: sim.endpoint, region: sim.region, credentials}
    const asg = new AutoScalingClient(config)
    const ecs = new ECSClient(config)
    const all = await asg.send(new DescribeAutoScalingInstancesCommand({MaxRecords: 50}))
    const victim = all.AutoScalingInstances[0]
    await asg.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: victim.InstanceId,
        ShouldDecrementDesiredCapacity: false,
      }),
    )
    const aws = createAwsPorts({endpointUrl: sim.endpoint, region: sim.region, credentials})
    const [target] = await locateInstances(aws, [victim.InstanceId])

    // Per-poll cost: calls made between consecutive progress events (each closes one poll).
    const perPoll = []
    let last
    let completedAt = 0
    const onEvent = (e) => {
      if (e.type === 'progress') {
        const now = total(sim.stats.snapshot())
        if (last !== undefined) perPoll.push(now - last)
        last = now
      }
      if (e.type === 'completed') completedAt = e.at
    }
    const before = total(sim.stats.snapshot())
    const result = await drainInstance(
      // With the explainer's reads, as `ecsdrain drain` makes them.
      {
        ecs: aws.ecs,
        autoScaling: aws.autoScaling,
        ecsDetails: aws.ecsDetails,
        elb: aws.elb,
        clock: systemClock,
      },
      target,
      {
        timeoutMs: 5 * 60_000,
        intervalMs: INTERVAL_MS,
        onEvent,
      },
    )
    const calls = total(sim.stats.snapshot()) - before

    // When did the last task really stop? The sim keeps STOPPED tasks visible with their stoppedAt.
    const stopped = await ecs.send(
      new ListTasksCommand({
        cluster: target.cluster,
        containerInstance: target.instance.containerInstanceArn,
        desiredStatus: 'STOPPED',
      }),
    )
    const described = await ecs.send(
      new DescribeTasksCommand({cluster: target.cluster, tasks: stopped.taskArns.slice(0, 100)}),
    )
    const lastStopped = Math.max(...described.tasks.map((t) => t.stoppedAt?.getTime() ?? 0))
    const steady = perPoll.slice(1, -1)
    return {
      instances,
      outcome: result.outcome,
      polls: perPoll.length + 1,
      callsPerPoll: steady.length ? Math.max(...steady) : Number.NaN,
      callsPerPollAvg: steady.length ? steady.reduce((a, b) => a + b, 0) / steady.length : Number.NaN,
      calls,
      stoppedToCompleteMs: completedAt && lastStopped ? completedAt - lastStopped : Number.NaN,
    }
  } finally {
    await sim.close()
  }
}

for (const n of [10, 1000]) {
  const r = await run(n)
  console.log(
    `${String(r.instances).padStart(5)} instances: ${r.outcome}, ${r.polls} polls, API calls per poll ${r.callsPerPoll} ` +
      `(avg ${r.callsPerPollAvg.toFixed(1)}), ${r.calls} calls in all; last task STOPPED -> CompleteLifecycleAction ` +
      `${(r.stoppedToCompleteMs / 1000).toFixed(2)} s (target <= ${(INTERVAL_MS + 1000) / 1000} s)`,
  )
}
