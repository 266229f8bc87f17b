#!/usr/bin/env node
/**
 * Benchmark of `ecsdrain sim --scenario large` at two sizes side by side (issue 9 item 5). Prints figures;
 * asserts nothing.
 *
 *   npm run build && node bench/sim.mjs [--sizes 1000,5000] [--calls 60] [--runs 3]
 *
 * 1. Start: from spawning the built CLI to its readiness line (node + oclif + building the world + listening),
 *    median of --runs, per size. Target: under 3 s at 5,000 instances.
 * 2. RSS of each sim process once ready, and its peak (VmHWM) after the calls. Target: under 400 MB.
 * 3. Per operation that `instances`, `drain` and `watch` send, the sim's answer time over raw HTTP (request
 *    out, whole body in, keep-alive): the median of --calls, the two sizes measured in pairs (call i at the
 *    small size, then call i at the large one) so that machine load hits both alike, and their ratio.
 *    Target: at most 1.5x. DescribeAutoScalingGroups with the members (marked *) lists every instance of the
 *    group, as AWS's reply does, so it is also printed per instance listed; watch's poll asks without them. Beside it, the sim process's CPU time per call (from /proc, 10 ms ticks over all
 *    the calls), which machine load hardly moves, and the reply's size. The requests are the ones the CLI makes (see src/aws): pages of 100 container
 *    instances walked with nextToken, batches of 100 ARNs and of 50 Auto Scaling instance ids cycling through
 *    the whole cluster, the drain's lookups by EC2 id, and so on. Each request carries a SigV4-shaped
 *    Authorization header: the sim accepts any credentials and does not verify signatures (it knows no
 *    secret), so signing for real would only add the bench's own time.
 */
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {Agent, request} from 'node:http'
import {availableParallelism, loadavg} from 'node:os'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {URLSearchParams, fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {median} from './lib/common.mjs'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const {values} = parseArgs({
  options: {
    sizes: {type: 'string', default: '1000,5000'},
    calls: {type: 'string', default: '100'},
    runs: {type: 'string', default: '3'},
  },
})
const SIZES = values.sizes.split(',').map(Number)
const CALLS = Number(values.calls)
const REGION = 'us-east-1'

const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** VmRSS and VmHWM (peak) of a process, in kB, from /proc. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return {rss: field('VmRSS'), peak: field('VmHWM')}
}

async function startCli(instances) {
  const began = performance.now()
  const args = [BIN, 'sim', '--scenario', 'large', '--instances', String(instances), '--hook', 'manual']
  const child = spawn(process.execPath, [...args, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`ecsdrain sim exited with ${code} before it was ready`)))
  })
  return {child, ready: JSON.parse(line), startMs: performance.now() - began, startCpuMs: cpuMs(child.pid)}
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

const signingName = {ecs: 'ecs', autoscaling: 'autoscaling', cloudwatch: 'monitoring'}
const authorization = (service) =>
  `AWS4-HMAC-SHA256 Credential=bench/20260101/${REGION}/${signingName[service]}/aws4_request, ` +
  `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`

/** One raw request: ECS and CloudWatch as JSON with X-Amz-Target, Auto Scaling as a Query form. */
function wire(service, operation, input) {
  if (service === 'autoscaling') {
    const form = new URLSearchParams({Action: operation, Version: '2011-01-01'})
    const flatten = (prefix, value) => {
      if (Array.isArray(value)) value.forEach((v, i) => flatten(`${prefix}.member.${i + 1}`, v))
      else form.append(prefix, String(value))
    }
    for (const [key, value] of Object.entries(input)) flatten(key, value)
    return {contentType: 'application/x-www-form-urlencoded', body: form.toString()}
  }
  const target =
    service === 'ecs'
      ? `AmazonEC2ContainerServiceV20141113.${operation}`
      : `GraniteServiceVersion20100801.${operation}`
  const contentType = service === 'ecs' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0'
  return {contentType, target, body: JSON.stringify(input)}
}

