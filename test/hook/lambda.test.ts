/**
 * The Lambda's entry point builds its clients with the CLI's client factory: its requests carry ecsdrain's
 * user agent, as every client the factory makes does (the SDK's own clients would not).
 */
import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lambdaContext, lifecycleMessage, snsEvent, FakeClock} from './fakes.js'

const seen: IncomingHttpHeaders[] = []
const server = createServer((req, res) => {
  seen.push(req.headers)
  req.resume()
  req.on('end', () => {
    // A final answer (not retried by anyone): the handler's first call fails, and that is all it makes.
    res.writeHead(400, {'content-type': 'text/xml'})
    res.end(
      '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    )
  })
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ECS_CLUSTER: 'todobackend-cluster',
  })
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('the Lambda entry point', () => {
  it("makes its calls with the client factory's clients (ecsdrain's user agent)", async () => {
    const {handler} = await import('../../src/hook/lambda.js')
    const clock = new FakeClock()
    await expect(handler(snsEvent(lifecycleMessage()), lambdaContext(clock))).rejects.toThrow()
    expect(seen).toHaveLength(1)
    expect(String(seen[0]!['user-agent'])).toMatch(/ecsdrain\/\d/)
  })
})
