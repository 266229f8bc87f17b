import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {createAwsPorts, prepareAwsOptions} from '../../src/aws/index.js'
import {UsageError} from '../../src/core/errors.js'

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
  writeFileSync(
    join(dir, 'config'),
    '[profile ops]\nregion = eu-west-3\n[sso-session my-sso]\nsso_region = eu-west-1\n[profile sso-only]\nsso_session = my-sso\n',
  )
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

  it('an unknown profile is a usage error naming both files and the profiles they hold', async () => {
    const err = (await prepareAwsOptions({profile: 'nope', region: 'us-east-1', endpointUrl: url}).catch(
      (e: unknown) => e,
    )) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.code).toBe('PROFILE_NOT_FOUND')
    expect(err.exitCode).toBe(2)
    expect(err.message).toContain('--profile nope')
    expect(err.message).toContain(process.env.AWS_CONFIG_FILE!)
    expect(err.message).toContain(process.env.AWS_SHARED_CREDENTIALS_FILE!)
    expect(err.message).toContain('Profiles there: ops, sso-only.')
    expect(err.message).not.toContain('my-sso')
    expect(err.suggestion).toContain('--profile ops')
  })

  it('AWS_PROFILE is checked the same way, and named as the source', async () => {
    process.env.AWS_PROFILE = 'typo'
    try {
      const err = (await prepareAwsOptions({region: 'us-east-1'}).catch((e: unknown) => e)) as UsageError
      expect(err.code).toBe('PROFILE_NOT_FOUND')
      expect(err.message).toMatch(/^AWS_PROFILE=typo: /)
    } finally {
      delete process.env.AWS_PROFILE
    }
  })

  it('a profile that exists passes, whichever file holds it', async () => {
    await expect(prepareAwsOptions({profile: 'ops', endpointUrl: url})).resolves.toBeDefined()
    await expect(prepareAwsOptions({profile: 'sso-only', endpointUrl: url})).resolves.toBeDefined()
  })

  it("the SDK's warning about a profile beside environment keys never reaches the console", async () => {
    process.env.AWS_PROFILE = 'ops'
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENV'
    process.env.AWS_SECRET_ACCESS_KEY = 'env'
    const warned: unknown[] = []
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warned.push(args))
    try {
      const notes: string[] = []
      const options = await prepareAwsOptions({endpointUrl: url, notify: (l) => notes.push(l)})
      await createAwsPorts(options).ecs.listClusterArns()
      expect(String(seen.at(-1)!.authorization)).toContain('Credential=AKIDOPSPROFILE/')
      expect(warned).toEqual([])
      // Under --verbose: our one line, and the SDK's own as one line.
      expect(notes).toContain(
        'AWS: AWS_PROFILE ops is used; AWS_ACCESS_KEY_ID in the environment is ignored.',
      )
      expect(notes.filter((n) => n.startsWith('AWS SDK: ')).every((n) => !n.includes('\n'))).toBe(true)
    } finally {
      spy.mockRestore()
      delete process.env.AWS_PROFILE
      delete process.env.AWS_ACCESS_KEY_ID
      delete process.env.AWS_SECRET_ACCESS_KEY
    }
  })
})
