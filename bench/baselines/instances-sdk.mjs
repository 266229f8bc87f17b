#!/usr/bin/env node
/**
 * The baseline of bench/instances.mjs, not a benchmark itself (bench/run.js runs only the files in bench/): the AWS SDK calls
 * that `ecsdrain instances --json` makes for a cluster, and nothing else, as a user's own script would make
 * them. It loads the SDK clients the quick way (require, as src/aws/sdk.ts does) so that the comparison
 * with the CLI is not flattered by a slow baseline.
 *
 *   node bench/baselines/instances-sdk.mjs ENDPOINT    (region and credentials from the environment)
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
const ecsSdk = require('@aws-sdk/client-ecs')
const asgSdk = require('@aws-sdk/client-auto-scaling')

const endpoint = process.argv[2]
const ecs = new ecsSdk.ECSClient({endpoint})
const autoScaling = new asgSdk.AutoScalingClient({endpoint})

const {clusterArns = []} = await ecs.send(new ecsSdk.ListClustersCommand({}))
const {clusters = []} = await ecs.send(new ecsSdk.DescribeClustersCommand({clusters: clusterArns}))
const cluster = clusters[0].clusterName

const arns = []
let nextToken
do {
  const page = await ecs.send(new ecsSdk.ListContainerInstancesCommand({cluster, nextToken, maxResults: 100}))
  arns.push(...(page.containerInstanceArns ?? []))
  nextToken = page.nextToken
} while (nextToken)

const described = []
for (let i = 0; i < arns.length; i += 100) {
  const batch = arns.slice(i, i + 100)
  const r = await ecs.send(new ecsSdk.DescribeContainerInstancesCommand({cluster, containerInstances: batch}))
  described.push(...(r.containerInstances ?? []))
}

const groups = new Map()
const ids = described.map((i) => i.ec2InstanceId)
for (let i = 0; i < ids.length; i += 50) {
  const command = new asgSdk.DescribeAutoScalingInstancesCommand({InstanceIds: ids.slice(i, i + 50)})
  for (const a of (await autoScaling.send(command)).AutoScalingInstances ?? []) groups.set(a.InstanceId, a)
}

const instances = described.map((i) => ({
  ec2InstanceId: i.ec2InstanceId,
  status: i.status,
  runningTasksCount: i.runningTasksCount,
  autoScalingGroupName: groups.get(i.ec2InstanceId)?.AutoScalingGroupName ?? null,
  lifecycleState: groups.get(i.ec2InstanceId)?.LifecycleState ?? null,
}))
console.log(JSON.stringify({cluster, instances}, null, 2))
