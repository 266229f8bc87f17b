/**
 * Runs one Lambda invocation in a worker thread, as the Node.js runtime would: the function's inline code
 * as CommonJS `index.js`, its environment variables, a timeout, and a context whose
 * getRemainingTimeInMillis() counts down to it. `require('@aws-sdk/...')` resolves from the sim's own
 * installation, standing in for the SDK the runtime provides.
 *
 * The worker lives on the sim's clock: with `--speed X` its Date.now() and timers run X times faster, as
 * the world's hook timeouts do, so a handler that heartbeats "every 5 minutes" keeps up with a hook that
 * times out "after 15 minutes" however fast the sim runs.
 */
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

export interface Invocation {
  code: string
  /** e.g. `index.handler`. */
  handler: string
  env: Record<string, string>
  event: unknown
  timeoutMs: number
  /** The sim's clock at the start, and its speed relative to real time. */
  simNow: number
  speed: number
  functionName: string
  requestId: string
  onLog(level: string, line: string): void
}

export type InvocationResult =
  {ok: true; payload: string} | {ok: false; errorType: string; errorMessage: string}

const BOOTSTRAP = `
const {parentPort, workerData: w} = require('node:worker_threads')
const {createRequire} = require('node:module')
const {format} = require('node:util')
const realNow = Date.now, realSetTimeout = setTimeout, realSetInterval = setInterval
const realStart = realNow()
Date.now = () => Math.floor(w.simNow + (realNow() - realStart) * w.speed)
globalThis.setTimeout = (fn, ms, ...a) => realSetTimeout(fn, (Number(ms) || 0) / w.speed, ...a)
globalThis.setInterval = (fn, ms, ...a) => realSetInterval(fn, (Number(ms) || 0) / w.speed, ...a)
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => parentPort.postMessage({type: 'log', level, line: format(...args)})
}
const deadline = w.simNow + w.timeoutMs
const context = {
  functionName: w.functionName,
  awsRequestId: w.requestId,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
}
const fail = (e) => parentPort.postMessage({type: 'error', errorType: (e && e.name) || 'Error', errorMessage: String((e && e.message) || e)})
try {
  const module = {exports: {}}
  new Function('exports', 'require', 'module', '__filename', '__dirname', w.code)(
    module.exports, createRequire(w.anchor), module, '/var/task/index.js', '/var/task')
  const fn = module.exports[w.handler.split('.').pop()]
  if (typeof fn !== 'function') throw new Error('Handler ' + w.handler + ' is not a function')
  Promise.resolve(fn(w.event, context)).then(
    (r) => parentPort.postMessage({type: 'result', payload: JSON.stringify(r === undefined ? null : r)}),
    fail,
  )
} catch (e) { fail(e) }
`

const ANCHOR = fileURLToPath(import.meta.url)

export function runInvocation(inv: Invocation, live: Set<Worker>): Promise<InvocationResult> {
  return new Promise((resolve) => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env: inv.env,
      workerData: {
        code: inv.code,
        handler: inv.handler,
        event: inv.event,
        timeoutMs: inv.timeoutMs,
        simNow: inv.simNow,
        speed: inv.speed,
        functionName: inv.functionName,
        requestId: inv.requestId,
        anchor: ANCHOR,
      },
      stdout: false,
      stderr: false,
    })
    live.add(worker)
    let settled = false
    const finish = (result: InvocationResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      live.delete(worker)
      void worker.terminate()
      resolve(result)
    }
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${inv.timeoutMs / 1000} seconds`,
        }),
      inv.timeoutMs / inv.speed,
    )
    worker.on(
      'message',
      (m: {
        type: string
        level?: string
        line?: string
        payload?: string
        errorType?: string
        errorMessage?: string
      }) => {
        if (m.type === 'log') inv.onLog(m.level ?? 'log', m.line ?? '')
        else if (m.type === 'result') finish({ok: true, payload: m.payload ?? 'null'})
        else finish({ok: false, errorType: m.errorType ?? 'Error', errorMessage: m.errorMessage ?? ''})
      },
    )
    worker.on('error', (e) => finish({ok: false, errorType: e.name, errorMessage: e.message}))
    worker.on('exit', (code) =>
      finish({ok: false, errorType: 'Runtime.ExitError', errorMessage: `exited with ${code}`}),
    )
  })
}
