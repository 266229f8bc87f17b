#!/usr/bin/env node
/**
 * Benchmarks for `ecsdrain instances` and the CLI's start. Prints figures; asserts nothing (the suite has no
 * timed tests).
 *
 *   npm run build && node bench/instances.mjs [--pairs 21] [--instances 1000] [--runs 5] [--against DIR]
 *
 * Every comparison is paired: each round runs the baseline and the command back to back, in alternating
 * order, and the figure is the median of the per-round ratios (with their min and max), so that a burst of
 * load on this shared machine hits both sides of a ratio alike. CPU time (user + system, from /usr/bin/time
 * when present) is shown beside wall time because it moves far less with load.
 * 1. Start: `ecsdrain --version` and `ecsdrain instances --help`, each against `node -e 0`.
 * 2. `ecsdrain instances --json` on a 10-instance cluster against bench/baselines/instances-sdk.mjs, a bare
 *    script making the same SDK calls (checked: the sim must count the same calls per operation for both).
 *    The sim runs in its own process (`ecsdrain sim --scenario large --instances 10`).
 * 3. A full listing of a 1,000-instance cluster (--instances): API calls (from the sim's /_sim/stats)
 *    against ceil(N/100) ListContainerInstances + ceil(N/100) DescribeContainerInstances +
 *    ceil(N/50) DescribeAutoScalingInstances + the constant (ListClusters, DescribeClusters); wall time,
 *    CPU and peak RSS of the CLI process. Median of --runs.
 * With --against DIR (another checkout of ecsdrain, built), each round of 1. and 2. also runs that build's
 * command, and each row adds the median of the per-round ratios of this build's time to that build's: a
 * before/after comparison paired in one run.
 * At the end it prints the README's Performance rows.
 */
/* global fetch */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {availableParallelism, loadavg} from 'node:os'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

import {benchEnv, median} from './lib/common.mjs'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const BARE = fileURLToPath(new URL('baselines/instances-sdk.mjs', import.meta.url))
const {values} = parseArgs({
  options: {
    pairs: {type: 'string', default: '21'},
    instances: {type: 'string', default: '1000'},
    runs: {type: 'string', default: '5'},
    against: {type: 'string'},
  },
})
const BEFORE = values.against && fileURLToPath(new URL('bin/run.js', pathToFileURL(`${values.against}/`)))
const PAIRS = Number(values.pairs)
const N = Number(values.instances)
const RUNS = Number(values.runs)
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const env = {...benchEnv(), NO_COLOR: '1'}

const fmt = (ms) => `${ms.toFixed(0)} ms`
const x = (r) => `${r.toFixed(2)}x`
const load = () => loadavg()[0].toFixed(1)
const rows = []

/**
 * Runs a command to completion; returns wall ms and, when /usr/bin/time exists, peak RSS (KiB) and CPU ms
 * (user + system, 10 ms resolution).
 */
function timed(args) {
  const argv = TIME ? [TIME, '-f', '%M %U %S', process.execPath, ...args] : [process.execPath, ...args]
  const started = performance.now()
  const r = spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  const ms = performance.now() - started
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr}`)
  const [rss, user, sys] = TIME ? r.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN, NaN]
  return {ms, rssKiB: rss, cpuMs: (user + sys) * 1000, stdout: r.stdout}
}

/**
 * PAIRS rounds of the baseline and each command, the order alternating round by round; per command the
 * per-round ratios of wall and CPU time to the baseline's.
 */
function paired(baseline, commands) {
  timed(baseline) // warm the file cache once; every command then pays the same disk costs
  for (const args of Object.values(commands)) timed(args)
  const out = Object.fromEntries(
    Object.keys(commands).map((k) => [k, {wall: [], cpu: [], cpuMs: [], ms: [], base: []}]),
  )
  for (let i = 0; i < PAIRS; i++) {
    for (const [name, args] of Object.entries(commands)) {
      let b, c
      if (i % 2 === 0) {
        b = timed(baseline)
        c = timed(args)
      } else {
        c = timed(args)
        b = timed(baseline)
      }
      out[name].wall.push(c.ms / b.ms)
      out[name].cpu.push(c.cpuMs / b.cpuMs)
      out[name].cpuMs.push(c.cpuMs)
      out[name].ms.push(c.ms)
      out[name].base.push(b.ms)
    }
  }
  return out
}

/** With --against: beside each command, the same command of the other build (`NAME@before`). */
function withBefore(commands) {
  if (!BEFORE) return commands
  const before = Object.entries(commands).map(([name, args]) => [
    `${name}@before`,
    [BEFORE, ...args.slice(1)],
  ])
  return {...commands, ...Object.fromEntries(before)}
}

/** With --against: this build's time over the other's, per round (both ran in the same round). */
function printBefore(r, key) {
  const before = r[`${key}@before`]
  if (!before) return
  const now = r[key]
  const wall = now.ms.map((ms, i) => ms / before.ms[i])
  const cpu = now.cpuMs.map((c, i) => c / before.cpuMs[i])
  const cpuText = TIME ? `; CPU ${spread(cpu)}` : ''
  console.log(
    `   ${'  vs the --against build'.padEnd(26)} ${fmt(median(before.ms))} (${x(median(before.wall))} of its baseline): now/before wall ${spread(wall)}${cpuText}`,
  )
}

/** "1.52x (min 1.31, max 1.90)" */
function spread(ratios) {
  return `${x(median(ratios))} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`
}

function coldStart() {
  const loadBefore = load()
  const r = paired(
    ['-e', '0'],
    withBefore({
      version: [BIN, '--version'],
      help: [BIN, 'instances', '--help'],
    }),
  )
  console.log(
    `1. start, ${PAIRS} pairs each against node -e 0 (median of per-pair ratios; load ${loadBefore} -> ${load()}):`,
  )
  for (const [key, label, readme] of [
    ['version', 'ecsdrain --version', '`ecsdrain --version` vs `node -e 0`'],
    ['help', 'ecsdrain instances --help', '`ecsdrain instances --help` vs `node -e 0`'],
  ]) {
    const m = r[key]
    const cpu = TIME ? `; CPU ${spread(m.cpu)}` : ''
    console.log(
      `   ${label.padEnd(26)} ${fmt(median(m.ms))} vs ${fmt(median(m.base))}: wall ${spread(m.wall)}${cpu}`,
    )
    printBefore(r, key)
    rows.push(
      `| ${readme} | ${fmt(median(m.ms))} vs ${fmt(median(m.base))}: **${spread(m.wall)}** | ≤ 1.8x |`,
    )
  }
}

async function startSim(instances) {
  const args = ['sim', '--scenario', 'large', '--instances', String(instances), '--port', '0', '--json']
  const child = spawn(process.execPath, [BIN, ...args], {env, stdio: ['ignore', 'pipe', 'inherit']})
  const line = await new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sim exited ${code}`)))
  })
  const {endpoint} = JSON.parse(line)
  return {
    endpoint,
    reset: () => fetch(`${endpoint}/_sim/stats/reset`, {method: 'POST'}),
    stats: async () => (await fetch(`${endpoint}/_sim/stats`)).json(),
    stop: () => child.kill('SIGTERM'),
  }
}

