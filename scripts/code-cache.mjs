#!/usr/bin/env node
/**
 * `npm run build:cache` (the last step of `npm run build`): writes beside each CommonJS file of the bundle
 * (dist/bundle/run.cjs and program-ID.cjs) its V8 code cache, FILE.cache, which bin/load.js hands to V8.
 *
 * A cache holds what V8 compiled in one run of that file, so each comes from a run of its own, in a child
 * process that loads the file as bin/load.js does: `ID --help` for a program (oclif's start, the command's
 * flags, the help class), `--version` for run.cjs. What only a real run of a command calls (its flag parser,
 * the AWS adapters) is not in the cache, and compiles on first use as it would without one.
 */
import {execFile} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {BUNDLE, load} from '../bin/load.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const SELF = fileURLToPath(import.meta.url)

if (process.argv[2] === '--write') {
  // The child: load one file, run it with these arguments, and write its cache as the process exits.
  const [name, ...args] = process.argv.slice(3)
  const {exports, saveCodeCache} = await load(name)
  process.on('exit', (code) => {
    if (code === 0) saveCodeCache()
  })
  process.argv = [process.argv[0], BIN, ...args]
  await exports.run({program: name})
} else {
  const files = readdirSync(BUNDLE).filter((f) => /^(run|program-[a-z]+)\.cjs$/.test(f))
  const argsFor = (file) =>
    file === 'run.cjs' ? ['--version'] : [file.slice('program-'.length, -'.cjs'.length), '--help']
  const queue = [...files]
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      // The output is the help text: only the exit code matters here (execFile rejects on any other).
      await promisify(execFile)(process.execPath, [SELF, '--write', file, ...argsFor(file)], {
        env: {...process.env, NO_COLOR: '1'},
      })
    }
  }
  await Promise.all(Array.from({length: Math.min(availableParallelism(), files.length)}, worker))
  console.error(`code cache: ${files.length} files`)
}
