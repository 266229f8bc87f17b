/**
 * Runs one of our command classes in this process, as oclif's `runCommand` (@oclif/test) does, with its
 * output captured by @oclif/test's `captureOutput`: the flags parsed by oclif, our error handling, the exit
 * code, stdout and stderr, but no process to spawn and no build to wait for. oclif's `runCommand` itself
 * finds commands through package.json, which points at the esbuild bundle (dist/bundle/commands.js); taking
 * the class from src/commands tests the source, and the e2e tests keep covering the built binary.
 *
 * The environment is awsTestEnv's (dummy credentials, no ~/.aws) for the length of the run; stdin is not
 * a terminal here, so commands behave as in a script (no question is asked).
 */
import {fileURLToPath} from 'node:url'
import {format} from 'node:util'

import {Config} from '@oclif/core/config'
import * as Errors from '@oclif/core/errors'
import {captureOutput} from '@oclif/test'

import {awsTestEnv} from '../helpers/run-cli.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
let config: Promise<Config> | undefined

export interface CommandRun {
  /** The exit code the process would end with: the error's, else process.exitCode, else 0. */
  code: number
  stdout: string
  stderr: string
  /** What run() returned (the JSON under --json). */
  result: unknown
  error: Error | undefined
}

/** A command class: oclif's static `run` parses argv against its flags and runs it. */
type Runnable = {run(argv?: string[], opts?: Config): Promise<unknown>}

export async function runCommand(
  cmd: Runnable,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandRun> {
  config ??= Config.load(ROOT)
  const loaded = await config
  const saved = {...process.env}
  replaceEnv(awsTestEnv(env))
  process.exitCode = undefined
  // oclif writes through console.log and console.error, which vitest intercepts before captureOutput's
  // stream patches could see them: send them to the streams for the length of the run.
  const consoleWas = {log: console.log, error: console.error}
  console.log = (...a: unknown[]) => void process.stdout.write(`${format(...a)}\n`)
  console.error = (...a: unknown[]) => void process.stderr.write(`${format(...a)}\n`)
  try {
    const out = await captureOutput(() => cmd.run(argv, loaded))
    const error = out.error as (Error & {oclif?: {exit?: number}}) | undefined
    const code = error ? (error.oclif?.exit ?? 1) : Number(process.exitCode ?? 0)
    // An error that leaves the command (oclif's parse errors; ExitError is our own exit, already printed) is
    // printed by oclif's error handler in bin/run.js: its message, on stderr.
    const uncaught = error && !(error instanceof Errors.ExitError) ? `${error.message}\n` : ''
    return {code, stdout: out.stdout, stderr: out.stderr + uncaught, result: out.result, error}
  } finally {
    Object.assign(console, consoleWas)
    process.exitCode = undefined
    replaceEnv(saved)
  }
}

function replaceEnv(next: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in next)) delete process.env[key]
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
}
