/**
 * Runs the BUILT CLI (`node bin/run.js ...`) as a user would, and collects its exit code, stdout and stderr.
 * Build first (`npm run build`). AWS settings come from `env`; nothing is read from the developer's own
 * ~/.aws, so tests never touch a real account.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** ECSDRAIN_TEST_BIN points the tests at another build (e.g. a private one while the shared dist/ is rebuilt). */
export const BIN =
  process.env.ECSDRAIN_TEST_BIN ?? fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const EMPTY_HOME = mkdtempSync(join(tmpdir(), 'ecsdrain-home-'))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  ms: number
}

/** A clean AWS environment: dummy credentials and a region, no profile or config files from the machine. */
export function awsTestEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {...process.env}
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('ECSDRAIN_')) delete env[k]
  return {
    ...env,
    HOME: EMPTY_HOME,
    AWS_CONFIG_FILE: join(EMPTY_HOME, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(EMPTY_HOME, 'credentials'),
    // No instance-metadata probing on a dev machine or CI runner.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
    ...extra,
  }
}

export function runCli(
  args: string[],
  opts: {env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<CliResult> {
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, ...args], {
    env: (opts.env ?? awsTestEnv()) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code: code ?? (signal ? 128 : -1), stdout, stderr, ms: performance.now() - started})
    })
  })
}
