#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark in bench/ one after the other (they print figures; none asserts).
 * Plain .js/.mjs files run against dist/ (build first); .ts files are bundled with esbuild to a temp file.
 * Pass names to run only some: `npm run bench -- sim instances`.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => ['.js', '.mjs', '.ts'].includes(extname(f)) && f !== 'run.js' && !f.endsWith('.d.ts'))
  .filter((f) => only.length === 0 || only.includes(basename(f, extname(f))))
  .sort()
const env = {...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'}
const out = mkdtempSync(join(tmpdir(), 'ecsdrain-bench-'))
let failed = 0
for (const file of files) {
  console.log(`\n=== bench/${file}`)
  let script = join(dir, file)
  if (file.endsWith('.ts')) {
    script = join(out, `${basename(file, '.ts')}.mjs`)
    const banner =
      "import {createRequire as __bench_cr} from 'node:module'; const require = __bench_cr(import.meta.url);"
    const bundled = spawnSync(
      'npx',
      [
        'esbuild',
        join(dir, file),
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--packages=external',
        `--banner:js=${banner}`,
        `--outfile=${script}`,
        '--log-level=error',
      ],
      {stdio: 'inherit', env},
    )
    if (bundled.status !== 0) {
      failed++
      continue
    }
  }
  const result = spawnSync(process.execPath, [script], {stdio: 'inherit', env, cwd: join(dir, '..')})
  if (result.status !== 0) failed++
}
if (failed > 0) process.exitCode = 1
