/**
 * `ecsdrain` on PATH, the two ways the README gives: `npm link` from the checkout (its first command), and
 * `npm pack` then `npm install -g` of the tarball. Both into a private prefix, so the machine's own global
 * packages are never touched; then the installed `ecsdrain` is run from PATH in a fresh shell.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {freshShellEnv, rawSdkOutput} from '../helpers/fresh-shell.js'
import {REPO_ROOT, startTestSim, type TestSim} from '../helpers/sim.js'

const run = promisify(execFile)
const npm = (args: string[], env: Record<string, string> = {}) =>
  run('npm', args, {cwd: REPO_ROOT, env: {...process.env, ...env}, maxBuffer: 16 * 1024 * 1024})

/** Runs the `ecsdrain` found on PATH (the prefix's bin first) in a fresh shell. */
async function ecsdrain(prefixBin: string, args: string[]) {
  const env = freshShellEnv()
  env.PATH = `${prefixBin}:${env.PATH}`
  try {
    const {stdout, stderr} = await run('ecsdrain', args, {env})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const e = error as {code?: number; stdout?: string; stderr?: string}
    return {code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? ''}
  }
}

let sim: TestSim
beforeAll(async () => {
  sim = await startTestSim()
})
afterAll(() => sim?.close())

describe('ecsdrain on PATH', () => {
  it("the README's first command links it with `npm link`", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
    const first = readme.match(/```sh\n(?:#.*\n)*(.*)\n/)![1]!
    expect(first).toMatch(
      /^npm ci && npm run build && npm link && ecsdrain watch --cluster todobackend-cluster --sim$/,
    )
  })

  it('`npm link` puts a working `ecsdrain` on PATH', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'ecsdrain-link-'))
    await npm(['link', '--no-audit', '--no-fund'], {npm_config_prefix: prefix})
    const r = await ecsdrain(join(prefix, 'bin'), ['instances', '--endpoint-url', sim.endpoint])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('i-0e1210ebdde2f1606')
  }, 120_000)

  it('`npm pack`, then `npm install -g` of the tarball, gives a working `ecsdrain`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-pack-'))
    // --ignore-scripts: prepack would rebuild dist/ under the other tests running from it; the suite runs
    // after `npm run build`, so dist/ is this checkout's build either way.
    const {stdout} = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir])
    const [packed] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>
    const files = packed!.files.map((f) => f.path)
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/run.js',
        'bin/load.js',
        'oclif.manifest.json',
        'dist/hook/lambda.bundle.cjs',
        // The code cache ships with the programs (bin/load.js).
        'dist/bundle/program-instances.cjs',
        'dist/bundle/program-instances.cjs.cache',
      ]),
    )
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f === 'bin/dev.js')).toEqual([])

    const prefix = join(dir, 'prefix')
    await npm([
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(dir, packed!.filename),
    ])
    const bin = join(prefix, 'bin')
    const version = await ecsdrain(bin, ['--version'])
    expect(version.stdout).toMatch(/^ecsdrain\/\d+\.\d+\.\d+ /)
    const listing = await ecsdrain(bin, ['instances', '--json', '--endpoint-url', sim.endpoint])
    expect(listing.code, listing.stderr).toBe(0)
    expect(JSON.parse(listing.stdout).cluster).toBe('todobackend-cluster')
    expect(rawSdkOutput(listing.stderr)).toEqual([])
    // The hook bundle ships prebuilt: the template prints offline, without esbuild (a dev dependency).
    const template = await ecsdrain(bin, ['install', '--cluster', 'c', '--asg', 'g', '--print'])
    expect(template.code, template.stderr).toBe(0)
    expect(JSON.parse(template.stdout).Resources).toBeDefined()
  }, 240_000)
})
