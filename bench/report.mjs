#!/usr/bin/env node
/**
 * Benchmark for `ecsdrain report`: the calls it makes and its time, on a 1,000-instance cluster whose group
 * was rolled (instance refreshes) for two hours of sim time. Prints figures; asserts nothing.
 *
 *   npm run build && node bench/report.mjs [--instances 1000] [--speed 60] [--sim-minutes 120] [--pairs 5]
 *     [--hook none|lambda|manual]
 *
 * The sim (`ecsdrain sim --scenario large --rollout-every 20m`) runs in its own process at --speed, so that
 * --sim-minutes of AWS time (its 300 s deregistration delays and 30 s stop timeouts) pass in
 * sim-minutes / speed of ours. Then, paired and in alternating order, `report --since 2h` and
 * `report --since 10m`: the calls per operation (the sim's /_sim/stats, reset before each run) must not grow
 * with the window's length (it pages activities and events and reads the metric once: nothing is read
 * minute by minute), and the time ratio says what the longer window costs.
 * Nothing drains the instances (the sim's default --hook none), and the large scenario puts each service's
 * 100 tasks on 100 neighbouring instances, so a refresh batch of 10 % takes whole services down with it: the
 * verdict is an outage, and a true one, though the cluster's MemoryReservation stays above 0 % (the other
 * services keep it up). With `--hook lambda` the hook stack drains each instance first, so the verdict should
 * be "no outage"; but the sim then runs a Lambda worker thread per terminating instance (about 100 at once
 * here, 2.6-3.6 GB RSS), which saturates a 2-core machine at --speed 60: use a smaller cluster there, e.g.
 * `--instances 200 --speed 20 --sim-minutes 40 --hook lambda` ("no outage" for both windows). The sim's call
 * counts then include the Lambda's own calls made during the report, so read the calls without a hook.
 */
/* global fetch */
import {spawn, spawnSync} from 'node:child_process'
import {loadavg} from 'node:os'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {benchEnv, median} from './lib/common.mjs'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const {values} = parseArgs({
  options: {
    instances: {type: 'string', default: '1000'},
    speed: {type: 'string', default: '60'},
    'sim-minutes': {type: 'string', default: '120'},
    pairs: {type: 'string', default: '5'},
    hook: {type: 'string', default: 'none'},
  },
})
const env = {...benchEnv(), NO_COLOR: '1'}
/** The sim's own endpoints, on a connection of their own (a kept-alive one may have been closed meanwhile). */
const simFetch = (url, init = {}) => fetch(url, {...init, headers: {connection: 'close'}})

const args = [
  'sim',
  '--scenario',
  'large',
  '--instances',
  values.instances,
  '--speed',
  values.speed,
  '--hook',
  values.hook,
]
const sim = spawn(process.execPath, [BIN, ...args, '--rollout-every', '20m', '--port', '0', '--json'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
})
const ready = await new Promise((resolve, reject) => {
  createInterface({input: sim.stdout}).once('line', resolve)
  sim.once('exit', (code) => reject(new Error(`sim exited ${code}`)))
})
const {endpoint, clusters} = JSON.parse(ready)
const cluster = clusters[0]
try {
  const waitMs = (Number(values['sim-minutes']) * 60_000) / Number(values.speed)
  console.log(
    `sim: ${values.instances} instances, ${values['sim-minutes']} sim minutes at ${values.speed}x: waiting ${(waitMs / 1000).toFixed(0)} s`,
  )
  await new Promise((r) => setTimeout(r, waitMs))

  const run = async (since) => {
    await simFetch(`${endpoint}/_sim/stats/reset`, {method: 'POST'})
    const started = performance.now()
    const r = spawnSync(
      process.execPath,
      [BIN, 'report', '--cluster', cluster, '--since', since, '--json', '--endpoint-url', endpoint],
      {
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    )
    const ms = performance.now() - started
    if (r.status !== 0) throw new Error(`report --since ${since} exited ${r.status}: ${r.stderr}`)
    const stats = await (await simFetch(`${endpoint}/_sim/stats`)).json()
    const calls = Object.fromEntries(Object.entries(stats.operations).map(([op, s]) => [op, s.calls]))
    const report = JSON.parse(r.stdout)
    return {ms, calls, total: Object.values(calls).reduce((a, b) => a + b, 0), report}
  }

  const long = []
  const short = []
  for (let i = 0; i < Number(values.pairs); i++) {
    if (i % 2 === 0) {
      long.push(await run('2h'))
      short.push(await run('10m'))
    } else {
      short.push(await run('10m'))
      long.push(await run('2h'))
    }
  }
  const describe = (label, runs) => {
    const last = runs.at(-1)
    const r = last.report
    console.log(
      `${label}: ${last.total} calls, median ${median(runs.map((x) => x.ms)).toFixed(0)} ms; ` +
        `${r.instances.length} instances replaced, ${r.refreshes.length} refreshes, ${r.memoryReservation.minutes.length} metric minutes, ` +
        `${r.instances.reduce((n, i) => n + i.tasksMoved.length, 0)} tasks moved; verdict: ${r.verdict.text}`,
    )
    console.log(`  calls: ${JSON.stringify(last.calls)}`)
  }
  describe('report --since 2h ', long)
  describe('report --since 10m', short)
  const ratios = long.map((l, i) => l.ms / short[i].ms)
  console.log(
    `time 2h / 10m (paired, ${ratios.length} pairs, load ${loadavg()[0].toFixed(1)}): median ${median(ratios).toFixed(2)}x (min ${Math.min(...ratios).toFixed(2)}x, max ${Math.max(...ratios).toFixed(2)}x)`,
  )
} finally {
  sim.kill('SIGTERM')
}