function send(sim, service, operation, input) {
  const {contentType, target, body} = wire(service, operation, input)
  const headers = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    authorization: authorization(service),
    'x-amz-date': '20260101T000000Z',
  }
  if (target) headers['x-amz-target'] = target
  if (service === 'cloudwatch') headers['x-amzn-query-mode'] = 'true'
  return new Promise((resolve, reject) => {
    const req = request(sim.endpoint, {method: 'POST', agent: sim.agent, headers}, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text}`))
        else resolve(text)
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}
const sendJson = async (...args) => JSON.parse(await send(...args))

/** Everything the requests below need, read from the sim the way the CLI reads it. */
async function fixtures(sim) {
  const cluster = sim.ready.clusters[0]
  const group = sim.ready.autoScalingGroups[0]
  const pageTokens = [undefined]
  const arns = []
  for (;;) {
    const page = await sendJson(sim, 'ecs', 'ListContainerInstances', {
      cluster,
      maxResults: 100,
      nextToken: pageTokens.at(-1),
    })
    arns.push(...page.containerInstanceArns)
    if (!page.nextToken) break
    pageTokens.push(page.nextToken)
  }
  const described = []
  for (let i = 0; i < arns.length; i += 100) {
    const out = await sendJson(sim, 'ecs', 'DescribeContainerInstances', {
      cluster,
      containerInstances: arns.slice(i, i + 100),
    })
    described.push(...out.containerInstances)
  }
  const ec2Ids = described.map((ci) => ci.ec2InstanceId)
  const services = (await sendJson(sim, 'ecs', 'ListServices', {cluster, maxResults: 100})).serviceArns
  // One instance waits on the lifecycle hook, as a drained one does: heartbeats need a pending action.
  const waiting = ec2Ids[Math.floor(ec2Ids.length / 2)]
  await send(sim, 'autoscaling', 'TerminateInstanceInAutoScalingGroup', {
    InstanceId: waiting,
    ShouldDecrementDesiredCapacity: false,
  })
  const hook = /<LifecycleHookName>([^<]+)</.exec(
    await send(sim, 'autoscaling', 'DescribeLifecycleHooks', {AutoScalingGroupName: group}),
  )[1]
  const waitingArn = arns[ec2Ids.indexOf(waiting)]
  return {cluster, group, pageTokens, arns, ec2Ids, services, waiting, waitingArn, hook}
}

/** Marks an operation whose reply lists every instance of the group, as AWS's does: it grows with the group. */
const PER_MEMBER = ' *'

/** The operations, each a function of (fixtures, call number) giving [service, operation, input]. */
const at = (xs, i) => xs[i % xs.length]
const OPERATIONS = {
  'ecs ListClusters': () => ['ecs', 'ListClusters', {maxResults: 100}],
  'ecs DescribeClusters': (f) => ['ecs', 'DescribeClusters', {clusters: [f.cluster]}],
  'ecs ListContainerInstances (each page of a full listing)': (f, i) => [
    'ecs',
    'ListContainerInstances',
    {cluster: f.cluster, maxResults: 100, nextToken: at(f.pageTokens, i)},
  ],
  'ecs ListContainerInstances (filter ec2InstanceId ==)': (f, i) => [
    'ecs',
    'ListContainerInstances',
    {cluster: f.cluster, filter: `ec2InstanceId == ${at(f.ec2Ids, i * 37)}`},
  ],
  'ecs DescribeContainerInstances (100 ARNs)': (f, i) => {
    const start = (i * 100) % f.arns.length
    return [
      'ecs',
      'DescribeContainerInstances',
      {cluster: f.cluster, containerInstances: f.arns.slice(start, start + 100)},
    ]
  },
  'ecs UpdateContainerInstancesState (DRAINING, again)': (f) => [
    'ecs',
    'UpdateContainerInstancesState',
    {cluster: f.cluster, containerInstances: [f.waitingArn], status: 'DRAINING'},
  ],
  'ecs ListTasks (containerInstance, RUNNING)': (f, i) => [
    'ecs',
    'ListTasks',
    {cluster: f.cluster, containerInstance: at(f.arns, i * 37), desiredStatus: 'RUNNING', maxResults: 100},
  ],
  'ecs ListTasks (containerInstance, STOPPED)': (f, i) => [
    'ecs',
    'ListTasks',
    {cluster: f.cluster, containerInstance: at(f.arns, i * 37), desiredStatus: 'STOPPED', maxResults: 100},
  ],
  "ecs DescribeTasks (an instance's tasks)": (f, i) => [
    'ecs',
    'DescribeTasks',
    {cluster: f.cluster, tasks: f.tasksOf[i % f.tasksOf.length]},
  ],
  'ecs ListServices': (f) => ['ecs', 'ListServices', {cluster: f.cluster, maxResults: 100}],
  'ecs DescribeServices (10)': (f, i) => {
    const start = (i * 10) % f.services.length
    return ['ecs', 'DescribeServices', {cluster: f.cluster, services: f.services.slice(start, start + 10)}]
  },
  'autoscaling DescribeAutoScalingInstances (50 ids)': (f, i) => {
    const start = (i * 50) % f.ec2Ids.length
    return [
      'autoscaling',
      'DescribeAutoScalingInstances',
      {InstanceIds: f.ec2Ids.slice(start, start + 50), MaxRecords: 50},
    ]
  },
  'autoscaling DescribeAutoScalingInstances (1 id)': (f, i) => [
    'autoscaling',
    'DescribeAutoScalingInstances',
    {InstanceIds: [at(f.ec2Ids, i * 37)]},
  ],
  // watch's poll asks for the group's sizes only; its members come from DescribeAutoScalingInstances.
  'autoscaling DescribeAutoScalingGroups (IncludeInstances=false)': (f) => [
    'autoscaling',
    'DescribeAutoScalingGroups',
    {AutoScalingGroupNames: [f.group], IncludeInstances: false, MaxRecords: 100},
  ],
  // `drain --asg`, refresh and doctor need the members: the reply lists every instance of the group.
  [`autoscaling DescribeAutoScalingGroups (with members)${PER_MEMBER}`]: (f) => [
    'autoscaling',
    'DescribeAutoScalingGroups',
    {AutoScalingGroupNames: [f.group], MaxRecords: 100},
  ],
  'autoscaling DescribeLifecycleHooks': (f) => [
    'autoscaling',
    'DescribeLifecycleHooks',
    {AutoScalingGroupName: f.group},
  ],
  'autoscaling DescribeScalingActivities (20)': (f) => [
    'autoscaling',
    'DescribeScalingActivities',
    {AutoScalingGroupName: f.group, MaxRecords: 20},
  ],
  'autoscaling DescribeInstanceRefreshes': (f) => [
    'autoscaling',
    'DescribeInstanceRefreshes',
    {AutoScalingGroupName: f.group, MaxRecords: 10},
  ],
  'autoscaling RecordLifecycleActionHeartbeat': (f) => [
    'autoscaling',
    'RecordLifecycleActionHeartbeat',
    {AutoScalingGroupName: f.group, LifecycleHookName: f.hook, InstanceId: f.waiting},
  ],
  'cloudwatch GetMetricData (35 min, Minimum)': (f) => {
    const end = Math.floor(Date.now() / 1000)
    return [
      'cloudwatch',
      'GetMetricData',
      {
        StartTime: end - 35 * 60,
        EndTime: end + 60,
        MetricDataQueries: [
          {
            Id: 'm',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'MemoryReservation',
                Dimensions: [{Name: 'ClusterName', Value: f.cluster}],
              },
              Period: 60,
              Stat: 'Minimum',
            },
          },
        ],
      },
    ]
  },
}

console.log(`ecsdrain sim --scenario large --hook manual at ${SIZES.join(' and ')} instances (10 tasks each)`)
// The machine is shared: the figures mean little without the load they were taken under.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
console.log(`load average at start: ${load()} on ${availableParallelism()} cores`)

const sims = []
for (const size of SIZES) {
  const starts = []
  const startCpus = []
  for (let run = 0; run < Number(values.runs) - 1; run++) {
    const {child, startMs, startCpuMs} = await startCli(size)
    starts.push(startMs)
    startCpus.push(startCpuMs)
    await stop(child)
  }
  const {child, ready, startMs, startCpuMs} = await startCli(size)
  starts.push(startMs)
  startCpus.push(startCpuMs)
  sims.push({size, child, ready, endpoint: ready.endpoint, starts, startCpus, atReady: memory(child.pid)})
}
for (const sim of sims) {
  sim.agent = new Agent({keepAlive: true, maxSockets: 1})
  sim.f = await fixtures(sim)
  // The tasks of a few instances, as the drain describes them.
  sim.f.tasksOf = []
  for (let i = 0; i < 10; i++) {
    const arn = at(sim.f.arns, i * 37)
    const {taskArns} = await sendJson(sim, 'ecs', 'ListTasks', {
      cluster: sim.f.cluster,
      containerInstance: arn,
    })
    sim.f.tasksOf.push(taskArns)
  }
}

const rows = []
for (const [name, build] of Object.entries(OPERATIONS)) {
  const times = sims.map(() => [])
  const bytes = sims.map(() => 0)
  const cpu = sims.map(() => 0)
  for (let i = -5; i < CALLS; i++) {
    if (i === 0) sims.forEach((sim, k) => (cpu[k] = cpuMs(sim.child.pid)))
    for (const [k, sim] of sims.entries()) {
      const [service, operation, input] = build(sim.f, Math.max(i, 0))
      const began = performance.now()
      const reply = await send(sim, service, operation, input)
      if (i >= 0) times[k].push(performance.now() - began)
      bytes[k] = Buffer.byteLength(reply)
    }
  }
  const cpuPerCall = sims.map((sim, k) => (cpuMs(sim.child.pid) - cpu[k]) / CALLS)
  rows.push({name, medians: times.map(median), cpuPerCall, bytes})
}
const afterCalls = sims.map((sim) => memory(sim.child.pid))
for (const sim of sims) sim.agent.destroy()
await Promise.all(sims.map((sim) => stop(sim.child)))

const width = Math.max(...rows.map((r) => r.name.length))
const cells = (xs, digits = 2, pad = 9) => xs.map((x) => x.toFixed(digits).padStart(pad)).join('')
const sizes = SIZES.map((s) => `${s}`.padStart(9)).join('')
console.log(
  `\nper call: the median over raw HTTP (${CALLS} paired calls), the sim's CPU time, the reply's size`,
)
console.log(
  `${'operation'.padEnd(width)}  median ms${' '.repeat(9 * SIZES.length - 9)} ratio    CPU ms${' '.repeat(9 * SIZES.length - 6)} ratio   reply KB`,
)
console.log(`${' '.repeat(width)}${sizes}         ${sizes}         ${sizes}`)
for (const r of rows) {
  const ratio = (xs) => `${(xs.at(-1) / xs[0]).toFixed(2).padStart(6)}x`
  const cpuRatio = r.cpuPerCall[0] > 0 ? ratio(r.cpuPerCall) : '      -'
  console.log(
    `${r.name.padEnd(width)}${cells(r.medians)} ${ratio(r.medians)}${cells(r.cpuPerCall)} ${cpuRatio}${cells(
      r.bytes.map((b) => b / 1024),
      1,
    )}`,
  )
}
console.log('(target: median ratio <= 1.5)')
for (const r of rows.filter((row) => row.name.endsWith(PER_MEMBER))) {
  const perInstance = r.medians.map((m, k) => (m * 1000) / SIZES[k])
  console.log(
    `${PER_MEMBER.trim()} ${r.name.slice(0, -PER_MEMBER.length)}: its reply lists all ${SIZES.join(' / ')} instances, so it ` +
      `grows with the group; per instance listed ${perInstance.map((x) => x.toFixed(2)).join(' / ')} µs, ratio ` +
      `${(perInstance.at(-1) / perInstance[0]).toFixed(2)}x`,
  )
}
console.log('')
for (const [k, sim] of sims.entries()) {
  console.log(
    `${sim.size} instances: start (spawn to readiness) median ${median(sim.starts).toFixed(0)} ms of ${sim.starts.length} runs ` +
      `[${sim.starts.map((s) => s.toFixed(0)).join(', ')}], CPU ${median(sim.startCpus)} ms (target < 3000 ms); ` +
      `RSS ${mb(sim.atReady.rss)} ready, peak ${mb(afterCalls[k].peak)} after the calls (target < 400 MB)`,
  )
}
console.log(`load average at the end: ${load()}`)
