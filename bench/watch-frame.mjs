/**
 * Benchmark of the `watch` TUI's frames and refresh rounds on a big cluster: the sim's `large` scenario
 * (1,000 instances, 10,000 tasks), served over real HTTP and read through the real AWS adapters and snapshot
 * builder, in this process. Prints figures; it is not a test. Build first, then
 * `npm run bench -- watch-frame`, or `node bench/watch-frame.mjs [instances] [minutes]`.
 * (The memory of the real `watch` process, with the sim in a process of its own, is bench/watch.mjs.)
 *
 * 1. API calls per refresh, per operation (from the CLI's own call ledger), over N minutes of 5 s refreshes.
 * 2. The time to render one TUI frame of the 1,000-instance cluster: from a store update to the frame written.
 *
 * How 10 minutes run in less: the poller and the sim share a virtual clock. Each poller sleep advances the
 * sim's ManualClock by the interval (its scheduler, metrics and timers run) and returns at once, so the
 * 120 refreshes of 10 minutes at --interval 5s happen back to back, each a full round of real HTTP calls.
 */
import {Writable} from 'node:stream'
import {performance} from 'node:perf_hooks'
import {setImmediate} from 'node:timers'

import {median} from './lib/common.mjs'
// As `watch` does before it loads the TUI: React's development build is several times slower and bigger.
process.env.NODE_ENV ??= 'production'
const {render} = await import('ink')
const {default: React} = await import('react')
const {createAwsPorts} = await import('../dist/aws/index.js')
const {resolveCluster} = await import('../dist/core/cluster.js')
const {ManualClock} = await import('../dist/sim/clock.js')
const {startSim} = await import('../dist/sim/index.js')
const {App} = await import('../dist/ui/components/App.js')
const {createViewStore} = await import('../dist/ui/view.js')
const {startWatchSession} = await import('../dist/core/watch/session.js')

const [instances = 1000, minutes = 10] = process.argv.slice(2).map(Number)
const INTERVAL_MS = 5000
const rounds = (minutes * 60_000) / INTERVAL_MS

/** A terminal of 120×40 that keeps only the time of the last frame written. */
class FakeTerminal extends Writable {
  columns = 120
  rows = 40
  isTTY = false
  frames = 0
  lastWriteAt = 0
  _write(_chunk, _enc, done) {
    this.frames += 1
    this.lastWriteAt = performance.now()
    done()
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

const simClock = new ManualClock(Date.now())
const t0 = performance.now()
const sim = await startSim({scenario: 'large', instances, tasksPerInstance: 10, port: 0, clock: simClock})
console.log(
  `sim: large scenario, ${instances} instances, started in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
)
const aws = createAwsPorts({
  endpointUrl: sim.endpoint,
  region: sim.region,
  credentials: {accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench'},
})
const cluster = await resolveCluster(aws.ecs)

let refreshed = 0
let roundStarted = 0
const roundMs = []
const clock = {
  now: () => simClock.now(),
  sleep: async (ms, signal) => {
    signal?.throwIfAborted()
    simClock.advance(ms)
    await tick()
  },
}
const session = startWatchSession({
  ports: aws,
  cluster,
  location: sim.endpoint,
  clock,
  intervalMs: INTERVAL_MS,
  autoDrain: false,
  callStats: () => aws.ledger.summary(),
  onUpdate: (u) => {
    if (u.kind === 'snapshot') roundStarted = roundStarted || performance.now()
    if (u.kind === 'refreshed') refreshed += 1
  },
})

// The TUI, mounted on a fake terminal: it re-renders on every store change, as in a real session.
const terminal = new FakeTerminal()
const stdin = Object.assign(new Writable({write: (_c, _e, done) => done()}), {isTTY: false})
// The view (selection, filter, sort) is the TUI's own store; the bench moves the selection through it.
const view = createViewStore()
const app = render(React.createElement(App, {store: session.store, runner: session.runner, view}), {
  stdout: terminal,
  stdin,
  patchConsole: false,
  exitOnCtrlC: false,
  maxFps: 100_000, // no frame throttling: measure the render itself
})

// Wait for the first refresh, and warm up.
while (refreshed < 2) await tick()
const ledgerAfterWarmup = new Map([...aws.ledger.byOperation()].map(([op, s]) => [op, s.calls]))
const refreshedAfterWarmup = refreshed
const wall0 = performance.now()
let last = performance.now()
while (refreshed - refreshedAfterWarmup < rounds) {
  const before = refreshed
  while (refreshed === before) await tick()
  roundMs.push(performance.now() - last)
  last = performance.now()
}
const wallMs = performance.now() - wall0
const rounds2 = refreshed - refreshedAfterWarmup

console.log(
  `\n1. API calls per refresh over ${minutes} min of ${INTERVAL_MS / 1000} s refreshes (${rounds2} refreshes):`,
)
for (const [op, s] of [...aws.ledger.byOperation()].sort(([a], [b]) => a.localeCompare(b))) {
  const calls = s.calls - (ledgerAfterWarmup.get(op) ?? 0)
  console.log(
    `   ${op.padEnd(40)} ${String(calls).padStart(5)} calls  ${(calls / rounds2).toFixed(2).padStart(6)} per refresh`,
  )
}
const gmd =
  (aws.ledger.byOperation().get('CloudWatch.GetMetricData')?.calls ?? 0) -
  (ledgerAfterWarmup.get('CloudWatch.GetMetricData') ?? 0)
console.log(`   GetMetricData: ${gmd} in ${minutes} simulated minutes (target: at most one a minute)`)
console.log(
  `   refresh round (HTTP to the sim + snapshot + store + TUI render): median ${median(roundMs).toFixed(0)} ms; ${rounds2} rounds in ${(wallMs / 1000).toFixed(1)} s of wall time`,
)

// 2. One frame: a store change (the selection moves) until ink has written the new frame. The poller is
// stopped first, so that its HTTP rounds (and the in-process sim answering them) don't queue in front.
await session.poller.stop()
const frameMs = []
const frameCpuMs = []
for (let n = 0; n < 200; n++) {
  const writes = terminal.frames
  const start = performance.now()
  const cpu = process.cpuUsage()
  const index = n % 2 ? 0 : 37
  view.dispatch({type: 'select', id: session.store.getState().instances[index].ec2InstanceId, index})
  while (terminal.frames === writes) await tick()
  frameMs.push(terminal.lastWriteAt - start)
  const used = process.cpuUsage(cpu)
  frameCpuMs.push((used.user + used.system) / 1000)
}
const shown = session.store.getState().instances.length
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]
console.log(`\n2. One TUI frame of ${shown} instances at 120x40 (store update to frame written, 200 frames):`)
console.log(
  `   wall median ${median(frameMs).toFixed(1)} ms, p90 ${p90(frameMs).toFixed(1)} ms, min ${Math.min(...frameMs).toFixed(1)} ms; CPU median ${median(frameCpuMs).toFixed(1)} ms (target < 50 ms)`,
)
console.log(
  `   (load average now ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} cores: wall times include waiting for a CPU)`,
)

app.unmount()
await session.stop()
await sim.close()
