/**
 * What runs once before the clients are built, on top of the SDK's own resolution: the endpoint override and
 * the named profile are checked (exit 2 before any call), and an `ecsdrain sim` on this machine is recognised,
 * so that `ecsdrain instances --endpoint-url http://127.0.0.1:4599` works in a shell with no AWS set-up.
 */
import {loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS} from '@smithy/core/config'

import {AwsApiError} from '../core/errors.js'
import type {AwsOptions} from './client-factory.js'
import {checkEndpoint, endpointOverride, isLoopback, probeEndpoint} from './endpoint.js'
import {checkProfile, namedProfile} from './profiles.js'

/** The sim checks that a request is signed, not by whom: any key will do, and this one says what it is. */
export const SIM_PLACEHOLDER_CREDENTIALS = {
  accessKeyId: 'AKIDECSDRAINSIMULATOR',
  secretAccessKey: 'placeholder-for-ecsdrain-sim',
}

export async function prepareAwsOptions(options: AwsOptions): Promise<AwsOptions> {
  const note = options.notify ?? (() => {})
  const override = endpointOverride(options.endpointUrl)
  checkEndpoint(override)
  const profile = namedProfile(options.profile)
  await checkProfile(profile)
  const envKeys = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY)
  if (profile && envKeys && !options.credentials) {
    // The SDK's own multi-line warning about this is silenced (see client-factory's logger); say it once.
    note(`AWS: ${profile.source} ${profile.name} is used; AWS_ACCESS_KEY_ID in the environment is ignored.`)
  }
  // The probe fills in what is missing; with a region and keys already given it has nothing to fill, and
  // would only add a round trip to every run (an unreachable endpoint is then named by the first call).
  const settled = Boolean((options.region ?? process.env.AWS_REGION) && (options.credentials || envKeys))
  if (!override || !isLoopback(override.url) || settled) return options

  const probe = await probeEndpoint(override.url)
  if (probe.kind === 'unreachable') {
    throw new AwsApiError(`Cannot reach ${override.url} (${probe.code}): nothing is listening there.`, {
      awsCode: 'ENDPOINT_UNREACHABLE',
      operation: 'connect',
      transient: false,
      suggestion: `Start it first (\`ecsdrain sim\` prints the endpoint it serves), or fix ${override.source}.`,
    })
  }
  if (probe.kind !== 'sim') return options
  const configured = options.region ?? (await configuredRegion(profile?.name))
  // Only for the sim, and only when nothing else was asked for: a named profile or environment keys win.
  const placeholder = !options.credentials && !profile && !envKeys
  const filled = [
    ...(configured ? [] : [`its region ${probe.region}`]),
    ...(placeholder ? ['placeholder credentials (it accepts any signed request)'] : []),
  ]
  if (filled.length > 0) note(`AWS: ${override.url} is an ecsdrain sim: using ${filled.join(' and ')}.`)
  return {
    ...options,
    region: configured ?? probe.region,
    ...(placeholder ? {credentials: SIM_PLACEHOLDER_CREDENTIALS} : {}),
  }
}

/** The region the SDK would use (AWS_REGION, then the profile's), or undefined when there is none. */
async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, {...NODE_REGION_CONFIG_FILE_OPTIONS, profile})()
  } catch {
    return undefined
  }
}
