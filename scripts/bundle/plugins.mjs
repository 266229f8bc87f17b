/**
 * The esbuild plugins of scripts/build-cli.mjs that shape how oclif and the SDK load in the bundle, and the
 * build of the lazy packages' files. Each says what it saves; the figures are from `--cpu-prof` runs.
 */
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'

import {build} from 'esbuild'

/**
 * Our `import`s of Node's built-in modules and of the AWS SDK's CommonJS packages become `require` calls.
 * Why: an ESM import of a built-in goes through its ESM facade, which reads every export and so runs the
 * lazy getters behind them (`node:util` loads its MIME and parseArgs modules, `node:process` its report);
 * an ESM import of a CommonJS package makes Node lex the package's whole source for its export names first
 * (src/aws/sdk.ts says more). `require` returns the same module objects without either.
 */
export const requireCommonJs = {
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

export const lazyRequire = {
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
export const ordinalCommandSort = {
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
export const asciiStringWidth = {
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
export async function buildLazyPackages(out) {
  const requireAsOclif = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))
  await Promise.all(
    LAZY.map((name) =>
      build({
        entryPoints: [requireAsOclif.resolve(name)],
        outfile: `${out}/${lazyFile(name)}`,
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
