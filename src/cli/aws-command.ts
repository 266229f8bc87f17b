import {Command} from '@oclif/core/command'

import type {AwsRuntime} from '../aws/index.js'
import {awsFlags} from './flags.js'
import {HeartbeatLog, heartbeatScope} from './heartbeat-log.js'
import {BaseCommand} from './base-command.js'

/** A command that talks to AWS: it gets --region, --profile, --endpoint-url and --verbose. */
export abstract class AwsCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {...awsFlags}

  private awsRuntime?: AwsRuntime
  private scope?: string

  /**
   * The ports, clients and call ledger for this run, built once from the flags, after the checks of
   * prepareAwsOptions (endpoint, profile, an `ecsdrain sim` recognised). The SDK is imported here, not at the
   * top, so that `--help` and commands that never call AWS don't pay for loading it.
   */
  protected async aws(): Promise<AwsRuntime> {
    if (!this.awsRuntime) {
      const {createAwsPorts, prepareAwsOptions} = await import('../aws/index.js')
      const verbose = this.awsOptions().verbose
      // Written directly, as the summary in finally(): oclif mutes logToStderr under --json.
      const notify = verbose ? (line: string) => void process.stderr.write(`${line}\n`) : undefined
      const options = await prepareAwsOptions({...this.awsOptions(), notify})
      this.scope = heartbeatScope(options)
      this.awsRuntime = this.recordingHeartbeats(createAwsPorts(options), this.scope)
    }
    return this.awsRuntime
  }

  /** The heartbeats this run sends, remembered for later listings (see heartbeat-log.ts). */
  protected heartbeatLog(): HeartbeatLog {
    return new HeartbeatLog(this.config.cacheDir)
  }

  /** Where this run's calls go, as its heartbeats are recorded: for looking them up again. */
  protected async heartbeatScope(): Promise<string> {
    await this.aws()
    return this.scope!
  }

  private recordingHeartbeats(runtime: AwsRuntime, where: string): AwsRuntime {
    const port = runtime.autoScaling
    const log = this.heartbeatLog()
    runtime.autoScaling = {
      ...port,
      recordLifecycleActionHeartbeat: async (ref) => {
        await port.recordLifecycleActionHeartbeat(ref)
        log.record({where, instanceId: ref.instanceId, hook: ref.hookName}, new Date())
      },
    }
    return runtime
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
