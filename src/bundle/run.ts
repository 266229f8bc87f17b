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
 * - a run of one of our commands imports that command's code only: oclif's explicit discovery is pointed
 *   at dist/bundle/command-ID.js (`COMMANDS = {ID: TheClass}`, built by scripts/build-cli.mjs) instead of
 *   commands.js, which holds all twelve. oclif still lists and helps every command from its manifest.
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

/** package.json's oclif settings for a run with these arguments (see above). */
export function oclifFor(argv: string[], oclif: PJSON['oclif']): PJSON['oclif'] {
  const id = ownCommand(argv)
  if (id) {
    const commands = {
      strategy: 'explicit' as const,
      target: `./dist/bundle/command-${id}.js`,
      identifier: 'COMMANDS',
    }
    return {...oclif, plugins: [], commands}
  }
  return needsPlugins(argv) ? oclif : {...oclif, plugins: []}
}

export async function run(options: {development?: boolean} = {}): Promise<unknown> {
  const args = process.argv.slice(2)
  const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PJSON
  pjson.oclif = oclifFor(args, pjson.oclif)
  return execute({args, development: options.development, loadOptions: {root: ROOT, pjson}})
}
