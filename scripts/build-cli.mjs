#!/usr/bin/env node
/**
 * `npm run build:cli` (part of `npm run build`): bundles the CLI with esbuild into dist/bundle/.
 *
 * Why: unbundled, every run resolved and compiled about a hundred CommonJS files of @oclif/core and its
 * dependencies before printing anything (most of `--version`'s time). Bundled, a run reads one file:
 * - program-ID.cjs: one per command, what a run of that command (or of its help) loads: src/bundle/run.ts,
 *   oclif, the help class and that command's code (see below);
 * - program-ID.js: the same as an ES module, for the commands in ESM_PROGRAMS, with what they import lazily
 *   in program-ID-HASH.js;
 * - run.cjs: run.ts and the help class, for every other run (`--version`, help for all, the plugins, a typo);
 * - commands.js: every command class, for oclif's `explicit` command discovery (package.json
 *   `oclif.commands`): `oclif manifest` reads it, and so does a run through run.cjs that runs a command (the
 *   not-found plugin's "did you mean"); chunk-*.js holds what its commands import lazily.
 * bin/load.js chooses the file, and compiles a CommonJS one with the V8 code cache that scripts/code-cache.mjs
 * writes beside it after the build (bin/load.js says why).
 *
 * Every file sits two levels below the package root, as dist/aws and dist/hook do, so the modules that find
 * package.json or the hook bundle by `new URL('../../', import.meta.url)` work the same bundled or not.
 *
 * External (loaded from node_modules at run time): the AWS SDK and @smithy (src/aws/sdk.ts requires the
 * clients lazily; one copy of @smithy serves both them and us), ink + React + listr2 (only `watch` loads
 * them, and React must be one copy for ink and our components), esbuild (the hook bundle falls back to it in
 * development) and typescript (oclif requires it only for ts-node set-ups).
 *
 * inputs.json maps every output file to the src/ modules and the packages it holds, so that tests can tell
 * from a trace of the files a run loaded which of our modules (and which bundled packages) it loaded.
 */
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {createRequire, isBuiltin} from 'node:module'

import {parse} from 'acorn'
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

// Chunks are named by content hash: clear out the last build's (and with the files, their code caches).
rmSync(OUT, {recursive: true, force: true})
await buildLazyPackages()
/**
 * One program per command: run.ts, oclif, the help class and that command's code. It exports `run`,
 * `COMMANDS = {ID: TheClass}` for oclif's explicit discovery and the help class as `default`; bin/load.js
 * loads it for a run of that command and src/bundle/run.ts points oclif's command target and help class at
 * the same file, so that the process holds one copy of every module. Why one per command: a run of
 * `instances` from a build shared by all commands imported about 24 files (the chunks of esbuild's
 * splitting), and Node's ES module loader resolves, reads, compiles and links each one.
 */
const COMMAND_IDS = readdirSync('src/commands')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
/**
 * The commands whose program stays an ES module: `watch` imports ink, whose yoga has a top-level await,
 * which `require` cannot load (Node 20.19's require of an ES module refuses a top-level await), so its
 * program cannot be CommonJS. The build fails if another CommonJS program comes to require an ES module.
 */
const ESM_PROGRAMS = ['watch']
/** What run.cjs holds: the start and the help class, and no command. */
const RUN_ENTRY = `export {run} from './src/bundle/run.ts'
export {default} from './src/bundle/help.ts'`
const virtualEntries = {
  name: 'virtual-entries',
  setup(b) {
    b.onResolve({filter: /^(program|run)-entry:/}, (args) => ({path: args.path, namespace: 'virtual-entry'}))
    b.onLoad({filter: /.*/, namespace: 'virtual-entry'}, (args) => {
      const id = args.path.slice('program-entry:'.length)
      const contents = args.path.startsWith('run-entry:')
        ? RUN_ENTRY
        : `import Command from './src/commands/${id}.js'
export const COMMANDS = {${JSON.stringify(id)}: Command}
${RUN_ENTRY}`
      return {loader: 'ts', resolveDir: process.cwd(), contents}
    })
  },
}

