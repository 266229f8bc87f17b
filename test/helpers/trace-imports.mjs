/**
 * Preload for `node --import`: appends the URL of every module the process imports to the file named by
 * IMPORT_TRACE_FILE, so that tests can check what a command loads at startup (e.g. no ink for `instances`).
 * The hooks run on Node's loader thread, hence the file rather than a message.
 */
import {register} from 'node:module'

const hooks = `
import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (process.env.IMPORT_TRACE_FILE) appendFileSync(process.env.IMPORT_TRACE_FILE, result.url + '\\n')
  return result
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
