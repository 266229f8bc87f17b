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
import {readdirSync, rmSync, writeFileSync} from 'node:fs'

import {build} from 'esbuild'

import {checkRequires, routeDynamicImports} from './bundle/commonjs.mjs'
import {
  asciiStringWidth,
  buildLazyPackages,
  lazyRequire,
  ordinalCommandSort,
  requireCommonJs,
} from './bundle/plugins.mjs'

const OUT = 'dist/bundle'

// Chunks are named by content hash: clear out the last build's (and with the files, their code caches).
rmSync(OUT, {recursive: true, force: true})
await buildLazyPackages(OUT)

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
      const id = args.path.startsWith('program-entry:') && args.path.slice('program-entry:'.length)
      const contents = id
        ? `import Command from './src/commands/${id}.js'
export const COMMANDS = {${JSON.stringify(id)}: Command}
${RUN_ENTRY}`
        : RUN_ENTRY
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
