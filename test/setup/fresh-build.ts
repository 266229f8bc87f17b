/**
 * vitest globalSetup: the e2e tests run the built CLI (`bin/run.js` -> dist/), so a dist/ older than src/
 * would test yesterday's code and pass. Before any test runs, rebuild when any source file is newer than
 * the build, and fail the run if the build fails.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The newest modification time under dir (0 when it does not exist). */
export function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** The build is stale when it is missing or any input is newer than the manifest the build writes last. */
export function buildIsStale(root = ROOT): boolean {
  const manifest = join(root, 'oclif.manifest.json')
  if (!existsSync(manifest) || !existsSync(join(root, 'dist'))) return true
  const built = statSync(manifest).mtimeMs
  const inputs = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)
  return inputs > built
}

export default function setup(): void {
  if (!buildIsStale()) return
  console.error('dist/ is older than src/: running `npm run build` before the tests')
  execFileSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
  if (buildIsStale()) throw new Error('`npm run build` left dist/ older than src/: fix the build first')
}
