/**
 * moto_server, a third-party AWS emulator, for the conformance suite: our adapters must work against an
 * implementation of the AWS APIs that is not ours. Each test file starts its own server on a free port
 * (`-p 0`, read back from its banner), waits until it answers, and stops it afterwards.
 */
import {spawn} from 'node:child_process'

export interface MotoServer {
  endpoint: string
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>
}

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {stdio: ['ignore', 'pipe', 'pipe']})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`moto_server did not start in ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      )
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('error', (e) => reject(new Error(`cannot run moto_server (is it on PATH?): ${e.message}`)))
      void exited.then(() => reject(new Error(`moto_server exited before it was ready:\n${output}`)))
    })
    await waitUntilAnswering(endpoint, timeoutMs)
    return {endpoint, stop}
  } catch (error) {
    await stop()
    throw error
  }
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`)
      if (r.status < 500) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`moto_server at ${endpoint} did not answer in ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
