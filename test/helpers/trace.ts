/**
 * Runs the built CLI under test/helpers/trace-imports.mjs and reads back what the run loaded.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {expect} from 'vitest'

import {BIN, awsTestEnv} from './run-cli.js'

const TRACE = fileURLToPath(new URL('trace-imports.mjs', import.meta.url))

export interface Trace {
  stdout: string
  /** Every module the run loaded, as a URL: ES modules, the file bin/load.js compiled, require.cache. */
  urls: string[]
  /** `vm:STATUS URL` for each file compiled with vm.Script (STATUS: accepted, rejected or none). */
  scripts: string[]
  /** The URLs of the files that Node's CommonJS loader compiled. */
  required: string[]
}

/** One run of `bin` (the built CLI unless given) with these arguments, which must exit with `code`. */
export async function traceOf(
  args: string[],
  options: {code?: number; bin?: string; env?: Record<string, string | undefined>} = {},
): Promise<Trace> {
  const file = join(mkdtempSync(join(tmpdir(), 'ecsdrain-trace-')), 'imports.txt')
  const env = awsTestEnv({...options.env, IMPORT_TRACE_FILE: file}) as NodeJS.ProcessEnv
  const argv = ['--import', TRACE, options.bin ?? BIN, ...args]
  const {stdout, exit} = await promisify(execFile)(process.execPath, argv, {env}).then(
    (r) => ({stdout: r.stdout, exit: 0}),
    (e: {code?: number; stdout?: string}) => ({stdout: e.stdout ?? '', exit: e.code}),
  )
  expect(exit, args.join(' ')).toBe(options.code ?? 0)
  const lines = readFileSync(file, 'utf8').trim().split('\n')
  return {
    stdout,
    urls: lines.filter((l) => !/^(vm:|require:)/.test(l)),
    scripts: lines.filter((l) => l.startsWith('vm:')),
    required: lines.filter((l) => l.startsWith('require: ')).map((l) => l.slice('require: '.length)),
  }
}
