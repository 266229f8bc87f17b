/**
 * Preload for `node --import`: appends to the file named by IMPORT_TRACE_FILE the URL of every module the
 * process loads, so that tests can check what a command loads at startup (e.g. no ink for `instances`):
 * - every ES module it imports (the resolve hook; it runs on Node's loader thread, hence the file rather
 *   than a message);
 * - every file that bin/load.js compiles with vm.Script, on a line `vm:STATUS URL`, STATUS telling whether
 *   V8 took the code cache handed to it (`accepted`, `rejected`, or `none` when there was none), and then
 *   as a plain URL line as well;
 * - every CommonJS module in require.cache when the process exits, and before that, on a line
 *   `require: URL`, every one that Node's CommonJS loader compiled (a module that bin/load.js compiled
 *   and put into require.cache is not one of them).
 */
import {appendFileSync} from 'node:fs'
import {Module, createRequire, register} from 'node:module'
import {pathToFileURL} from 'node:url'
import vm from 'node:vm'

const hooks = `
import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (process.env.IMPORT_TRACE_FILE) appendFileSync(process.env.IMPORT_TRACE_FILE, result.url + '\\n')
  return result
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)

const trace = (line) => {
  if (process.env.IMPORT_TRACE_FILE) appendFileSync(process.env.IMPORT_TRACE_FILE, `${line}\n`)
}

vm.Script = class TracedScript extends vm.Script {
  constructor(code, options) {
    super(code, options)
    const filename = typeof options === 'string' ? options : options?.filename
    if (!filename) return
    const url = pathToFileURL(filename).href
    const status = options.cachedData ? (this.cachedDataRejected ? 'rejected' : 'accepted') : 'none'
    trace(`vm:${status} ${url}`)
    trace(url)
  }
}

const compile = Module.prototype._compile
Module.prototype._compile = function (content, filename) {
  trace(`require: ${pathToFileURL(filename).href}`)
  return compile.call(this, content, filename)
}

const require = createRequire(import.meta.url)
process.on('exit', () => {
  for (const file of Object.keys(require.cache)) trace(pathToFileURL(file).href)
})
