/**
 * The environment of a new user's fresh shell: PATH, an empty HOME, and nothing of AWS or ecsdrain, not
 * even the SDK's Node-version switch that the test runner sets for itself. What the user sees in it is
 * what the first hour's tests check.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export function freshShellEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'ecsdrain-fresh-home-'))
  return {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', ...extra}
}

/** Anything on stderr that came from the AWS SDK rather than from ecsdrain. */
export function rawSdkOutput(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) =>
      /@aws-sdk|NodeVersionSupportWarning|AWS SDK for JavaScript|Multiple credential sources/.test(l),
    )
}
