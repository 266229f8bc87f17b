/**
 * A named profile must exist before anything is asked of it. The SDK would only say "Could not load
 * credentials from any providers" (or that no region is configured), and name neither the files it read nor
 * the profiles it found there.
 */
import {join} from 'node:path'

import {getHomeDir, loadSharedConfigFiles} from '@smithy/core/config'

import {UsageError} from '../core/errors.js'

/** The profile asked for: --profile, else AWS_PROFILE (the SDK's own order). */
export function namedProfile(flag: string | undefined): {name: string; source: string} | undefined {
  if (flag) return {name: flag, source: '--profile'}
  const env = process.env.AWS_PROFILE
  return env ? {name: env, source: 'AWS_PROFILE'} : undefined
}

/** The files the SDK reads, as it finds them: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE first. */
export function sharedFilePaths(): {config: string; credentials: string} {
  const home = (p: string) => (p.startsWith('~/') ? join(getHomeDir(), p.slice(2)) : p)
  return {
    config: home(process.env.AWS_CONFIG_FILE || join(getHomeDir(), '.aws', 'config')),
    credentials: home(process.env.AWS_SHARED_CREDENTIALS_FILE || join(getHomeDir(), '.aws', 'credentials')),
  }
}

/** Section names in the config file that are not profiles (the loader keeps them with their prefix). */
const NOT_A_PROFILE = /^(sso-session|services)\./

/** Every profile in either file: `[profile p]` or `[default]` in config, `[p]` in credentials. */
export async function listProfiles(): Promise<string[]> {
  const paths = sharedFilePaths()
  const {configFile, credentialsFile} = await loadSharedConfigFiles({
    configFilepath: paths.config,
    filepath: paths.credentials,
  })
  const names = [...Object.keys(configFile), ...Object.keys(credentialsFile)]
  return [...new Set(names.filter((n) => !NOT_A_PROFILE.test(n)))].sort()
}

/** A usage error (exit 2, before any call) when the named profile is in neither file. */
export async function checkProfile(profile: {name: string; source: string} | undefined): Promise<void> {
  if (!profile) return
  const known = await listProfiles()
  if (known.includes(profile.name)) return
  const paths = sharedFilePaths()
  const asked = profile.source === '--profile' ? `--profile ${profile.name}` : `AWS_PROFILE=${profile.name}`
  const found =
    known.length > 0 ? `Profiles there: ${known.join(', ')}.` : 'Neither file defines any profile.'
  throw new UsageError(`${asked}: no such profile in ${paths.config} or ${paths.credentials}. ${found}`, {
    code: 'PROFILE_NOT_FOUND',
    suggestion:
      known.length > 0
        ? `Pass one of them (--profile ${known[0]}), or create it: \`aws configure --profile ${profile.name}\` (\`aws configure sso\` for SSO).`
        : `Create it: \`aws configure --profile ${profile.name}\` (\`aws configure sso\` for SSO), or use environment credentials without a profile.`,
  })
}
