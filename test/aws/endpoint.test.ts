/**
 * The endpoint override before any call: malformed ones are usage errors, and `ecsdrain sim` on this
 * machine is recognised (its region, placeholder credentials) while nothing else ever gets placeholders.
 */
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {networkInterfaces} from 'node:os'

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {checkEndpoint, isLoopback, probeEndpoint} from '../../src/aws/endpoint.js'
import {createAwsPorts} from '../../src/aws/index.js'
import {prepareAwsOptions, SIM_PLACEHOLDER_CREDENTIALS} from '../../src/aws/setup.js'
import {UsageError} from '../../src/core/errors.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'

const saved = {...process.env}
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  process.env.AWS_CONFIG_FILE = '/nonexistent/config'
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials'
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
})
afterEach(() => {
  process.env = {...saved}
})

function usageError(url: string, source: '--endpoint-url' | 'AWS_ENDPOINT_URL' = '--endpoint-url') {
  try {
    checkEndpoint({url, source})
  } catch (error) {
    return error as UsageError
  }
  return undefined
}

describe('checkEndpoint', () => {
  it('refuses what is not an http(s) URL', () => {
    for (const bad of ['notaurl', 'ftp://127.0.0.1:21', '127.0.0.1:4599', 'http://']) {
      const err = usageError(bad)
      expect(err, bad).toBeInstanceOf(UsageError)
      expect(err!.exitCode).toBe(2)
      expect(err!.code).toBe('BAD_ENDPOINT_URL')
    }
  })

  it('refuses a user name or password, and never prints the password', () => {
    const err = usageError('http://admin:s3cret@127.0.0.1:4599')
    expect(err?.exitCode).toBe(2)
    expect(err!.message).toContain('user name or password')
    expect(err!.message).toContain('http://admin:***@127.0.0.1:4599')
    expect(err!.message).not.toContain('s3cret')
    expect(usageError('http://admin@127.0.0.1:4599')?.exitCode).toBe(2)
  })

  it('refuses a query string (even an empty one) and a fragment', () => {
    for (const bad of [
      'http://127.0.0.1:4599/?x=1',
      'http://127.0.0.1:4599?',
      'http://127.0.0.1:4599/#top',
    ]) {
      expect(usageError(bad)?.exitCode, bad).toBe(2)
    }
    expect(usageError('http://127.0.0.1:4599/?x=1')!.message).toContain('query string')
  })

  it('takes a path prefix, and names the variable the URL came from', () => {
    expect(usageError('http://proxy.internal:8080/aws')).toBeUndefined()
    expect(usageError('https://ecs.eu-west-1.amazonaws.com/')).toBeUndefined()
    expect(usageError('http://u:p@h', 'AWS_ENDPOINT_URL')!.message).toMatch(/^AWS_ENDPOINT_URL /)
  })

  it('is applied to AWS_ENDPOINT_URL too, before any client is built', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4599/?debug=1'
    expect(() => createAwsPorts({region: 'us-east-1'})).toThrow(UsageError)
  })
})

