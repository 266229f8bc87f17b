/**
 * Serves a world over HTTP: the part of startSim that does not care how the world was built, so that the
 * wire layer can be tested against a small fake world as well as the real one.
 */
import {FaultInjector, parseFaultSpec, type FaultSpec} from './faults.js'
import {closeServer, createSimServer, listen} from './server.js'
import {SimStats} from './stats.js'
import type {World} from './types.js'

export interface ServeOptions {
  /** Loopback by default; the command refuses anything else unless told otherwise. */
  host?: string
  /** 0 (the default here) picks a free port. */
  port?: number
  region?: string
  /** `throttle=0.2,error=0.05,latency=20ms`, or the parsed spec. */
  faults?: string | FaultSpec
  /** Makes the injected faults reproducible: each operation gets the same sequence of faults. */
  faultSeed?: number
  /**
   * Serve requests whatever their Host (`--allow-remote`); otherwise only loopback names are answered,
   * which stops DNS rebinding. The host to listen on is the caller's to check.
   */
  allowRemote?: boolean
}

export interface ServedWorld {
  endpoint: string
  host: string
  port: number
  region: string
  stats: SimStats
  /** Stops the server (and drops idle connections); the world itself is the caller's to stop. */
  close(): Promise<void>
}

export const DEFAULT_REGION = 'us-east-1'

export async function serveWorld(world: World, options: ServeOptions = {}): Promise<ServedWorld> {
  const host = options.host ?? '127.0.0.1'
  const region = options.region ?? DEFAULT_REGION
  const spec = typeof options.faults === 'object' ? options.faults : parseFaultSpec(options.faults)
  const stats = new SimStats(world.audit)
  const server = createSimServer({
    world,
    region,
    stats,
    faults: new FaultInjector(spec, options.faultSeed),
    allowRemote: options.allowRemote,
  })
  const port = await listen(server, host, options.port ?? 0)
  const urlHost = host.includes(':') ? `[${host}]` : host
  world.attachEndpoint?.(`http://${urlHost}:${port}`)
  return {
    endpoint: `http://${urlHost}:${port}`,
    host,
    port,
    region,
    stats,
    close: () => closeServer(server),
  }
}
