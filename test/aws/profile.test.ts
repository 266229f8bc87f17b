import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAwsPorts} from '../../src/aws/index.js'

/** --profile must select the profile's credentials and region, on top of the SDK's own resolution. */
const saved = {...process.env}
let url: string
const seen: IncomingHttpHeaders[] = []
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    seen.push(req.headers)
    res.setHeader('content-type', 'application/x-amz-json-1.1')
    res.end(JSON.stringify({clusterArns: []}))
  })
})

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-profile-'))
  writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-3\n')
  writeFileSync(
    join(dir, 'credentials'),
    '[ops]\naws_access_key_id = AKIDOPSPROFILE\naws_secret_access_key = s\n',
  )
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  process.env.AWS_CONFIG_FILE = join(dir, 'config')
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials')
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
})
afterAll(async () => {
  process.env = saved
  await new Promise<void>((r) => server.close(() => r()))
})

describe('profile resolution', () => {
  it('--profile picks the profile credentials and region', async () => {
    const aws = createAwsPorts({profile: 'ops', endpointUrl: url})
    await aws.ecs.listClusterArns()
    const auth = String(seen.at(-1)!.authorization)
    expect(auth).toContain('Credential=AKIDOPSPROFILE/')
    expect(auth).toContain('/eu-west-3/ecs/aws4_request')
  })

  it('--region overrides the profile region', async () => {
    const aws = createAwsPorts({profile: 'ops', region: 'ap-south-1', endpointUrl: url})
    await aws.ecs.listClusterArns()
    expect(String(seen.at(-1)!.authorization)).toContain('/ap-south-1/ecs/aws4_request')
  })

  it('an unknown profile is a credentials error with the next step', async () => {
    const aws = createAwsPorts({profile: 'nope', region: 'us-east-1', endpointUrl: url, maxAttempts: 1})
    const err = (await aws.ecs.listClusterArns().catch((e: unknown) => e)) as {
      code: string
      suggestion: string
    }
    expect(err.code).toBe('NO_CREDENTIALS')
    expect(err.suggestion).toMatch(/--profile/)
  })
})
