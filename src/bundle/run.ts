/**
 * The start of the bundled CLI (built by scripts/build-cli.mjs), which bin/run.js and bin/dev.js call.
 * oclif's `execute` comes from its subpath, so that the bundle holds no part of the @oclif/core index (whose
 * Node version check pulls in semver).
 *
 * Start-up costs skipped here, measured with `node --cpu-prof` on `--version`:
 * - oclif would find and read package.json itself; it is read once here and handed over;
 * - oclif loads every plugin in `oclif.plugins` on every run (their package.json and manifest, after
 *   matching each name against every dependency with minimatch). The plugins only add `autocomplete` and
 *   answer mistyped commands, so a run of one of our own commands, or `--version`, goes without them;
 *   everything else (no command, help, `autocomplete`, a typo) loads them as before.
 * - a run of one of our commands (or of its help) loads that command's program only (bin/load.js chooses
 *   it): this module, oclif, the help class and that command's code, and nothing of the other commands.
 *   oclif's explicit discovery is pointed at the same file (`COMMANDS = {ID: TheClass}`), so the process
 *   holds one copy of each module. Every other run (`--version`, help for all, the plugins, a typo) loads
 *   run.cjs, and oclif imports commands.js, which holds all twelve commands, when it needs a command.
 * - the help class is `default` in every file that holds this module, and oclif is pointed at the file the
 *   run loaded for it, rather than at a file of its own.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {execute} from '@oclif/core/execute'
import type {PJSON} from '@oclif/core/interfaces'

import {COMMAND_IDS, type CommandId} from './command-ids.js'

/** dist/bundle/ is two levels below the package root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The id of the command of ours that argv runs (or asks help for), if any. */
export function ownCommand(argv: string[]): CommandId | undefined {
  const first = argv[0] ?? ''
  return (COMMAND_IDS as readonly string[]).includes(first) ? (first as CommandId) : undefined
}

export function needsPlugins(argv: string[]): boolean {
  return !(argv[0] === '--version' || ownCommand(argv))
}

/**
 * package.json's oclif settings for a run with these arguments (see above), `program` being the file of
 * dist/bundle/ that bin/load.js loaded for it.
 */
export function oclifFor(argv: string[], oclif: PJSON['oclif'], program: string): PJSON['oclif'] {
  const file = `./dist/bundle/${program}`
  if (ownCommand(argv)) {
    const commands = {strategy: 'explicit' as const, target: file, identifier: 'COMMANDS'}
    return {...oclif, plugins: [], commands, helpClass: file}
  }
  return {...oclif, plugins: needsPlugins(argv) ? oclif.plugins : [], helpClass: file}
}

/** `program`: the file of dist/bundle/ that holds this module in this run (bin/load.js names it). */
export async function run(options: {development?: boolean; program: string}): Promise<unknown> {
  const args = process.argv.slice(2)
  const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PJSON
  pjson.oclif = oclifFor(args, pjson.oclif, options.program)
  return execute({args, development: options.development, loadOptions: {root: ROOT, pjson}})
}
