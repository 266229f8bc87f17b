#!/usr/bin/env node
/**
 * Benchmark of the real `ecsdrain watch` process on a big cluster. Prints figures; asserts nothing.
 *
 *   npm run build && node bench/watch.mjs [--instances 1000] [--minutes 10] [--interval 5s] [--mode tui,json]
 *
 * The sim runs in a process of its own (`ecsdrain sim --scenario large`, 10 tasks per instance, at real
 * speed), as a user's AWS would be: nothing of it is counted against watch. Then, for each --mode:
 * - tui: `ecsdrain watch` in a 120x40 terminal (tmux, when it is installed): ink + React redraw the
 *   1,000-instance table every refresh, and the countdowns every second, exactly as for a user;
 * - json: `ecsdrain watch --json` to a pipe (no terminal needed): one NDJSON snapshot per refresh.
 * Each runs for --minutes of wall time at the real --interval. Every second the bench reads the watch
 * process's VmRSS and VmHWM (the kernel's peak RSS) from /proc/PID/status; the figure is VmHWM at the end.
 * From the sim's /_sim/stats it also counts the API calls the run made, per operation.
 */
/* global fetch */
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {availableParallelism, loadavg} from 'node:os'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {benchEnv} from './lib/common.mjs'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const {values} = parseArgs({
  options: {
    instances: {type: 'string', default: '1000'},
    minutes: {type: 'string', default: '10'},
    interval: {type: 'string', default: '5s'},
    mode: {type: 'string', default: 'tui,json'},
  },
})
const MINUTES = Number(values.minutes)
const env = benchEnv()
// A person's terminal, not CI: under CI watch prints plain lines instead of the TUI.
delete env.CI
delete env.CONTINUOUS_INTEGRATION

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`
const load = () => `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`

/** VmRSS and VmHWM (peak) of a process, in kB, from /proc; undefined once it has gone. */
function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return {rss: field('VmRSS'), peak: field('VmHWM')}
  } catch {
    return undefined
  }
}

async function startSim() {
  const args = ['sim', '--scenario', 'large', '--instances', values.instances, '--port', '0', '--json']
  const child = spawn(process.execPath, [BIN, ...args], {env, stdio: ['ignore', 'pipe', 'inherit']})
  const line = await new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sim exited ${code}`)))
  })
  return {ready: JSON.parse(line), stop: () => child.kill('SIGTERM')}
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}

/** `ecsdrain watch` in a detached tmux session of its own (its own server socket): returns node's pid. */
function startTui(watchArgs) {
  const socket = `ecsdrain-bench-${process.pid}`
  const envs = Object.entries(env)
    .filter(([k]) => /^(AWS_|HOME$|PATH$)/.test(k))
    .map(([k, v]) => `${k}='${v}'`)
  // `exec`, so that the pane's process is node itself and /proc/PID is watch's.
  const command = `exec env TERM=xterm-256color ${envs.join(' ')} ${process.execPath} ${BIN} ${watchArgs.join(' ')}`
  execFileSync('tmux', ['-L', socket, 'new-session', '-d', '-s', 'watch', '-x', '120', '-y', '40', command])
  const pid = Number(
    execFileSync('tmux', ['-L', socket, 'list-panes', '-t', 'watch', '-F', '#{pane_pid}'], {
      encoding: 'utf8',
    }),
  )
  return {
    pid,
    screen: () =>
      execFileSync('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'watch'], {encoding: 'utf8'}),
    stop: () => spawnSync('tmux', ['-L', socket, 'kill-server']),
  }
}

/** `ecsdrain watch --json` to a pipe: counts its NDJSON lines (one per refresh). */
function startJson(watchArgs) {
  const child = spawn(process.execPath, [BIN, ...watchArgs, '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let lines = 0
  let stderr = ''
  createInterface({input: child.stdout}).on('line', () => (lines += 1))
  child.stderr.on('data', (c) => (stderr += c))
  return {
    pid: child.pid,
    refreshes: () => lines,
    stderr: () => stderr,
    stop: () => child.kill('SIGTERM'),
  }
}

async function measure(mode, sim) {
  const watchArgs = ['watch', '--endpoint-url', sim.ready.endpoint, '--cluster', sim.ready.clusters[0]]
  watchArgs.push('--interval', values.interval)
  await fetch(`${sim.ready.endpoint}/_sim/stats/reset`, {method: 'POST'})
  const watch = mode === 'tui' ? startTui(watchArgs) : startJson(watchArgs)
  const samples = []
  let cpu = NaN
  const until = Date.now() + MINUTES * 60_000
  let last
  try {
    while (Date.now() < until) {
      const m = memory(watch.pid)
      if (!m) throw new Error(`watch (${mode}) exited early${watch.stderr ? `:\n${watch.stderr()}` : ''}`)
      last = m
      samples.push(m.rss)
      await sleep(1000)
    }
    cpu = cpuSeconds(watch.pid)
    if (mode === 'tui' && !/i-[0-9a-f]{17}/.test(watch.screen()))
      throw new Error(`the TUI showed no instance:\n${watch.screen()}`)
  } finally {
    watch.stop()
  }
  const stats = await (await fetch(`${sim.ready.endpoint}/_sim/stats`)).json()
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    mode,
    peak: last.peak,
    median: sorted[Math.floor(sorted.length / 2)],
    first: samples[Math.min(10, samples.length - 1)],
    cpu,
    refreshes: watch.refreshes?.(),
    stats,
  }
}

const modes = values.mode.split(',')
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const sim = await startSim()
const results = []
try {
  console.log(
    `watch on ${values.instances} instances (sim in its own process), ${MINUTES} min each at --interval ${values.interval}; load ${load()}`,
  )
  for (const mode of modes) {
    if (mode === 'tui' && !hasTmux) {
      console.log('  tui: skipped (tmux not found; apt-get install tmux)')
      continue
    }
    const r = await measure(mode, sim)
    results.push(r)
    console.log(
      `  ${mode.padEnd(4)} peak RSS (VmHWM) ${mb(r.peak)}; RSS median ${mb(r.median)}, after 10 s ${mb(r.first)}; CPU ${r.cpu.toFixed(1)} s; load ${load()}`,
    )
  }
} finally {
  sim.stop()
}

const json = results.find((r) => r.mode === 'json')
if (json?.refreshes) {
  console.log(`API calls per refresh (watch --json, ${json.refreshes} refreshes):`)
  for (const [op, s] of Object.entries(json.stats.operations).sort(([a], [b]) => a.localeCompare(b)))
    console.log(
      `  ${op.padEnd(42)} ${String(s.calls).padStart(5)}  ${(s.calls / json.refreshes).toFixed(2)} per refresh`,
    )
}
console.log('\nREADME rows:')
for (const r of results) {
  const what = r.mode === 'tui' ? '`watch` (TUI in tmux)' : '`watch --json`'
  console.log(
    `| ${what}, ${values.instances} instances, ${MINUTES} min, sim in its own process: peak RSS | **${mb(r.peak)}** | ≤ 150 MB |`,
  )
}
