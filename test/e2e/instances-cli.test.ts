/**
 * CLI basics around `instances`, on the built CLI: what it loads at startup, help and the oclif plugins,
 * and the terminal table (through a real pseudo-terminal, with and without NO_COLOR).
 */
import {execFile, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {COMMAND_IDS} from '../../src/bundle/command-ids.js'
import {BIN, awsTestEnv, runCli} from '../helpers/run-cli.js'
import {spawnSim, startTestSim, type TestSim} from '../helpers/sim.js'
import {traceOf} from '../helpers/trace.js'

const TRACE = fileURLToPath(new URL('../helpers/trace-imports.mjs', import.meta.url))
const STARTUP = fileURLToPath(new URL('../helpers/trace-startup.mjs', import.meta.url))
const run = promisify(execFile)
const BUNDLE = new URL('../../dist/bundle/', import.meta.url)

let sim: TestSim
beforeAll(async () => {
  sim = await startTestSim({scenario: 'large', instances: 3})
})
afterAll(async () => {
  await sim?.close()
})

/**
 * The modules a run of the built CLI loaded: the ES modules it imported, the file bin/load.js compiled and
 * the CommonJS modules it required (the SDK among them). A mistyped command exits 127.
 */
const importsOf = async (args: string[], code = 0) => (await traceOf(args, {code})).urls

/** What a run of the built CLI started that costs time at every start (test/helpers/trace-startup.mjs). */
async function startupOf(args: string[]): Promise<{icu: string[]; builtins: string[]}> {
  const file = join(mkdtempSync(join(tmpdir(), 'ecsdrain-startup-')), 'startup.json')
  // As a user runs it: vitest sets NODE_ENV=test, for which oclif takes its development paths.
  const env = awsTestEnv({STARTUP_TRACE_FILE: file, NODE_ENV: undefined})
  await run(process.execPath, ['--import', STARTUP, BIN, ...args], {env: env as NodeJS.ProcessEnv})
  return JSON.parse(readFileSync(file, 'utf8')) as {icu: string[]; builtins: string[]}
}

/**
 * Our src/ modules (or, with `packages`, the bundled npm packages) that those imports held: the CLI runs
 * from the esbuild bundle (dist/bundle/), whose inputs.json, written by the build, lists what each of its
 * files holds.
 */
function bundledLoaded(urls: string[], what: 'src' | 'packages' = 'src'): string[] {
  const inputs = JSON.parse(readFileSync(new URL('inputs.json', BUNDLE), 'utf8')) as Record<
    string,
    Record<'src' | 'packages', string[]>
  >
  const files = urls.filter((u) => u.startsWith(BUNDLE.href)).map((u) => u.slice(BUNDLE.href.length))
  expect(files.length).toBeGreaterThan(0)
  return [...new Set(files.flatMap((f) => inputs[f]?.[what] ?? []))]
}

describe('what `instances` loads', () => {
  it('imports neither ink, React, listr2 nor the sim or the TUI when listing to a pipe', async () => {
    const urls = await importsOf(['instances', '--endpoint-url', sim.endpoint])
    expect(urls.filter((u) => /node_modules\/(ink|react|listr2)\//.test(u))).toEqual([])
    const sources = bundledLoaded(urls)
    expect(sources).toContain('src/commands/instances.ts')
    expect(sources).toContain('src/aws/ecs-adapter.ts')
    // The `sim` command's flags and host check are all of the sim that commands.js may hold: the world
    // model, protocols and server load only when `sim` runs.
    const simFlagModules = [
      'src/sim/faults.ts',
      'src/sim/protocol/guard.ts',
      'src/sim/scenarios/catalog.ts',
      'src/sim/types.ts',
    ]
    const heavy = sources.filter((s) => /^src\/(sim|ui\/components|hook\/sim-install)\//.test(s))
    expect(heavy.filter((s) => !simFlagModules.includes(s))).toEqual([])
  })

  /** The files of dist/bundle/ that those imports were, by name, each once (oclif imports the program again). */
  const bundleFiles = (urls: string[]) => [
    ...new Set(urls.filter((u) => u.includes('/dist/bundle/')).map((u) => u.slice(u.lastIndexOf('/') + 1))),
  ]

  it('`--version` loads no command code at all', async () => {
    const sources = bundledLoaded(await importsOf(['--version']))
    const entry = [
      'src/bundle/command-ids.ts',
      'src/bundle/help.ts',
      'src/bundle/run.ts',
      'src/bundle/string-width.ts',
    ]
    expect(sources.filter((s) => !entry.includes(s))).toEqual([])
  })

  it("a run of `instances`, or of its help, loads its program's file only, with no other command's code", async () => {
    for (const args of [
      ['instances', '--endpoint-url', sim.endpoint],
      ['instances', '--help'],
    ]) {
      const {urls, required} = await traceOf(args)
      expect(bundleFiles(urls), args.join(' ')).toEqual(['program-instances.cjs'])
      // Compiled once, by bin/load.js: oclif's require of the same file (its command target) finds it.
      expect(required.filter((u) => u.startsWith(BUNDLE.href))).toEqual([])
      const commands = bundledLoaded(urls).filter((s) => s.startsWith('src/commands/'))
      expect(commands).toEqual(['src/commands/instances.ts'])
    }
  })

  it('each CommonJS start compiles from the code cache that the build wrote, and V8 takes it', async () => {
    for (const [args, file] of [
      [['--version'], 'run.cjs'],
      [['instances', '--help'], 'program-instances.cjs'],
      [['instances', '--json', '--endpoint-url', sim.endpoint], 'program-instances.cjs'],
      [['sim', '--help'], 'program-sim.cjs'],
    ] as const) {
      const {scripts} = await traceOf([...args])
      expect(scripts, args.join(' ')).toEqual([`vm:accepted ${new URL(file, BUNDLE).href}`])
    }
  })

  it('`watch --json` imports neither ink nor React (the TUI stays behind its dynamic import)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecsdrain-trace-')), 'imports.txt')
    const env = awsTestEnv({IMPORT_TRACE_FILE: file})
    const args = [
      '--import',
      TRACE,
      BIN,
      'watch',
      '--json',
      '--interval',
      '1s',
      '--endpoint-url',
      sim.endpoint,
    ]
    const child = spawn(process.execPath, args, {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))
      child.once('exit', (code) => reject(new Error(`watch exited ${code} before its first snapshot`)))
    })
    child.kill('SIGTERM')
    expect(JSON.parse(line.split('\n')[0]!)).toHaveProperty('cluster')
    const urls = readFileSync(file, 'utf8').trim().split('\n')
    expect(bundleFiles(urls)).toContain('program-watch.js')
    expect(urls.filter((u) => /node_modules\/(ink|react|yoga-layout)\//.test(u))).toEqual([])
  })

  it('any other run (help for all, a typo) goes through run.cjs', async () => {
    for (const [args, code] of [
      [['--help'], 0],
      [['instnces'], 127],
    ] as const) {
      const files = bundleFiles(await importsOf([...args], code))
      expect(files, args.join(' ')).toContain('run.cjs')
      expect(
        files.filter((f) => f.startsWith('program-')),
        args.join(' '),
      ).toEqual([])
    }
  })

  it('every program holds, under its id, the command that commands.js lists, with run and the help class', async () => {
    // Each program as bin/load.js loads it: program-ID.cjs, or program-ID.js for one that stays an ES module.
    const script = `
      const {load, programFor} = await import('./bin/load.js')
      const all = (await import('./dist/bundle/commands.js')).COMMANDS
      const out = {}
      for (const id of Object.keys(all)) {
        const {exports: program} = await load(programFor([id]))
        const own = program.COMMANDS
        const same = own[id].description === all[id].description &&
          JSON.stringify(Object.keys(own[id].flags)) === JSON.stringify(Object.keys(all[id].flags))
        const parts = typeof program.run === 'function' && typeof program.default.prototype.showCommandHelp === 'function'
        out[id] = Object.keys(own).join(',') + ':' + (same && parts && typeof own[id].run === 'function')
      }
      console.log(JSON.stringify(out))`
    const root = fileURLToPath(new URL('../../', import.meta.url))
    const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: root})
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(COMMAND_IDS.map((id) => [id, `${id}:true`])))
  })

  it('`--version`, `instances --help` and `instances` start neither ICU nor readline or perf_hooks', async () => {
    for (const args of [
      ['--version'],
      ['instances', '--help'],
      ['instances', '--json', '--endpoint-url', sim.endpoint],
    ]) {
      const {icu, builtins} = await startupOf(args)
      expect(icu, args.join(' ')).toEqual([])
      expect(
        builtins.filter((b) => ['readline', 'perf_hooks'].includes(b)),
        args.join(' '),
      ).toEqual([])
    }
  })

  it('loads @oclif/core from the bundle, not its CommonJS files or its index (Node check, semver)', async () => {
    const urls = await importsOf(['instances', '--endpoint-url', sim.endpoint])
    expect(urls.filter((u) => /node_modules\/(@oclif\/core|semver)\//.test(u))).toEqual([])
    const packages = bundledLoaded(urls, 'packages')
    expect(packages).toContain('@oclif/core')
    expect(packages).not.toContain('semver')
  })
})

