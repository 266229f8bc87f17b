#!/usr/bin/env node
/**
 * Benchmarks for `ecsdrain instances` (issue 3). Prints figures; asserts nothing (the suite has no timed tests).
 *
 *   npm run build && node bench/instances.mjs [--instances 1000] [--runs 7]
 *
 * 1. Cold start: `ecsdrain --version` and `ecsdrain instances --help`, each as a ratio to `node -e 0`, with the
 *    three commands interleaved run by run so that machine load affects them alike. Median of --runs.
 * 2. A full listing of a `ecsdrain sim --scenario large` cluster: API calls (from the sim's /_sim/stats)
 *    against ceil(N/100) ListContainerInstances + ceil(N/100) DescribeContainerInstances +
 *    ceil(N/50) DescribeAutoScalingInstances + the constant (ListClusters, DescribeClusters); wall time and
 *    peak RSS of the CLI process (from /usr/bin/time, when present). Median of --runs.
 */
/* global fetch */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const {values} = parseArgs({
  options: {instances: {type: 'string', default: '1000'}, runs: {type: 'string', default: '7'}},
})
const N = Number(values.instances)
const RUNS = Number(values.runs)
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  NO_COLOR: '1',
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (ms) => `${ms.toFixed(0)} ms`

/**
 * Runs a command to completion; returns wall ms and, when /usr/bin/time exists, peak RSS (KiB) and CPU ms
 * (user + system). CPU time is reported beside wall time because it barely moves with machine load.
 */
function timed(args) {
  const argv = TIME ? [TIME, '-f', '%M %U %S', process.execPath, ...args] : [process.execPath, ...args]
  const started = performance.now()
  const r = spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  const ms = performance.now() - started
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr}`)
  const [rss, user, sys] = TIME ? r.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN, NaN]
  return {ms, rssKiB: rss, cpuMs: (user + sys) * 1000, stdout: r.stdout, stderr: r.stderr}
}

function coldStart() {
  const wall = {node: [], version: [], help: []}
  const cpu = {node: [], version: [], help: []}
  const commands = [
    ['node', ['-e', '0']],
    ['version', [BIN, '--version']],
    ['help', [BIN, 'instances', '--help']],
  ]
  timed(['-e', '0']) // warm the file cache once; every command then pays the same disk costs
  for (let i = 0; i < RUNS; i++) {
    for (const [key, args] of commands) {
      const r = timed(args)
      wall[key].push(r.ms)
      cpu[key].push(r.cpuMs)
    }
  }
  const base = median(wall.node)
  const baseCpu = median(cpu.node)
  console.log(`cold start (median of ${RUNS}; wall time, then CPU time):`)
  console.log(`  node -e 0                 ${fmt(base)}         cpu ${fmt(baseCpu)}`)
  for (const [name, key] of [
    ['ecsdrain --version', 'version'],
    ['ecsdrain instances --help', 'help'],
  ]) {
    const m = median(wall[key])
    const c = median(cpu[key])
    const ratio = m / base
    console.log(
      `  ${name.padEnd(25)} ${fmt(m)}  ${ratio.toFixed(2)}x  cpu ${fmt(c)}  ${(c / baseCpu).toFixed(2)}x  ` +
        `${ratio <= 2.5 ? 'ok' : 'OVER'} (target <= 2.5x)`,
    )
  }
}

async function startSim() {
  const child = spawn(
    process.execPath,
    [BIN, 'sim', '--scenario', 'large', '--instances', String(N), '--port', '0', '--json'],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sim exited ${code}`)))
  })
  return {ready: JSON.parse(line), stop: () => child.kill('SIGTERM')}
}

async function fullListing() {
  const sim = await startSim()
  try {
    const endpoint = sim.ready.endpoint
    const args = [BIN, 'instances', '--json', '--endpoint-url', endpoint]
    timed(args) // one warm-up, so the sim's first-request costs are not counted against the CLI
    const walls = []
    const rss = []
    const cpus = []
    let stats
    for (let i = 0; i < RUNS; i++) {
      await fetch(`${endpoint}/_sim/stats/reset`, {method: 'POST'})
      const r = timed(args)
      const listed = JSON.parse(r.stdout).instances.length
      if (listed !== N) throw new Error(`listed ${listed} instances, expected ${N}`)
      stats = await (await fetch(`${endpoint}/_sim/stats`)).json()
      walls.push(r.ms)
      rss.push(r.rssKiB)
      cpus.push(r.cpuMs)
    }
    const calls = (op) => stats.operations[op]?.calls ?? 0
    const expected = {
      'ecs:ListContainerInstances': Math.ceil(N / 100),
      'ecs:DescribeContainerInstances': Math.ceil(N / 100),
      'autoscaling:DescribeAutoScalingInstances': Math.ceil(N / 50),
    }
    const minimum = Object.values(expected).reduce((a, b) => a + b, 0)
    console.log(`full listing of ${N} instances (median of ${RUNS}):`)
    for (const [op, want] of Object.entries(expected)) {
      console.log(`  ${op.padEnd(42)} ${String(calls(op)).padStart(4)} (formula ${want})`)
    }
    const extra = stats.totals.calls - minimum
    console.log(
      `  ${'total'.padEnd(42)} ${String(stats.totals.calls).padStart(4)} (formula ${minimum} + constant ${extra})`,
    )
    const wall = median(walls)
    console.log(`  wall time   ${fmt(wall)}  ${wall < 1500 ? 'ok' : 'OVER'} (target < 1500 ms)`)
    if (TIME) console.log(`  CLI CPU     ${fmt(median(cpus))} (user + system of the ecsdrain process)`)
    const load = (await import('node:os')).loadavg()[0]
    console.log(
      `  load average during the run: ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
    )
    if (TIME) {
      const peak = median(rss) / 1024
      console.log(`  peak RSS    ${peak.toFixed(0)} MB  ${peak < 150 ? 'ok' : 'OVER'} (target < 150 MB)`)
    } else {
      console.log('  peak RSS    n/a (/usr/bin/time not found)')
    }
  } finally {
    sim.stop()
  }
}

coldStart()
await fullListing()
