import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'
import {CappedJitterBackoff} from '../../src/aws/retry.js'
import {AwsApiError, UsageError} from '../../src/core/errors.js'

/** A minimal ECS JSON endpoint: throttles the first `throttles` requests, then answers ListClusters. */
async function ecsEndpoint(throttles: number) {
  const seen: IncomingHttpHeaders[] = []
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push(req.headers)
      res.setHeader('content-type', 'application/x-amz-json-1.1')
      if (seen.length <= throttles) {
        res.statusCode = 400
        res.end(JSON.stringify({__type: 'ThrottlingException', message: 'Rate exceeded'}))
        return
      }
      res.end(JSON.stringify({clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/c1']}))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {url, seen, close: () => new Promise<void>((r) => server.close(() => r()))}
}

const creds = {accessKeyId: 'test', secretAccessKey: 'test'}
let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('retry strategy and call ledger, over real HTTP', () => {
  it('retries a throttled call and counts the call, the retries and the throttles', async () => {
    const ep = await ecsEndpoint(2)
    cleanup = ep.close
    const aws = createAwsPorts({region: 'us-east-1', endpointUrl: ep.url, credentials: creds, maxAttempts: 4})

    expect(await aws.ecs.listClusterArns()).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/c1'])
    expect(ep.seen).toHaveLength(3)
    const op = aws.ledger.byOperation().get('ECS.ListClusters')
    expect(op).toMatchObject({calls: 1, attempts: 3, throttles: 2, errors: 0})
    expect(aws.ledger.summary()).toMatchObject({calls: 1, retries: 2, throttles: 2})
    expect(aws.ledger.summaryLine()).toMatch(
      /^AWS: 1 call \(ECS\.ListClusters 1 ~\d+ms\), 2 retries, 2 throttles, 0 errors$/,
    )
  })

  it('sends the ecsdrain user agent', async () => {
    const ep = await ecsEndpoint(0)
    cleanup = ep.close
    const aws = createAwsPorts({region: 'us-east-1', endpointUrl: ep.url, credentials: creds})
    await aws.ecs.listClusterArns()
    const ua = `${ep.seen[0]!['user-agent']} ${ep.seen[0]!['x-amz-user-agent'] ?? ''}`
    expect(ua).toMatch(/ecsdrain\/0\.\d+\.\d+/)
  })

  it('gives up after maxAttempts with a transient throttling error', async () => {
    const ep = await ecsEndpoint(100)
    cleanup = ep.close
    const aws = createAwsPorts({region: 'us-east-1', endpointUrl: ep.url, credentials: creds, maxAttempts: 2})
    const err = await aws.ecs.listClusterArns().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AwsApiError)
    expect((err as AwsApiError).transient).toBe(true)
    expect((err as AwsApiError).message).toMatch(/kept throttling ECS\.ListClusters after 2 attempts/)
    expect(ep.seen).toHaveLength(2)
    expect(aws.ledger.byOperation().get('ECS.ListClusters')).toMatchObject({
      calls: 1,
      attempts: 2,
      throttles: 2,
      errors: 1,
    })
  })

  it('reports a stopped endpoint as unreachable, naming it', async () => {
    const ep = await ecsEndpoint(0)
    await ep.close()
    const aws = createAwsPorts({region: 'us-east-1', endpointUrl: ep.url, credentials: creds, maxAttempts: 2})
    const err = (await aws.ecs.listClusterArns().catch((e: unknown) => e)) as AwsApiError
    expect(err.code).toBe('ENDPOINT_UNREACHABLE')
    expect(err.message).toContain(ep.url)
    expect(err.message).toContain('ECONNREFUSED')
  })
})

describe('endpoint handling', () => {
  it('rejects a malformed --endpoint-url as a usage error before any call', () => {
    for (const bad of ['notaurl', 'ftp://127.0.0.1:21', '127.0.0.1:4599']) {
      let err: unknown
      try {
        createAwsPorts({region: 'us-east-1', endpointUrl: bad, credentials: creds})
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(UsageError)
      expect((err as UsageError).exitCode).toBe(2)
      expect((err as UsageError).message).toContain(JSON.stringify(bad))
    }
  })

  it('names the endpoint from AWS_ENDPOINT_URL_ECS when there is no flag', async () => {
    const ep = await ecsEndpoint(0)
    await ep.close()
    const before = process.env.AWS_ENDPOINT_URL_ECS
    process.env.AWS_ENDPOINT_URL_ECS = ep.url
    try {
      const aws = createAwsPorts({region: 'us-east-1', credentials: creds, maxAttempts: 1})
      const err = (await aws.ecs.listClusterArns().catch((e: unknown) => e)) as AwsApiError
      expect(err.message).toContain(`Cannot reach ${ep.url}`)
      expect(err.suggestion).toContain('AWS_ENDPOINT_URL')
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_ECS
      else process.env.AWS_ENDPOINT_URL_ECS = before
    }
  })
})

describe('CappedJitterBackoff', () => {
  it('grows exponentially from the base and never exceeds the cap', () => {
    const top = new CappedJitterBackoff(4000, () => 0.999999)
    top.setDelayBase(100)
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => top.computeNextBackoffDelay(i))).toEqual([
      99, 199, 399, 799, 1599, 3199, 3999,
    ])
    const bottom = new CappedJitterBackoff(4000, () => 0)
    bottom.setDelayBase(1000)
    expect(bottom.computeNextBackoffDelay(3)).toBe(0)
  })
})