const callsByOperation = (stats) =>
  JSON.stringify(
    Object.entries(stats.operations)
      .map(([op, s]) => [op, s.calls])
      .sort(),
  )

async function smallListing() {
  const sim = await startSim(10)
  try {
    const cli = [BIN, 'instances', '--json', '--endpoint-url', sim.endpoint]
    const bare = [BARE, sim.endpoint]
    await sim.reset()
    if (JSON.parse(timed(cli).stdout).instances.length !== 10)
      throw new Error('the CLI listed not 10 instances')
    const cliCalls = callsByOperation(await sim.stats())
    await sim.reset()
    if (JSON.parse(timed(bare).stdout).instances.length !== 10) throw new Error('the script listed not 10')
    const bareCalls = callsByOperation(await sim.stats())
    if (cliCalls !== bareCalls) throw new Error(`different calls: CLI ${cliCalls}, script ${bareCalls}`)
    const loadBefore = load()
    const both = paired(bare, withBefore({cli}))
    const r = both.cli
    console.log(
      `2. instances --json on 10 instances vs the bare SDK script (same calls: ${cliCalls}), ${PAIRS} pairs (load ${loadBefore} -> ${load()}):`,
    )
    const cpu = TIME ? `; CPU ${spread(r.cpu)}` : ''
    console.log(`   ${fmt(median(r.ms))} vs ${fmt(median(r.base))}: wall ${spread(r.wall)}${cpu}`)
    printBefore(both, 'cli')
    rows.push(
      `| \`instances\` on 10 instances vs a bare script making the same SDK calls | ${fmt(median(r.ms))} vs ${fmt(median(r.base))}: **${spread(r.wall)}** | ≤ 1.3x |`,
    )
  } finally {
    sim.stop()
  }
}

async function fullListing() {
  const sim = await startSim(N)
  try {
    const args = [BIN, 'instances', '--json', '--endpoint-url', sim.endpoint]
    timed(args) // one warm-up, so the sim's first-request costs are not counted against the CLI
    const walls = []
    const rss = []
    const cpus = []
    let stats
    for (let i = 0; i < RUNS; i++) {
      await sim.reset()
      const r = timed(args)
      const listed = JSON.parse(r.stdout).instances.length
      if (listed !== N) throw new Error(`listed ${listed} instances, expected ${N}`)
      stats = await sim.stats()
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
    console.log(
      `3. full listing of ${N} instances (median of ${RUNS}; load ${load()} on ${availableParallelism()} cores):`,
    )
    for (const [op, want] of Object.entries(expected)) {
      console.log(`   ${op.padEnd(42)} ${String(calls(op)).padStart(4)} (formula ${want})`)
    }
    const extra = stats.totals.calls - minimum
    console.log(
      `   ${'total'.padEnd(42)} ${String(stats.totals.calls).padStart(4)} (formula ${minimum} + constant ${extra})`,
    )
    const wall = median(walls)
    console.log(`   wall time   ${fmt(wall)}  ${wall < 1500 ? 'ok' : 'OVER'} (target < 1500 ms)`)
    if (TIME) {
      console.log(`   CLI CPU     ${fmt(median(cpus))} (user + system of the ecsdrain process)`)
      const peak = median(rss) / 1024
      console.log(`   peak RSS    ${peak.toFixed(0)} MB  ${peak < 150 ? 'ok' : 'OVER'} (target < 150 MB)`)
    } else {
      console.log('   CPU and peak RSS: n/a (/usr/bin/time not found)')
    }
  } finally {
    sim.stop()
  }
}

console.log(`load average at the start: ${load()} on ${availableParallelism()} cores`)
coldStart()
await smallListing()
await fullListing()
console.log(`\nREADME rows (load average now ${load()}):`)
for (const row of rows) console.log(row)
