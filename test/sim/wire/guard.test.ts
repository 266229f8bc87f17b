/**
 * What the sim refuses (issue 9 item 4), each with a real HTTP request to a real world, and each refusal
 * with zero side effects: requests without a SigV4 signature get AWS's MissingAuthenticationToken in their
 * protocol's error format; browser-sent requests (Origin, Sec-Fetch-Site) and non-loopback Hosts (DNS
 * rebinding) are refused, on the sim's own endpoints too; --allow-remote lifts the Host check only.
 */
import {DescribeAutoScalingGroupsCommand} from '@aws-sdk/client-auto-scaling'
import {cbor} from '@smithy/core/cbor'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SimWorld} from '../../../src/sim/world/index.js'
import {simClients, startTestSim, type TestSim} from '../../helpers/sim.js'
import {ECS_JSON, FORM, raw} from './raw-http.js'

let sim: TestSim
let world: SimWorld
let group: string

beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
  world = sim.world as SimWorld
  group = world.summary().autoScalingGroups[0]!
})
afterAll(() => sim.close())

/** What a refused request must leave untouched: the world, and every count but `refused`. */
async function untouched(check: () => Promise<void>): Promise<void> {
  await sim.resetStats()
  const desired = world.state.groups.get(group)!.desiredCapacity
  const functions = world.stack.lambda.functions.size
  await check()
  expect(world.state.groups.get(group)!.desiredCapacity).toBe(desired)
  expect(world.stack.lambda.functions.size).toBe(functions)
  const stats = await sim.fetchStats()
  expect(stats.operations).toEqual({})
  expect(stats.totals.calls).toBe(0)
}

const setDesired = `Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=${encodeURIComponent('GROUP')}&DesiredCapacity=2`
const form = (body: string) => body.replace('GROUP', encodeURIComponent(group))