/** What every build shares. */
const common = {
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['@aws-sdk/*', '@smithy/*', 'ink', 'react', 'react/*', 'listr2', 'esbuild', 'typescript'],
  metafile: true,
  logLevel: 'warning',
  plugins: [requireCommonJs, lazyRequire, asciiStringWidth, ordinalCommandSort, virtualEntries],
}
/** Only `report --html` loads linkedom and Plot (with d3, ~900 KB): they stay in node_modules. */
const programExternal = [...common.external, 'linkedom', '@observablehq/plot']
const esm = {
  ...common,
  format: 'esm',
  splitting: true,
  // oclif is CommonJS and requires modules by computed paths (its module loader): give ESM a `require`.
  banner: {
    js: "import {createRequire as __ecsdrainRequire} from 'node:module'; const require = __ecsdrainRequire(import.meta.url);",
  },
}
/** CommonJS has no import.meta: the modules that read import.meta.url get the file's own URL. */
const cjs = {
  ...common,
  format: 'cjs',
  outExtension: {'.js': '.cjs'},
  define: {'import.meta.url': '__ecsdrainFileUrl'},
  banner: {js: "var __ecsdrainFileUrl = require('node:url').pathToFileURL(__filename).href;"},
  external: programExternal,
}

const commands = build({
  ...esm,
  entryPoints: {commands: 'src/bundle/commands.ts'},
  chunkNames: 'chunk-[hash]',
})
const run = build({...cjs, entryPoints: {run: 'run-entry:'}})
/**
 * A CommonJS program is one file: esbuild puts what the command imports lazily (the AWS adapters, the sim)
 * in the same file, behind a function that runs it on first use, and V8 compiles only what runs (a code
 * cache hit reads no more than that). An ES module program is a build of its own, with splitting, so that
 * its lazy imports stay behind their dynamic imports, in program-ID-HASH.js: without splitting, esbuild
 * inlined the TUI and hoisted its imports of ink and React to the program's top, so that `watch --json`
 * loaded ink's ~500 modules and yoga.
 */
const programs = COMMAND_IDS.map((id) =>
  ESM_PROGRAMS.includes(id)
    ? build({
        ...esm,
        entryPoints: {[`program-${id}`]: `program-entry:${id}`},
        chunkNames: `program-${id}-[hash]`,
        external: programExternal,
      })
    : build({...cjs, entryPoints: {[`program-${id}`]: `program-entry:${id}`}}),
)

/** A CommonJS file must not require an ES module package (see ESM_PROGRAMS); a dynamic import may load one. */
function checkRequires(file, output) {
  for (const {path, kind, external} of output.imports) {
    if (!external || kind === 'dynamic-import' || isBuiltin(path) || path.startsWith('.')) continue
    const name = path.match(/^(@[^/]+\/)?[^/]+/)[0]
    const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'))
    if (pkg.type === 'module')
      throw new Error(`${file} requires ${path}, an ES module: build that program as one (ESM_PROGRAMS)`)
  }
}

/**
 * bin/load.js compiles a CommonJS file with vm.Script, whose `import()` Node 20 serves only behind
 * --experimental-vm-modules (and with a code cache, not at all). So each `import(` of the output (oclif
 * importing an ES module file, `report` importing Plot) becomes a call of `__imp_`, which bin/load.js passes
 * in and which imports from an ES module of its own. The name has the keyword's length, so that the source
 * map still holds; the build fails if the output already uses it.
 */
const IMPORT = '__imp_'
function routeDynamicImports(file) {
  const source = readFileSync(file, 'utf8')
  if (source.includes(IMPORT)) throw new Error(`${file} already holds ${IMPORT}`)
  const at = []
  const visit = (node) => {
    if (node.type === 'ImportExpression') at.push(node.start)
    for (const value of Object.values(node))
      for (const child of Array.isArray(value) ? value : [value])
        if (child && typeof child.type === 'string') visit(child)
  }
  visit(parse(source, {ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true}))
  let out = source
  for (const start of at) out = out.slice(0, start) + IMPORT + out.slice(start + 'import'.length)
  writeFileSync(file, out)
}

const inputs = {}
let bytes = 0
for (const result of await Promise.all([commands, run, ...programs])) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!/\.c?js$/.test(file)) continue
    if (file.endsWith('.cjs')) {
      checkRequires(file, output)
      routeDynamicImports(file)
    }
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
