/**
 * Runs documented example commands as a user would type them: in bash, in a fresh shell whose only set-up
 * is the one the docs give (`export AWS_ENDPOINT_URL=<the sim>`, as `ecsdrain sim` suggests), with
 * `ecsdrain` on PATH, against a spawned `ecsdrain sim --hook manual`, stdin closed (no one answers a prompt).
 *
 * - Each group of examples (a README block, a command's --help) gets its own sim, so that one group's
 *   changes (an install, a completed action) never reach another; its examples run in order, the groups
 *   a few at a time.
 * - The sim's documented address, http://127.0.0.1:4599, is replaced by the spawned sim's (tests never use
 *   fixed ports); `ecsdrain sim` examples get ECSDRAIN_SIM_PORT=0 for the same reason.
 * - Commands that run until Ctrl-C (`ecsdrain sim`, `ecsdrain watch`) get SIGINT, the ecsdrain process
 *   only, once they have printed something (or after a while for a pipe that buffers), as a user would.
 * - `export` lines carry over to the rest of their group, as in one shell session.
 */
import {spawn} from 'node:child_process'
import {chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {AutoScalingClient, TerminateInstanceInAutoScalingGroupCommand} from '@aws-sdk/client-auto-scaling'

import {freshShellEnv} from '../../helpers/fresh-shell.js'
import {BIN} from '../../helpers/run-cli.js'
import {spawnSim, TEST_CREDENTIALS} from '../../helpers/sim.js'
import {expectationFor, SIM_INSTANCE, type Expectation} from './expectations.js'

export const DOCUMENTED_ENDPOINT = 'http://127.0.0.1:4599'

/**
 * The world a group runs in: the fresh `ecsdrain sim --hook manual`, or one in which Auto Scaling is
 * terminating its instance, which waits in Terminating:Wait on the manual hook (a rollout under way).
 */
export type World = 'fresh' | 'terminating'

export interface ExampleGroup {
  name: string
  world: World
  commands: string[]
}

export interface ExampleRun {
  group: string
  command: string
  expectation: Expectation
  code: number | string
  stdout: string
  stderr: string
  ms: number
}

/** A directory with an `ecsdrain` that runs this checkout's build: what `npm link` gives a user. */
function ecsdrainOnPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-bin-'))
  const shim = join(dir, 'ecsdrain')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(shim, 0o755)
  return dir
}

export async function runGroups(groups: ExampleGroup[], concurrency = 2): Promise<ExampleRun[]> {
  const bin = ecsdrainOnPath()
  const results: ExampleRun[][] = []
  let next = 0
  const worker = async () => {
    while (next < groups.length) {
      const index = next++
      results[index] = await runGroup(groups[index]!, bin)
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, groups.length)}, worker))
  return results.flat()
}

async function runGroup(group: ExampleGroup, bin: string): Promise<ExampleRun[]> {
  const sim = await spawnSim(['--hook', 'manual'])
  try {
    if (group.world === 'terminating') await terminateInstance(sim.ready.endpoint)
    const env = freshShellEnv({AWS_ENDPOINT_URL: sim.ready.endpoint, ECSDRAIN_SIM_PORT: '0'})
    env.PATH = `${bin}:${env.PATH}`
    const cwd = mkdtempSync(join(tmpdir(), 'ecsdrain-example-'))
    const exports: string[] = []
    const runs: ExampleRun[] = []
    for (const command of group.commands) {
      const expectation = expectationFor(command)
      const line = command.replaceAll(DOCUMENTED_ENDPOINT, sim.ready.endpoint)
      const script = [...exports, line].join('\n')
      runs.push({group: group.name, command, expectation, ...(await runLine(script, env, cwd, expectation))})
      if (/^export /.test(command)) exports.push(line)
    }
    return runs
  } finally {
    await sim.stop()
  }
}

async function terminateInstance(endpoint: string): Promise<void> {
  const asg = new AutoScalingClient({endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS})
  await asg.send(
    new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: SIM_INSTANCE,
      ShouldDecrementDesiredCapacity: false,
    }),
  )
  asg.destroy()
}

/** Without output by then, a command that runs until Ctrl-C is interrupted anyway (e.g. into a pipe). */
const QUIET_INTERRUPT_MS = 8_000
const LINE_TIMEOUT_MS = 90_000

function runLine(
  script: string,
  env: Record<string, string>,
  cwd: string,
  expectation: Expectation,
): Promise<{code: number | string; stdout: string; stderr: string; ms: number}> {
  const started = performance.now()
  // Its own process group: the whole line (a pipe included) can be found, and killed if it hangs.
  const child = spawn('bash', ['-c', script], {env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  let interruptTimer: NodeJS.Timeout | undefined
  const interrupt = () => {
    if (interruptTimer) return
    interruptTimer = setTimeout(() => signalEcsdrain(child.pid!, 'SIGINT'), 300)
  }
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
    if (expectation.interrupt) interrupt()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
    if (expectation.interrupt) interrupt()
  })
  const quiet = expectation.interrupt ? setTimeout(interrupt, QUIET_INTERRUPT_MS) : undefined
  const hung = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }, LINE_TIMEOUT_MS)
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      for (const t of [interruptTimer, quiet, hung]) clearTimeout(t)
      resolve({code: code ?? signal ?? -1, stdout, stderr, ms: performance.now() - started})
    })
  })
}

/** SIGINT to the ecsdrain processes of the line's process group, as Ctrl-C would reach them. */
function signalEcsdrain(group: number, signal: NodeJS.Signals): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name, which is in parentheses and may hold spaces: state ppid pgrp ...
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      if (pgrp !== group) continue
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (cmdline.includes(BIN)) process.kill(Number(entry), signal)
    } catch {
      // The process ended while we looked.
    }
  }
}
