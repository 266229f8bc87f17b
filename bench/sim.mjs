#!/usr/bin/env node
/**
 * Benchmark of `ecsdrain sim --scenario large` (issue 2 section 8). Prints figures; asserts nothing.
 *
 *   npm run build && node bench/sim.mjs [--instances 1000] [--tasks-per-instance 10] [--calls 200] [--runs 3]
 *
 * 1. Start: from spawning the built CLI to its readiness line (node + oclif + building the world + listening),
 *    median of --runs. Target: under 3 s.
 * 2. RSS of the sim process once ready, and its peak (VmHWM) after the calls below. Target: under 300 MB.
 * 3. DescribeContainerInstances for 100 ARNs over HTTP: median and p95 of --calls sequential calls after 10
 *    warm-up calls, measured twice: raw HTTP over keep-alive (the sim's answer time; target: median under
 *    10 ms), and through the SDK v3 ECS client (which adds the client's own parsing of ~170 KB of JSON).
 */
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  paginateListContainerInstances,
} from '@aws-sdk/client-ecs'
import {spawn} from 'node:child_process'
import {Agent, request} from 'node:http'
import {availableParallelism, loadavg} from 'node:os'
import {readFileSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const {values} = parseArgs({
  options: {
    instances: {type: 'string', default: '1000'},
    'tasks-per-instance': {type: 'string', default: '10'},
    calls: {type: 'string', default: '200'},
    runs: {type: 'string', default: '3'},
  },
})
const instances = Number(values.instances)
const perInstance = Number(values['tasks-per-instance'])

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const percentile = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]
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

async function startCli() {
  const began = performance.now()
  const args = [
    BIN,
    'sim',
    '--scenario',
    'large',
    '--instances',
    String(instances),
    '--tasks-per-instance',
    String(perInstance),
    '--port',
    '0',
    '--json',
  ]
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']})
  const [line] = await new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', (l) => resolve([l]))
    child.once('exit', (code) => reject(new Error(`ecsdrain sim exited with ${code} before it was ready`)))
  })
  return {child, ready: JSON.parse(line), startMs: performance.now() - began}
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

console.log(`ecsdrain sim --scenario large: ${instances} instances, ${instances * perInstance} tasks`)
// The machine is shared: the figures mean little without the load they were taken under.
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`,
)
const starts = []
for (let run = 0; run < Number(values.runs) - 1; run++) {
  const {child, startMs} = await startCli()
  starts.push(startMs)
  await stop(child)
}
const {child, ready, startMs} = await startCli()
starts.push(startMs)
const atReady = memory(child.pid)

const ecs = new ECSClient({
  endpoint: ready.endpoint,
  region: ready.region,
  credentials: {accessKeyId: 'bench', secretAccessKey: 'bench'},
})
const cluster = ready.clusters[0]
const arns = []
for await (const page of paginateListContainerInstances({client: ecs}, {cluster}))
  arns.push(...page.containerInstanceArns)
const batch = (i) => arns.slice((i * 100) % arns.length, ((i * 100) % arns.length) + 100)
for (let i = 0; i < 10; i++)
  await ecs.send(new DescribeContainerInstancesCommand({cluster, containerInstances: batch(i)}))
const latencies = []
for (let i = 0; i < Number(values.calls); i++) {
  const began = performance.now()
  const out = await ecs.send(new DescribeContainerInstancesCommand({cluster, containerInstances: batch(i)}))
  latencies.push(performance.now() - began)
  if (out.containerInstances.length !== 100)
    throw new Error(`expected 100 instances, got ${out.containerInstances.length}`)
}
// The same calls without the SDK: the sim's own answer time (request out, whole body in), over keep-alive.
const agent = new Agent({keepAlive: true, maxSockets: 1})
const raw = []
const cpuBefore = cpuMs(child.pid)
for (let i = 0; i < Number(values.calls) + 10; i++) {
  const body = JSON.stringify({cluster, containerInstances: batch(i)})
  const began = performance.now()
  await new Promise((resolve, reject) => {
    const req = request(
      ready.endpoint,
      {
        method: 'POST',
        agent,
        headers: {
          'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeContainerInstances',
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.on('data', () => {})
        res.on('end', resolve)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
  if (i >= 10) raw.push(performance.now() - began)
}
agent.destroy()
// CPU the sim spent per call: on a shared machine the wall-clock median includes waiting for a core.
const cpuPerCall = (cpuMs(child.pid) - cpuBefore) / (Number(values.calls) + 10)
const afterCalls = memory(child.pid)
await stop(child)

console.log(
  `start (spawn to readiness): median ${median(starts).toFixed(0)} ms of ${starts.length} runs [${starts.map((s) => s.toFixed(0)).join(', ')}]  (target < 3000 ms)`,
)
console.log(
  `RSS: ${mb(atReady.rss)} when ready; peak ${mb(afterCalls.peak)} after the calls  (target < 300 MB)`,
)
console.log(
  `DescribeContainerInstances x100 ARNs, raw HTTP (the sim's answer time): median ${median(raw).toFixed(2)} ms, p95 ${percentile(raw, 0.95).toFixed(2)} ms over ${raw.length} calls  (target median < 10 ms)`,
)
console.log(
  `  the sim's CPU time per call: ${cpuPerCall.toFixed(2)} ms (what the median tends to on an idle core)`,
)
console.log(
  `DescribeContainerInstances x100 ARNs through the SDK v3 client (adds its parsing): median ${median(latencies).toFixed(2)} ms, p95 ${percentile(latencies, 0.95).toFixed(2)} ms over ${latencies.length} calls  (for reference)`,
)
