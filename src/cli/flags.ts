import * as Flags from '@oclif/core/flags'

/**
 * Flags shared by every command that talks to AWS. The SDK's own resolution (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, SSO, instance roles) still applies underneath them.
 */
export const awsFlags = {
  region: Flags.string({
    description: 'AWS region (default: the SDK chain, e.g. AWS_REGION or the profile).',
    helpGroup: 'AWS',
  }),
  profile: Flags.string({
    description: 'Named profile from ~/.aws/config (default: AWS_PROFILE).',
    helpGroup: 'AWS',
  }),
  'endpoint-url': Flags.string({
    description: 'Send every AWS call to this endpoint, e.g. http://127.0.0.1:4599 for `ecsdrain sim`.',
    helpGroup: 'AWS',
  }),
  verbose: Flags.boolean({
    description: 'Print a summary of the AWS calls made (per operation, throttles, retries) to stderr.',
  }),
}

export const clusterFlag = Flags.string({
  char: 'c',
  description: 'ECS cluster name or ARN (optional when the account has exactly one cluster).',
  env: 'ECSDRAIN_CLUSTER',
})
