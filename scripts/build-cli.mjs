#!/usr/bin/env node
/**
 * `npm run build:cli` (part of `npm run build`): bundles the CLI with esbuild into dist/bundle/.
 *
 * Why: unbundled, every run resolved and compiled about a hundred CommonJS files of @oclif/core and its
 * dependencies before printing anything (most of `--version`'s time). Bundled, it reads a few ESM files.
 * - run.js: oclif's `execute`, which bin/run.js and bin/dev.js call;
 * - commands.js: every command class, for oclif's `explicit` command discovery (package.json
 *   `oclif.commands`); oclif imports it only to run a command, `--help` reads oclif.manifest.json;
 * - program-ID.js: one per command, what a run of that command (or of its help) loads, with its lazy
 *   imports in program-ID-HASH.js (see below);
 * - help.js: oclif's help class, for package.json `oclif.helpClass` (src/bundle/help.ts says why);
 * - chunk-*.js: code shared by both, and what the commands import lazily (the sim, the TUI, ...).
 *
 * The chunks sit two levels below the package root, as dist/aws and dist/hook do, so the modules that find
 * package.json or the hook bundle by `new URL('../../', import.meta.url)` work the same bundled or not.
 *
 * External (loaded from node_modules at run time): the AWS SDK and @smithy (src/aws/sdk.ts requires the
 * clients lazily; one copy of @smithy serves both them and us), ink + React + listr2 (only `watch`, `drain`
 * and `install` load them, and React must be one copy for ink and our components), esbuild (the hook bundle
 * falls back to it in development) and typescript (oclif requires it only for ts-node set-ups).
 *
 * inputs.json maps every output file to the src/ modules and the packages it holds, so that tests can tell
 * from a trace of the files a run imported which of our modules (and which bundled packages) it loaded.
 */