describe('requests without a SigV4 signature', () => {
  it('Query (Auto Scaling): HTTP 403 MissingAuthenticationToken, and the capacity stays', async () => {
    await untouched(async () => {
      const response = await raw(sim.endpoint, {headers: FORM, body: form(setDesired), sign: false})
      expect(response.status).toBe(403)
      const text = await response.text()
      expect(text).toContain('<Code>MissingAuthenticationToken</Code>')
      expect(text).toContain('<Type>Sender</Type>')
      expect(text).toContain('<Message>Request is missing Authentication Token</Message>')
    })
    expect((await sim.fetchStats()).refused.signature).toBe(1)
  })

  it('JSON (ECS): HTTP 403 with __type MissingAuthenticationTokenException', async () => {
    await untouched(async () => {
      const response = await raw(sim.endpoint, {headers: ECS_JSON('ListClusters'), body: '{}', sign: false})
      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({
        __type: 'MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      })
    })
  })

  it('CloudWatch JSON and CBOR: the shape in __type, the Query code in x-amzn-query-error', async () => {
    await untouched(async () => {
      const json = await raw(sim.endpoint, {
        headers: {
          'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics',
          'content-type': 'application/x-amz-json-1.0',
        },
        body: '{}',
        sign: false,
      })
      expect(json.status).toBe(403)
      expect(json.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender')
      const cborReply = await raw(sim.endpoint, {
        path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
        headers: {'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor'},
        body: new Uint8Array([0xa0]),
        sign: false,
      })
      expect(cborReply.status).toBe(403)
      const body = cbor.deserialize(new Uint8Array(await cborReply.arrayBuffer())) as {__type: string}
      expect(body.__type).toBe('com.amazonaws.cloudwatch#MissingAuthenticationTokenException')
    })
  })

  it('Lambda (restJson1): no function is created and none runs', async () => {
    await untouched(async () => {
      const created = await raw(sim.endpoint, {
        path: '/2015-03-31/functions',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({FunctionName: 'evil', Runtime: 'nodejs22.x', Handler: 'index.handler'}),
        sign: false,
      })
      expect(created.status).toBe(403)
      expect(created.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    })
  })

  it('an Authorization header that is not SigV4 is IncompleteSignature (HTTP 400)', async () => {
    await untouched(async () => {
      const response = await raw(sim.endpoint, {
        headers: {...FORM, authorization: 'Bearer abc'},
        body: form(setDesired),
        sign: false,
      })
      expect(response.status).toBe(400)
      expect(await response.text()).toContain('<Code>IncompleteSignature</Code>')
    })
  })

  it('any access key works: a signature by any key is served', async () => {
    const response = await raw(sim.endpoint, {
      headers: FORM,
      body: form(`Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=GROUP`),
      sign: 'autoscaling',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(`<AutoScalingGroupName>${group}</AutoScalingGroupName>`)
  })
})

describe('browser-sent requests', () => {
  // The three requests: a change set whose template holds an inline Lambda, its execution, an Invoke.
  const template = JSON.stringify({
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::123456789012:role/x',
          Code: {ZipFile: 'exports.handler = async () => require("fs").writeFileSync("/tmp/pwned", "x")'},
        },
      },
    },
  })
  const attack = [
    `Action=CreateChangeSet&Version=2010-05-15&StackName=evil&ChangeSetName=evil&ChangeSetType=CREATE&TemplateBody=${encodeURIComponent(template)}`,
    'Action=ExecuteChangeSet&Version=2010-05-15&StackName=evil&ChangeSetName=evil',
  ]

  it.each([
    ['Origin', {origin: 'https://evil.example'}],
    ['Sec-Fetch-Site: cross-site', {'sec-fetch-site': 'cross-site'}],
    ['Origin: null', {origin: 'null'}],
  ])('%s: text/plain POSTs are refused with 403, signed or not, and no code runs', async (_name, browser) => {
    await untouched(async () => {
      for (const body of attack) {
        for (const sign of [false, 'cloudformation'] as const) {
          const response = await raw(sim.endpoint, {
            headers: {'content-type': 'text/plain', ...browser},
            body,
            sign,
          })
          expect(response.status).toBe(403)
          expect(await response.text()).toContain('<Code>AccessDenied</Code>')
        }
      }
      const invoke = await raw(sim.endpoint, {
        path: '/2015-03-31/functions/evil/invocations',
        headers: {'content-type': 'text/plain', ...browser},
        body: '{}',
        sign: 'lambda',
      })
      expect(invoke.status).toBe(403)
      expect(invoke.headers.get('x-amzn-errortype')).toBe('AccessDeniedException')
    })
    // The change set was never made: a signed, non-browser DescribeStacks finds no such stack.
    const describe = await raw(sim.endpoint, {
      headers: FORM,
      body: 'Action=DescribeStacks&Version=2010-05-15&StackName=evil',
      sign: 'cloudformation',
    })
    expect(describe.status).toBe(400)
  })

  it('a CORS preflight (OPTIONS with Origin) is refused, with no CORS headers', async () => {
    const response = await raw(sim.endpoint, {
      method: 'OPTIONS',
      headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST'},
      sign: false,
    })
    expect(response.status).toBe(403)
    expect([...response.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([])
  })

  it('Sec-Fetch-Site: none (an address the user typed) is not a browser-sent request', async () => {
    const response = await raw(sim.endpoint, {
      headers: {...ECS_JSON('ListClusters'), 'sec-fetch-site': 'none'},
      body: '{}',
      sign: 'ecs',
    })
    expect(response.status).toBe(200)
  })
})

describe('non-loopback Host (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:4599', '0.0.0.0:4599', '10.0.0.8', '[fe80::1]:4599'])(
    'Host %s is refused, however the request is signed',
    async (host) => {
      await untouched(async () => {
        const response = await raw(sim.endpoint, {
          headers: {...FORM, host},
          body: form(setDesired),
          sign: 'autoscaling',
        })
        expect(response.status).toBe(403)
        expect(await response.text()).toContain('it serves loopback names only')
      })
    },
  )

  it.each(['localhost:4599', '127.0.0.1', '127.1.2.3:80', '[::1]:4599', 'sim.localhost'])(
    'Host %s is served',
    async (host) => {
      const response = await raw(sim.endpoint, {
        headers: {...ECS_JSON('ListClusters'), host},
        body: '{}',
        sign: 'ecs',
      })
      expect(response.status).toBe(200)
    },
  )
})

describe("the sim's own endpoints", () => {
  it('GET /_sim/stats needs no signature, and counts the refusals above', async () => {
    const response = await raw(sim.endpoint, {method: 'GET', path: '/_sim/stats', sign: false})
    expect(response.status).toBe(200)
    expect(((await response.json()) as {refused: unknown}).refused).toMatchObject({
      browser: expect.any(Number),
      host: expect.any(Number),
      signature: expect.any(Number),
    })
  })

  it('refuse browser-sent requests and non-loopback Hosts; a refused reset resets nothing', async () => {
    await simClients(sim.endpoint).autoScaling.send(new DescribeAutoScalingGroupsCommand({}))
    const browsers: Record<string, string>[] = [
      {origin: 'https://evil.example'},
      {'sec-fetch-site': 'same-site'},
      {host: 'evil.example'},
    ]
    for (const headers of browsers) {
      const stats = await raw(sim.endpoint, {method: 'GET', path: '/_sim/stats', headers, sign: false})
      expect(stats.status).toBe(403)
      const reset = await raw(sim.endpoint, {method: 'POST', path: '/_sim/stats/reset', headers, sign: false})
      expect(reset.status).toBe(403)
    }
    expect((await sim.fetchStats()).operations['autoscaling:DescribeAutoScalingGroups']).toEqual({
      calls: 1,
      throttled: 0,
      errors: 0,
    })
  })
})

describe('allowRemote (--allow-remote)', () => {
  it('serves any Host, still refuses browsers and unsigned requests', async () => {
    const open = await startTestSim({scenario: 'todobackend', allowRemote: true})
    try {
      const remote = {...ECS_JSON('ListClusters'), host: 'sim.example.net:4599'}
      expect((await raw(open.endpoint, {headers: remote, body: '{}', sign: 'ecs'})).status).toBe(200)
      expect((await raw(open.endpoint, {headers: remote, body: '{}', sign: false})).status).toBe(403)
      const browser = {...remote, origin: 'http://sim.example.net:4599'}
      expect((await raw(open.endpoint, {headers: browser, body: '{}', sign: 'ecs'})).status).toBe(403)
    } finally {
      await open.close()
    }
  })
})