describe('help and plugins', () => {
  it('lists every command, autocomplete included', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    for (const id of ['instances', 'autocomplete', 'sim'])
      expect(r.stdout).toMatch(new RegExp(`^  ${id}\\s`, 'm'))
  })

  it('`help COMMAND`, which a mistyped command is told to run, prints what `COMMAND --help` does', async () => {
    const [viaHelp, viaFlag, bare] = await Promise.all([
      runCli(['help', 'instances']),
      runCli(['instances', '--help']),
      runCli(['help']),
    ])
    expect(viaHelp.code, viaHelp.stderr).toBe(0)
    expect(viaHelp.stdout).toContain('$ ecsdrain instances')
    expect(viaHelp.stdout).toBe(viaFlag.stdout)
    expect(bare.code, bare.stderr).toBe(0)
    expect(bare.stdout).toMatch(/^ {2}instances\s/m)
  })

  it('plugin-not-found answers a mistyped command', async () => {
    const r = await runCli(['instnces'])
    expect(r.stderr).toContain('instnces is not a ecsdrain command')
    expect(r.stderr).toContain('Run ecsdrain help for a list of available commands')
    expect(r.code).toBe(127)
  })

  it('autocomplete prints its setup for bash', async () => {
    const r = await runCli(['autocomplete', 'bash'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('ecsdrain autocomplete')
  })
})

// Usage errors and their JSON shape: test/commands/contract.test.ts, in process.

describe('instances in a terminal', () => {
  /** Runs the CLI under `script`, which gives it a pseudo-terminal as stdout. */
  async function inTty(env: Record<string, string | undefined>) {
    const cmd = `${process.execPath} ${BIN} instances --endpoint-url ${sim.endpoint}`
    const r = await run('script', ['-qec', cmd, '/dev/null'], {
      env: awsTestEnv({TERM: 'xterm', ...env}) as NodeJS.ProcessEnv,
    })
    return r.stdout.replace(/\r/g, '')
  }

  it('shows a table with a summary line, in colour', async () => {
    const out = await inTty({NO_COLOR: undefined})
    expect(out).toContain('\u001b[')
    // eslint-disable-next-line no-control-regex
    const plain = out.replace(/\u001b\[[0-9;]*m/g, '')
    expect(plain).toMatch(/^EC2 ID\s+AZ\s+TYPE/m)
    expect(plain).toMatch(/^3 instances in large-cluster: 3 ACTIVE, 0 DRAINING\./m)
  })

  it('NO_COLOR turns the colour off and keeps the table', async () => {
    const out = await inTty({NO_COLOR: '1'})
    expect(out).not.toContain('\u001b[')
    expect(out).toMatch(/^3 instances in large-cluster/m)
  })
})

describe('Ctrl-C at a confirmation prompt', () => {
  /** Runs a command in a pseudo-terminal, answers its [y/N] prompt with Ctrl-C, and returns what it printed. */
  async function interruptPrompt(args: string[]): Promise<string> {
    const cmd = `stty cols 120 rows 40; ${process.execPath} ${BIN} ${args.join(' ')}; echo EXIT=$?`
    const child = spawn('script', ['-qec', cmd, '/dev/null'], {
      env: awsTestEnv({TERM: 'xterm'}) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('[y/N]') && child.stdin.writable) child.stdin.end('\u0003')
    })
    await new Promise((resolve) => child.once('close', resolve))
    return out.replace(/\r/g, '')
  }

  it(
    'install and uninstall exit 130 (interrupted), not 0, at their prompts, and change nothing',
    {timeout: 120_000},
    async () => {
      // A sim of its own, in its own process: the change set needs a clock that runs.
      const own = await spawnSim(['--scenario', 'todobackend'], 50_000)
      const at = ['--endpoint-url', own.ready.endpoint]
      try {
        const install = await interruptPrompt(['install', ...at])
        expect(install).toContain('Execute this change set?')
        expect(install).toContain('nothing was changed')
        expect(install).toMatch(/^EXIT=130$/m)
        // uninstall asks only about a stack that is there (with none, it has nothing to delete: exit 0).
        const deployed = await runCli(['install', '--yes', ...at], {timeoutMs: 90_000})
        expect(deployed.code, deployed.stderr).toBe(0)
        const uninstall = await interruptPrompt(['uninstall', ...at])
        expect(uninstall).toMatch(/Delete stack ecsdrain-todobackend-cluster \(CREATE_COMPLETE\)\?/)
        expect(uninstall).toContain('nothing was changed')
        expect(uninstall).toMatch(/^EXIT=130$/m)
        // The stack was left as it was: a confirmed uninstall still finds it, and deletes it.
        const confirmed = await runCli(['uninstall', '--yes', '--json', ...at], {timeoutMs: 90_000})
        expect(confirmed.code, confirmed.stderr).toBe(0)
        expect(JSON.parse(confirmed.stdout)).toMatchObject({outcome: 'deleted'})
      } finally {
        await own.stop()
      }
    },
  )
})