import {readdirSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'

import {build} from 'esbuild'

const OUT = 'dist/bundle'

/**
 * Our `import`s of Node's built-in modules and of the AWS SDK's CommonJS packages become `require` calls.
 * Why: an ESM import of a built-in goes through its ESM facade, which reads every export and so runs the
 * lazy getters behind them (`node:util` loads its MIME and parseArgs modules, `node:process` its report);
 * an ESM import of a CommonJS package makes Node lex the package's whole source for its export names first
 * (src/aws/sdk.ts says more). `require` returns the same module objects without either.
 */
const requireCommonJs = {
  name: 'require-commonjs',
  setup(b) {
    const pattern = /^(node:|@aws-sdk\/|@smithy\/)/
    b.onResolve({filter: pattern}, (args) =>
      args.kind === 'import-statement' && args.namespace === 'file'
        ? {path: args.path, namespace: 'require-commonjs'}
        : undefined,
    )
    b.onResolve({filter: /.*/, namespace: 'require-commonjs'}, (args) => ({path: args.path, external: true}))
    b.onLoad({filter: /.*/, namespace: 'require-commonjs'}, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

/**
 * Packages that oclif requires when its modules load but uses only on some paths: tinyglobby (command files
 * by glob, which explicit discovery never does), minimatch (matching plugin names), ejs (help text) and
 * cli-spinners (a spinner in a terminal). Each is bundled into a CommonJS file of its own (lazy-NAME.cjs),
 * and oclif gets a stand-in whose first property read requires that file; the stand-in answers `__esModule`
 * as the real module does, so that interop helpers need not load it. Measured on `--version`: the bundle
 * that every run parses is ~40 % smaller, and loading it costs ~40 % less CPU.
 */
const LAZY = ['tinyglobby', 'minimatch', 'ejs', 'cli-spinners']
const lazyFile = (name) => `lazy-${name}.cjs`
/**
 * Node's built-ins that oclif requires when its modules load but uses only on some paths get the same
 * stand-in, which requires the built-in itself on first use: readline (reading a flag's value from stdin)
 * and perf_hooks (OCLIF_PERFORMANCE). (child_process, for the Windows shell's name, would be another, but
 * wsl-utils, which oclif imports on every run to tell WSL from Linux, loads it anyway.)
 */
const LAZY_BUILTINS = ['node:readline', 'node:perf_hooks']
const fromOclif = (importer) => /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]/.test(importer)

const lazyRequire = {
  name: 'lazy-require',
  setup(b) {
    const filter = new RegExp(`^(${LAZY.join('|')})$`)
    b.onResolve({filter}, (args) =>
      args.kind === 'require-call' && args.namespace === 'file'
        ? {path: args.path, namespace: 'lazy-require', pluginData: {importer: args.importer}}
        : undefined,
    )
    const builtins = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`)
    b.onResolve({filter: builtins}, (args) =>
      args.kind === 'require-call' && args.namespace === 'file' && fromOclif(args.importer)
        ? {path: args.path, namespace: 'lazy-require', pluginData: {importer: args.importer}}
        : undefined,
    )
    b.onResolve({filter: /^\.\/lazy-/, namespace: 'lazy-require'}, (args) => ({
      path: args.path,
      external: true,
    }))
    b.onLoad({filter: /.*/, namespace: 'lazy-require'}, (args) => {
      const real = createRequire(args.pluginData.importer)(args.path)
      if (typeof real !== 'object' || real === null)
        throw new Error(`lazy-require: ${args.path} does not export an object`)
      return {
        loader: 'js',
        contents: `let real
const load = () => (real ??= require(${JSON.stringify(LAZY_BUILTINS.includes(args.path) ? args.path : `./${lazyFile(args.path)}`)}))
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? ${JSON.stringify(real.__esModule)} : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key)
    return d && {...d, configurable: true}
  },
})`,
      }
    })
  },
}

/**
 * oclif sorts each plugin's commands by id with `localeCompare` on every run (Plugin.load), and the first
 * `localeCompare` in a process starts ICU's collator: 13 ms of the ~90 that `--version` takes beyond
 * `node -e 0` (measured: `"a".localeCompare("b")` alone, first call, on this machine). Nothing else on the
 * paths of `--version`, help or `instances` calls ICU. The ids are plain ASCII command names (ours and the
 * plugins'), whose order is the same by code unit, so the sort compares them by code unit. The build fails
 * if the line is no longer there (an oclif update): look again then.
 */
const OCLIF_SORT = '.sort((a, b) => a.id.localeCompare(b.id));'
const ordinalCommandSort = {
  name: 'ordinal-command-sort',
  setup(b) {
    b.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8')
      if (!source.includes(OCLIF_SORT))
        throw new Error(`ordinal-command-sort: ${OCLIF_SORT} not in ${args.path}`)
      return {
        loader: 'js',
        contents: source.replace(OCLIF_SORT, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'),
      }
    })
  },
}

/**
 * Every bundled `require('string-width')` (oclif's help: its formatter, wrap-ansi and widest-line) gets
 * string-width with the printable-ASCII fast path of src/bundle/string-width.ts in front of it.
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({filter: /^string-width$/}, (args) =>
      args.kind === 'require-call' && args.namespace === 'file'
        ? {path: createRequire(args.importer).resolve('string-width'), namespace: 'ascii-string-width'}
        : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'ascii-string-width'}, (args) => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `const {withAsciiFastPath} = require('./src/bundle/string-width.ts')
const stringWidth = withAsciiFastPath(require(${JSON.stringify(args.path)}))
module.exports = stringWidth
module.exports.default = stringWidth`,
    }))
  },
}

/** The lazy packages, each as the CommonJS file its stand-in requires, resolved as oclif resolves them. */
async function buildLazyPackages() {
  const requireAsOclif = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))
  await Promise.all(
    LAZY.map((name) =>
      build({
        entryPoints: [requireAsOclif.resolve(name)],
        outfile: `${OUT}/${lazyFile(name)}`,
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        minify: true,
        logLevel: 'warning',
      }),
    ),
  )
}

// Chunks are named by content hash: clear out the last build's.
rmSync(OUT, {recursive: true, force: true})
await buildLazyPackages()
/**
 * One program per command, program-ID.js: run.ts, oclif, the help class and that command's code. It exports
 * `run`, `COMMANDS = {ID: TheClass}` for oclif's explicit discovery and the help class as `default`;
 * bin/run.js imports it for a run of that command and src/bundle/run.ts points oclif's command target and
 * help class at the same file, so that the process holds one copy of every module. Why: the shared chunks of
 * the split build made a run of `instances` import about 24 files, and Node's ES module loader resolves,
 * reads, compiles and links each one; its program is 6 files, and the run went from 1.35x the bare SDK
 * script's time to 1.26x (paired, in one run, on this machine).
 * commands.js stays the target in package.json, for `oclif manifest` and for the runs that go through run.js.
 */
const COMMAND_IDS = readdirSync('src/commands')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
const programEntries = {
  name: 'program-entries',
  setup(b) {
    b.onResolve({filter: /^program-entry:/}, (args) => ({
      path: args.path.slice('program-entry:'.length),
      namespace: 'program-entry',
    }))
    b.onLoad({filter: /.*/, namespace: 'program-entry'}, (args) => ({
      loader: 'ts',
      resolveDir: process.cwd(),
      contents: `import Command from './src/commands/${args.path}.js'
export const COMMANDS = {${JSON.stringify(args.path)}: Command}
export {run} from './src/bundle/run.ts'
export {default} from './src/bundle/help.ts'`,
    }))
  },
}

/** What both builds share. */
const common = {
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['@aws-sdk/*', '@smithy/*', 'ink', 'react', 'react/*', 'listr2', 'esbuild', 'typescript'],
  // oclif is CommonJS and requires modules by computed paths (its module loader): give ESM a `require`.
  banner: {
    js: "import {createRequire as __ecsdrainRequire} from 'node:module'; const require = __ecsdrainRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
}
const plugins = [requireCommonJs, lazyRequire, asciiStringWidth, ordinalCommandSort]

const split = build({
  ...common,
  entryPoints: {run: 'src/bundle/run.ts', commands: 'src/bundle/commands.ts', help: 'src/bundle/help.ts'},
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins,
})
/**
 * Each program is a build of its own, with splitting: what the command imports lazily (the TUI, the sim,
 * the AWS adapters) stays behind its dynamic import, in files named program-ID-HASH.js. (Without splitting,
 * esbuild inlined those modules and hoisted their imports of ink and React to the program's top, so that
 * `watch --json` loaded ink's ~500 modules and yoga.) One build per program keeps the commands from sharing
 * chunks, which would split each program into pieces again.
 */
const programs = COMMAND_IDS.map((id) =>
  build({
    ...common,
    entryPoints: {[`program-${id}`]: `program-entry:${id}`},
    splitting: true,
    chunkNames: `program-${id}-[hash]`,
    // Only `report --html` loads linkedom and Plot (with d3, ~900 KB): they stay in node_modules.
    external: [...common.external, 'linkedom', '@observablehq/plot'],
    plugins: [...plugins, programEntries],
  }),
)

const inputs = {}
let bytes = 0
for (const result of await Promise.all([split, ...programs])) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue
    bytes += output.bytes
    const files = Object.keys(output.inputs)
    const packages = files
      .map((input) => input.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1])
      .filter(Boolean)
    inputs[file.slice(OUT.length + 1)] = {
      src: files.filter((input) => input.startsWith('src/')).sort(),
      packages: [...new Set(packages)].sort(),
    }
  }
}
writeFileSync(`${OUT}/inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`)
console.error(`cli bundle: ${Object.keys(inputs).length} files, ${bytes} bytes`)
