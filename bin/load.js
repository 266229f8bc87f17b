/**
 * What a run of the bundled CLI loads (scripts/build-cli.mjs builds it into dist/bundle/), chosen by its first
 * argument, for bin/run.js and bin/dev.js:
 * - one of our commands, or its help: that command's program, program-ID.cjs (program-ID.js for a command
 *   that must stay an ES module: the build says which and why);
 * - anything else (`--version`, help for all, the plugins, a typo): run.cjs.
 *
 * A CommonJS file is compiled with the V8 code cache that the build wrote beside it (FILE.cache, by
 * scripts/code-cache.mjs): V8 then neither parses the file nor compiles the functions that a start runs,
 * which was about a third of what `--version` and `instances --help` cost beyond `node -e 0` (the README's
 * Performance section has the figures). Node 20 has no code cache for ES modules (module.enableCompileCache
 * came in Node 22), hence CommonJS, and vm.Script, the documented way to hand V8 a cache.
 * V8 checks a cache against its own version, its flags and the source's length, and compiles the source as
 * if there were no cache when any differs; a missing cache file is the same as a rejected one. The build
 * writes each cache right after its file, and clears both together.
 */
const fs = process.getBuiltinModule('node:fs')
const {Module, createRequire} = process.getBuiltinModule('node:module')
const {dirname} = process.getBuiltinModule('node:path')
const {fileURLToPath} = process.getBuiltinModule('node:url')
const vm = process.getBuiltinModule('node:vm')

export const BUNDLE = new URL('../dist/bundle/', import.meta.url)

/** The file of dist/bundle/ that a run with these arguments loads (a name, as run.ts wants it). */
export function programFor(argv) {
  const id = argv[0] ?? ''
  if (/^[a-z]+$/.test(id)) {
    for (const name of [`program-${id}.cjs`, `program-${id}.js`])
      if (fs.existsSync(new URL(name, BUNDLE))) return name
  }
  return 'run.cjs'
}

/**
 * Loads a file of dist/bundle/ and returns its exports, and for a CommonJS file `saveCodeCache`, which
 * writes what V8 has compiled of it so far as its cache (scripts/code-cache.mjs calls it). The module goes
 * into require.cache under its file name, so that oclif, which requires the same file as its command target
 * and help class, gets this copy.
 */
export async function load(name) {
  const url = new URL(name, BUNDLE)
  if (!name.endsWith('.cjs')) return {exports: await import(url.href)}
  const filename = fileURLToPath(url)
  const source = fs.readFileSync(filename, 'utf8')
  const cacheFile = `${filename}.cache`
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __imp_) {${source}\n})`,
    {filename, cachedData: readCache(cacheFile)},
  )
  const module = new Module(filename)
  module.filename = filename
  const require = createRequire(filename)
  require.cache[filename] = module
  // The file's import() calls are calls of __imp_ (scripts/build-cli.mjs says why): a relative specifier is
  // resolved against the file, as import() would; a package name resolves from bin/, in the same package.
  const dynamicImport = (specifier, options) =>
    import(/^\.\.?\//.test(specifier) ? new URL(specifier, url).href : specifier, options)
  script
    .runInThisContext()
    .call(module.exports, module.exports, require, module, filename, dirname(filename), dynamicImport)
  module.loaded = true
  return {
    exports: module.exports,
    saveCodeCache: () => fs.writeFileSync(cacheFile, script.createCachedData()),
  }
}

function readCache(file) {
  try {
    return fs.readFileSync(file)
  } catch {
    return undefined
  }
}