describe('a path prefix', () => {
  let server: Server
  const paths: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '')
      req.resume()
      req.on('end', () => {
        res.setHeader('content-type', 'application/x-amz-json-1.1')
        res.end(JSON.stringify({clusterArns: []}))
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('is where every request goes, as documented', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aws/prefix`
    const aws = createAwsPorts({
      region: 'us-east-1',
      endpointUrl: url,
      credentials: {accessKeyId: 'a', secretAccessKey: 'b'},
    })
    await aws.ecs.listClusterArns()
    expect(paths.at(-1)).toBe('/aws/prefix/')
  })
})

describe('isLoopback', () => {
  it('is this machine only', () => {
    for (const u of ['http://127.0.0.1:4599', 'http://127.1.2.3', 'http://localhost:1', 'http://[::1]:4599'])
      expect(isLoopback(u), u).toBe(true)
    for (const u of [
      'https://ecs.us-east-1.amazonaws.com',
      'http://10.0.0.1:4599',
      'http://127.0.0.1.nip.io',
    ])
      expect(isLoopback(u), u).toBe(false)
  })
})

describe('recognising `ecsdrain sim`', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({region: 'eu-central-1'})
  })
  afterAll(() => sim?.close())

  it('the sim answers GET /_sim/info with its region, and the probe reads it', async () => {
    expect(await probeEndpoint(sim.endpoint)).toEqual({kind: 'sim', region: 'eu-central-1'})
  })

  it('with nothing configured: the sim region and placeholder credentials, said under --verbose', async () => {
    const notes: string[] = []
    const options = await prepareAwsOptions({endpointUrl: sim.endpoint, notify: (l) => notes.push(l)})
    expect(options.region).toBe('eu-central-1')
    expect(options.credentials).toEqual(SIM_PLACEHOLDER_CREDENTIALS)
    expect(notes.join('\n')).toContain(`${sim.endpoint} is an ecsdrain sim`)
    expect(notes.join('\n')).toContain('placeholder credentials')
    // And the clients built from them work against the sim.
    const aws = createAwsPorts(options)
    expect(await aws.ecs.listClusterArns()).toEqual([expect.stringContaining(':eu-central-1:')])
  })

  it('AWS_ENDPOINT_URL is recognised like the flag', async () => {
    process.env.AWS_ENDPOINT_URL = sim.endpoint
    expect((await prepareAwsOptions({})).credentials).toEqual(SIM_PLACEHOLDER_CREDENTIALS)
  })

  it('what the operator configured wins: --region, AWS_REGION, environment keys', async () => {
    expect((await prepareAwsOptions({endpointUrl: sim.endpoint, region: 'ap-south-1'})).region).toBe(
      'ap-south-1',
    )
    process.env.AWS_REGION = 'sa-east-1'
    process.env.AWS_ACCESS_KEY_ID = 'AKIDMINE'
    process.env.AWS_SECRET_ACCESS_KEY = 'mine'
    const notes: string[] = []
    const options = await prepareAwsOptions({endpointUrl: sim.endpoint, notify: (l) => notes.push(l)})
    // Untouched: the SDK reads AWS_REGION and the keys itself.
    expect(options.region).toBeUndefined()
    expect(options.credentials).toBeUndefined()
    // Nothing was filled in, so there is nothing to say.
    expect(notes).toEqual([])
  })

  it('with a region and keys already given there is nothing to fill in: no probe, no round trip', async () => {
    const local = await fakeSim('127.0.0.1')
    try {
      process.env.AWS_REGION = 'sa-east-1'
      process.env.AWS_ACCESS_KEY_ID = 'AKIDMINE'
      process.env.AWS_SECRET_ACCESS_KEY = 'mine'
      expect(await prepareAwsOptions({endpointUrl: local.url})).toEqual({endpointUrl: local.url})
      delete process.env.AWS_REGION
      // Keys but no region: the probe runs, and fills in the region only.
      expect((await prepareAwsOptions({endpointUrl: local.url})).region).toBe('us-east-1')
      expect(local.seen).toHaveLength(1)
    } finally {
      await local.close()
    }
  })

  it('nothing listening on a loopback endpoint is said at once, naming it (exit 1)', async () => {
    const dead = createServer()
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`
    await new Promise<void>((r) => dead.close(() => r()))
    const err = (await prepareAwsOptions({endpointUrl: url}).catch((e: unknown) => e)) as UsageError
    expect(err.code).toBe('ENDPOINT_UNREACHABLE')
    expect(err.exitCode).toBe(1)
    expect(err.message).toContain(url)
    expect(err.suggestion).toContain('ecsdrain sim')
  })
})

/** A server that claims to be the sim, recording what it is sent. */
async function fakeSim(
  host: string,
): Promise<{url: string; seen: IncomingHttpHeaders[]; close(): Promise<void>}> {
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((req, res) => {
    seen.push(req.headers)
    req.resume()
    req.on('end', () => {
      if (req.url === '/_sim/info') {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({simulator: 'ecsdrain', region: 'us-east-1'}))
        return
      }
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      res.end(JSON.stringify({clusterArns: []}))
    })
  })
  await new Promise<void>((r) => server.listen(0, host, r))
  const port = (server.address() as AddressInfo).port
  return {url: `http://${host}:${port}`, seen, close: () => new Promise((r) => server.close(() => r()))}
}

describe('placeholder credentials never leave for anything but a loopback sim', () => {
  it('no endpoint override: options are untouched (no probe at all)', async () => {
    expect(await prepareAwsOptions({region: 'eu-west-1'})).toEqual({region: 'eu-west-1'})
  })

  // This machine's own non-loopback address stands in for a remote endpoint: if the probe went there, the
  // fake would answer it as a sim.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
  it.skipIf(!lan)('a non-loopback endpoint that even claims to be a sim is never probed', async () => {
    const remote = await fakeSim(lan!)
    try {
      const options = await prepareAwsOptions({endpointUrl: remote.url})
      expect(options.credentials).toBeUndefined()
      expect(options.region).toBeUndefined()
      expect(remote.seen).toEqual([])
    } finally {
      await remote.close()
    }
  })

  it('a loopback endpoint that is not the sim (moto, a proxy) gets nothing, and the SDK asks for the one step', async () => {
    const other = createServer((req, res) => {
      req.resume()
      res.statusCode = 404
      res.end('not found')
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    try {
      const options = await prepareAwsOptions({endpointUrl: url})
      expect(options).toEqual({endpointUrl: url})
      const aws = createAwsPorts({...options, region: 'us-east-1', maxAttempts: 1})
      const err = (await aws.ecs.listClusterArns().catch((e: unknown) => e)) as UsageError
      expect(err.code).toBe('NO_CREDENTIALS')
      expect(err.suggestion).toContain('export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test')
    } finally {
      await new Promise<void>((r) => other.close(() => r()))
    }
  })
})
