/**
 * `npm run build` prints nothing alarming: the hook bundle's esbuild step gives no warning (it warned about
 * `import.meta` in src/aws/sdk.ts, which a CommonJS bundle cannot have). Run on a private copy of the
 * sources, so that the shared dist/ the other tests use is never rewritten under them.
 */
import {execFile} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {describe, expect, it} from 'vitest'

import {REPO_ROOT} from '../helpers/sim.js'

const run = promisify(execFile)

describe('the build', () => {
  it('bundles the hook handler without an esbuild warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ecsdrain-build-'))
    cpSync(join(REPO_ROOT, 'src'), join(root, 'src'), {recursive: true})
    cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'))
    mkdirSync(join(root, 'dist', 'hook'), {recursive: true})
    cpSync(join(REPO_ROOT, 'dist', 'hook', 'bundle.js'), join(root, 'dist', 'hook', 'bundle.js'))
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'))
    const script =
      "const n = await (await import('./dist/hook/bundle.js')).writeHandlerBundle(); console.error('hook bundle: ' + n + ' bytes')"
    const {stderr} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: root})
    expect(existsSync(join(root, 'dist', 'hook', 'lambda.bundle.cjs'))).toBe(true)
    expect(stderr).toMatch(/^hook bundle: \d+ bytes\n$/)
  })
})
