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
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {execute} from '@oclif/core/execute'
import type {PJSON} from '@oclif/core/interfaces'

import {COMMAND_IDS} from './command-ids.js'

/** dist/bundle/ is two levels below the package root. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export function needsPlugins(argv: string[]): boolean {
  const first = argv[0] ?? ''
  return !(first === '--version' || (COMMAND_IDS as readonly string[]).includes(first))
}

export async function run(options: {development?: boolean} = {}): Promise<unknown> {
  const args = process.argv.slice(2)
  const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PJSON
  if (!needsPlugins(args)) pjson.oclif = {...pjson.oclif, plugins: []}
  return execute({args, development: options.development, loadOptions: {root: ROOT, pjson}})
}
