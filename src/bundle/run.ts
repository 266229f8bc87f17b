/**
 * The entry of the CLI bundle (dist/bundle/run.js, built by scripts/build-cli.mjs), which bin/run.js and
 * bin/dev.js call. oclif's `execute` comes from its subpath, so that the bundle holds no part of the
 * @oclif/core index (whose Node version check pulls in semver).
 *
 * Two start-up costs are skipped here, measured with `node --cpu-prof` on `--version`:
 * - oclif would find and read package.json itself; it is read once here and handed over;
 * - oclif loads every plugin in `oclif.plugins` on every run (their package.json and manifest, after
 *   matching each name against every dependency with minimatch). The plugins only add `autocomplete` and
 *   answer mistyped commands, so a run of one of our own commands, or `--version`, goes without them;
 *   everything else (no command, help, `autocomplete`, a typo) loads them as before.
 * - a run of one of our commands (or of its help) loads that command's program only: bin/run.js imports
 *   dist/bundle/program-ID.js (built by scripts/build-cli.mjs), which holds this module, oclif, the help
 *   class and that command's code (what it imports lazily is in program-ID-HASH.js), and nothing of the
 *   other commands. oclif's explicit discovery and
 *   its help class are pointed at the same file (`COMMANDS = {ID: TheClass}`, `default` = the help class), so
 *   the process holds one copy of each module. Every other run (`--version`, help for all, the plugins, a
 *   typo) goes through dist/bundle/run.js and commands.js, which holds all twelve commands.
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

/** The program of one command, relative to the package root (bin/run.js imports it by the same name). */
export const programFile = (id: CommandId): string => `./dist/bundle/program-${id}.js`

export function needsPlugins(argv: string[]): boolean {
  return !(argv[0] === '--version' || ownCommand(argv))
}

/** package.json's oclif settings for a run with these arguments (see above). */
export function oclifFor(argv: string[], oclif: PJSON['oclif']): PJSON['oclif'] {
  const id = ownCommand(argv)
  if (id) {
    const program = programFile(id)
    const commands = {strategy: 'explicit' as const, target: program, identifier: 'COMMANDS'}
    return {...oclif, plugins: [], commands, helpClass: program}
  }
  return needsPlugins(argv) ? oclif : {...oclif, plugins: []}
}

export async function run(options: {development?: boolean} = {}): Promise<unknown> {
  const args = process.argv.slice(2)
  const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PJSON
  pjson.oclif = oclifFor(args, pjson.oclif)
  return execute({args, development: options.development, loadOptions: {root: ROOT, pjson}})
}
