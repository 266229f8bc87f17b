import {Command} from '@oclif/core'

import {awsFlags} from './flags.js'
import {BaseCommand} from './base-command.js'

/** A command that talks to AWS: it gets --region, --profile, --endpoint-url and --verbose. */
export abstract class AwsCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {...awsFlags}

  /** The options for src/aws's client factory, from the shared flags. */
  protected awsOptions(): {region?: string; profile?: string; endpointUrl?: string; verbose: boolean} {
    const flags = this.flags as {
      region?: string
      profile?: string
      'endpoint-url'?: string
      verbose?: boolean
    }
    return {
      region: flags.region,
      profile: flags.profile,
      endpointUrl: flags['endpoint-url'],
      verbose: flags.verbose ?? false,
    }
  }
}
