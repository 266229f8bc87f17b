/**
 * Helpers to run the embedded AWS region in tests, for every layer's tests:
 * - startTestSim: in-process, on a free port, with a ManualClock by default so that tests move time;
 * - spawnSim: the built CLI (`bin/run.js sim --port 0 --json`), as a user runs it;
 * - fetchStats / resetStats: the sim's `/_sim/stats` counters over HTTP.
 * SDK clients pointed at an endpoint come from ./sdk.ts (simClients).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import {ManualClock} from '../../src/sim/clock.js'
import {startSim, type RunningSim, type SimOptions, type StatsSnapshot} from '../../src/sim/index.js'

export {simClients, cloudWatchOverProtocols, TEST_CREDENTIALS} from './sdk.js'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface TestSim extends RunningSim {
  /** The ManualClock the world runs on, unless the options gave a clock of their own. */
  manualClock?: ManualClock
  fetchStats(): Promise<StatsSnapshot>
  resetStats(): Promise<void>
}

/**
 * Starts a sim in-process on a free loopback port. The clock: `clock` if given; else a real clock when
 * `speed` is given (for tests of pollers that wait in real time); else a ManualClock the test advances.
 */
export async function startTestSim(options: SimOptions = {}): Promise<TestSim> {
  const manualClock = options.clock || options.speed !== undefined ? undefined : new ManualClock()
  const sim = await startSim({port: 0, ...options, clock: options.clock ?? manualClock})
  return {
    ...sim,
    manualClock,
    fetchStats: () => fetchStats(sim.endpoint),
    resetStats: () => resetStats(sim.endpoint),
  }
}

export async function fetchStats(endpoint: string): Promise<StatsSnapshot> {
  const response = await fetch(`${endpoint}/_sim/stats`)
  if (!response.ok) throw new Error(`GET /_sim/stats answered ${response.status}`)
  return (await response.json()) as StatsSnapshot
}

export async function resetStats(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/_sim/stats/reset`, {method: 'POST'})
  if (!response.ok) throw new Error(`POST /_sim/stats/reset answered ${response.status}`)
}

export interface Readiness {
  endpoint: string
  region: string
  clusters: string[]
  autoScalingGroups: string[]
}

export interface SpawnedSim {
  ready: Readiness
  child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** Everything written to stderr so far. */
  stderr(): string
  /** Sends a signal (SIGTERM by default) and waits for the exit. Safe to call twice. */
  stop(signal?: NodeJS.Signals): Promise<number | string>
}

/**
 * Runs the built CLI: `node bin/run.js sim --port 0 --json ...args`, and resolves with its readiness line.
 * Build first (`npm run build`). Rejects, with stderr, if the process ends before it is ready.
 */
// Sims a test forgot to stop must not outlive the test process.
const spawned = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of spawned) child.kill('SIGKILL')
})

export function spawnSim(args: string[] = [], timeoutMs = 20_000): Promise<SpawnedSim> {
  const child = spawn(process.execPath, [BIN, 'sim', '--port', '0', '--json', ...args], {
    cwd: REPO_ROOT,
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  spawned.add(child)
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      spawned.delete(child)
      resolve(code ?? signal ?? -1)
    })
  })
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL')
      reject(new Error(`ecsdrain sim was not ready after ${timeoutMs} ms. stderr:\n${stderr}`))
    }, timeoutMs)
    const lines = createInterface({input: child.stdout!})
    lines.once('line', (line) => {
      clearTimeout(timer)
      try {
        resolve({ready: JSON.parse(line) as Readiness, child, exited, stderr: () => stderr, stop})
      } catch {
        void stop('SIGKILL')
        reject(new Error(`ecsdrain sim printed "${line}" instead of its readiness JSON. stderr:\n${stderr}`))
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`ecsdrain sim exited (${code}) before it was ready. stderr:\n${stderr}`))
    })
  })
}
