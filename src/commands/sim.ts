import {Errors, Flags} from '@oclif/core'
import ms from 'ms'

import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../core/errors.js'
import {FaultSpecError, parseFaultSpec, startSim, type RunningSim} from '../sim/index.js'

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/

const positive = (what: string) =>
  Flags.custom<number>({
    parse: async (raw) => {
      const value = Number(raw)
      if (!Number.isFinite(value) || value <= 0)
        throw new Errors.CLIError(`${what} must be a number above 0, got "${raw}".`)
      return value
    },
  })

const duration = Flags.custom<number>({
  parse: async (raw) => {
    const value = ms(raw as ms.StringValue) as number | undefined
    if (value === undefined || !(value > 0))
      throw new Errors.CLIError(`"${raw}" is not a duration: try 10m, 90s or 1h.`)
    return value
  },
})

export default class Sim extends BaseCommand<typeof Sim> {
  static override summary =
    'Run the embedded simulated AWS region (ECS, Auto Scaling, CloudWatch) until interrupted.'
  static override description =
    'Serves ECS, Auto Scaling and CloudWatch on a local endpoint, speaking the real wire protocols, so that ecsdrain, the AWS CLI and the AWS SDKs work against it unchanged. Stop it with Ctrl-C (or SIGTERM).'
  static override examples = [
    '<%= config.bin %> sim --scenario todobackend --hook manual',
    '<%= config.bin %> sim --scenario large --instances 1000 --port 0 --json',
    '<%= config.bin %> sim --faults throttle=0.2,error=0.05,latency=20ms --rollout-every 10m --speed 10',
  ]

  static override flags = {
    host: Flags.string({
      description: 'Address to listen on (loopback only, unless --allow-remote).',
      default: '127.0.0.1',
    }),
    'allow-remote': Flags.boolean({
      description: 'Allow a non-loopback --host: anyone who can reach it can drive the sim.',
    }),
    port: Flags.integer({
      description: 'Port to listen on; 0 picks a free one.',
      default: 4599,
      min: 0,
      max: 65535,
    }),
    scenario: Flags.option({
      options: ['todobackend', 'large'] as const,
      default: 'todobackend',
      description: 'The world to start with.',
    })(),
    instances: Flags.integer({min: 1, description: 'Container instances (large scenario).'}),
    services: Flags.integer({min: 1, description: 'Services (large scenario).'}),
    'tasks-per-instance': Flags.integer({min: 1, description: 'Tasks per instance (large scenario).'}),
    hook: Flags.option({
      options: ['none', 'manual', 'lambda'] as const,
      default: 'none',
      description:
        'Lifecycle hook on the group: none, manual (instances wait in Terminating:Wait for you), or lambda (the `ecsdrain install` stack, whose Lambda drains them).',
    })(),
    speed: positive('--speed')({
      description: 'Run durations (boot delay, stop timeout, hook timeouts) this many times faster.',
      default: 1,
    }),
    faults: Flags.string({description: 'Inject faults by rate, e.g. throttle=0.2,error=0.05,latency=20ms.'}),
    'rollout-every': duration({
      description: 'Start an instance refresh of the scenario group again and again, e.g. 10m.',
    }),
  }

  public async run(): Promise<void> {
    const {flags} = this
    if (!LOOPBACK.test(flags.host) && !flags['allow-remote']) {
      throw new UsageError(`--host ${flags.host} is not a loopback address; the sim has no authentication.`, {
        suggestion: 'Use --host 127.0.0.1, or add --allow-remote if you really mean to expose it.',
      })
    }
    const sim = await this.start()
    const summary = sim.world.summary()
    if (flags.hook === 'lambda') await this.installHookStack(sim, summary)
    if (this.jsonEnabled()) {
      const ready = {endpoint: sim.endpoint, region: sim.region, ...summary}
      process.stdout.write(`${JSON.stringify(ready)}\n`)
    } else {
      this.log(`endpoint: ${sim.endpoint}`)
      this.logToStderr(
        [
          `region: ${sim.region}; clusters: ${summary.clusters.join(', ')}; Auto Scaling groups: ${summary.autoScalingGroups.join(', ')}`,
          'Point the AWS CLI, an SDK or ecsdrain at it (any credentials will do):',
          `  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${sim.endpoint} --region ${sim.region} ecs list-clusters`,
          `  export AWS_ENDPOINT_URL=${sim.endpoint} AWS_REGION=${sim.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
          'Stop with Ctrl-C.',
        ].join('\n'),
      )
    }
    const signal = await untilSignal()
    await sim.close()
    this.logToStderr(`Stopped on ${signal}.`)
  }

  /** Installs the hook stack through the sim's own CloudFormation, as `ecsdrain install` would. */
  private async installHookStack(
    sim: RunningSim,
    summary: {clusters: string[]; autoScalingGroups: string[]},
  ) {
    const {installIntoSim} = await import('../hook/sim-install.js')
    const [cluster, group] = [summary.clusters[0], summary.autoScalingGroups[0]]
    if (!cluster || !group) return
    const result = await installIntoSim({
      endpoint: sim.endpoint,
      region: sim.region,
      cluster,
      group,
      version: this.config.version,
    })
    if (result.outcome === 'failed') {
      await sim.close()
      throw new Error(`the hook stack failed to install in the sim: ${JSON.stringify(result.failure)}`)
    }
    this.logToStderr(
      `hook: stack ${result.stackName} installed on ${group} (the Lambda drains terminating instances)`,
    )
  }

  private async start(): Promise<RunningSim> {
    const {flags} = this
    let faults
    try {
      faults = parseFaultSpec(flags.faults)
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`)
      throw error
    }
    try {
      return await startSim({
        host: flags.host,
        port: flags.port,
        scenario: flags.scenario,
        hook: flags.hook,
        speed: flags.speed,
        faults,
        rolloutEveryMs: flags['rollout-every'],
        instances: flags.instances,
        services: flags.services,
        tasksPerInstance: flags['tasks-per-instance'],
      })
    } catch (error) {
      const code = (error as {code?: string}).code
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
        throw new UsageError(`Cannot listen on ${flags.host}:${flags.port} (${code}).`, {
          suggestion: 'Pick another --port, or --port 0 for any free port.',
        })
      }
      throw error
    }
  }
}

/** Resolves with the first SIGINT or SIGTERM, and stops listening for both. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}
