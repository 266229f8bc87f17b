/**
 * The AWS CLIs installed on the machine, for tests that drive them unchanged against the sim or moto_server:
 * v1 (the machine's Python, on PATH) and v2 (Debian's awscli at /usr/bin/aws; scripts/install-test-tools
 * installs it). A CLI that is not installed is simply absent from the result: its tests are skipped, saying so.
 */
import {execFile, execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {delimiter, join} from 'node:path'

export type AwsCliVersion = 'v1' | 'v2'

/** Every `aws` on PATH (plus /usr/bin), by major version. */
export function findAwsClis(): Partial<Record<AwsCliVersion, string>> {
  const found: Partial<Record<AwsCliVersion, string>> = {}
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'aws')),
    '/usr/bin/aws',
  ]
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue
    try {
      const version = execFileSync(candidate, ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const major = /aws-cli\/(\d)/.exec(version)?.[1]
      if (major === '1') found.v1 ??= candidate
      if (major === '2') found.v2 ??= candidate
    } catch {
      // Not runnable (e.g. a pyenv shim for another Python): not a CLI we can use.
    }
  }
  return found
}

/** Dummy credentials and no user configuration, so that nothing of the machine's leaks in. */
export const AWS_CLI_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
}

export interface AwsCliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `aws --endpoint-url ENDPOINT --output json ARGS...` and resolves with its exit code and output. */
export function awsCli(
  cli: string,
  endpoint: string,
  args: string[],
  timeoutMs = 30_000,
): Promise<AwsCliResult> {
  return new Promise((resolve) => {
    execFile(
      cli,
      ['--endpoint-url', endpoint, '--output', 'json', ...args],
      {env: AWS_CLI_ENV, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({code, stdout, stderr})
      },
    )
  })
}
