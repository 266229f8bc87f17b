import {BaseCommand} from '../cli/base-command.js'
import {allowRemoteWarning, readyHint, SIM_DEFAULTS_HELP, simFlags, untilSignal} from '../cli/sim-flags.js'
import {UsageError} from '../core/errors.js'
import type {RunningSim} from '../sim/index.js'
import {isLoopbackHost} from '../sim/protocol/guard.js'
import type {SimWorld} from '../sim/world/index.js'

export default class Sim extends BaseCommand<typeof Sim> {
  static override summary =
    'Run the embedded simulated AWS region (ECS, Auto Scaling, CloudWatch, ELBv2) until interrupted.'
  static override description = `Serves ECS, Auto Scaling, CloudWatch and ELBv2 (target groups) on a local endpoint, speaking the real wire protocols, so that ecsdrain, the AWS CLI and the AWS SDKs work against it unchanged. Stop it with Ctrl-C (or SIGTERM).

${SIM_DEFAULTS_HELP}`
  static override examples = [
    '<%= config.bin %> sim --scenario todobackend --hook manual',
    '<%= config.bin %> sim --scenario large --instances 1000 --port 0 --json',
    '<%= config.bin %> sim --faults throttle=0.2,error=0.05,latency=20ms --rollout-every 10m --speed 10',
    "<%= config.bin %> sim --faults 'throttle=0.5@ListTasks,error=0.1' --faults-seed 7",
    '<%= config.bin %> sim --scenario multi-az --hook manual --capacity-providers --speed 20',
  ]

  static override flags = simFlags

  public async run(): Promise<void> {
    const {flags} = this
    if (!isLoopbackHost(flags.host) && !flags['allow-remote']) {
      throw new UsageError(`--host ${flags.host} is not a loopback address; the sim has no authentication.`, {
        suggestion: 'Use --host 127.0.0.1, or add --allow-remote if you really mean to expose it.',
      })
    }
    // Listen before announcing readiness: until Node has a listener, the OS default for these signals
    // applies, and a caller that signals right after reading the readiness line would kill us outright.
    const signalled = untilSignal()
    const sim = await this.start()
    if (flags['allow-remote']) this.logToStderr(allowRemoteWarning(flags.host, sim.port))
    const summary = sim.world.summary()
    if (flags.hook === 'lambda') await this.installHookStack(sim, summary)
    if (this.jsonEnabled()) {
      const ready = {endpoint: sim.endpoint, region: sim.region, ...summary}
      process.stdout.write(`${JSON.stringify(ready)}\n`)
    } else {
      this.log(`endpoint: ${sim.endpoint}`)
      this.logToStderr(readyHint(sim.endpoint, sim.region, summary))
    }
    const signal = await signalled
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
    // The Lambda's own structured logs, as CloudWatch Logs would show them, so the demo shows it working.
    const {stack} = sim.world as SimWorld
    if (!this.jsonEnabled())
      stack.onLambdaLog((l) => process.stderr.write(`lambda ${l.functionName}: ${l.line}\n`))
  }

  private async start(): Promise<RunningSim> {
    const {flags} = this
    // The sim (world model, protocols, stack) loads only here, so that the other commands don't pay for it.
    const {FaultSpecError, parseFaultSpec, startSim} = await import('../sim/index.js')
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
        faultSeed: flags['faults-seed'],
        allowRemote: flags['allow-remote'],
        rolloutEveryMs: flags['rollout-every'],
        instances: flags.instances,
        services: flags.services,
        tasksPerInstance: flags['tasks-per-instance'],
        knobs: {
          sigtermExitMs: flags['sigterm-exit'],
          hookHeartbeatTimeoutSeconds: flags['hook-heartbeat-timeout'],
          capacityProviders: flags['capacity-providers'],
          unhealthyNewRevisions: flags['unhealthy-new-revisions'],
        },
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
