import {Command} from '@oclif/core/command'

import type {AwsRuntime} from '../aws/index.js'
import {awsFlags} from './flags.js'
import {BaseCommand} from './base-command.js'

/** A command that talks to AWS: it gets --region, --profile, --endpoint-url and --verbose. */
export abstract class AwsCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {...awsFlags}

  private awsRuntime?: AwsRuntime

  /**
   * The ports, clients and call ledger for this run, built once from the flags. The SDK is imported here,
   * not at the top, so that `--help` and commands that never call AWS don't pay for loading it.
   */
  protected async aws(): Promise<AwsRuntime> {
    if (!this.awsRuntime) {
      const {createAwsPorts} = await import('../aws/index.js')
      this.awsRuntime = createAwsPorts(this.awsOptions())
    }
    return this.awsRuntime
  }

  /**
   * With --verbose, one line on stderr summing up the AWS calls made, even when the command failed. Written
   * directly because oclif mutes logToStderr under --json, and the summary never goes to stdout anyway.
   */
  public override async finally(error: Error | undefined): Promise<unknown> {
    if (this.awsRuntime && (this.flags as {verbose?: boolean} | undefined)?.verbose) {
      process.stderr.write(`${this.awsRuntime.ledger.summaryLine()}\n`)
    }
    return super.finally(error)
  }

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
