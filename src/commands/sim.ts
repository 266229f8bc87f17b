import {BaseCommand} from '../cli/base-command.js'
import {allowRemoteWarning, readyHint, SIM_DEFAULTS_HELP, simFlags, untilSignal} from '../cli/sim-flags.js'
import {checkSimHost, startSimFromFlags} from '../cli/sim-start.js'
import type {RunningSim} from '../sim/index.js'
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
    checkSimHost(flags)
    // Listen before announcing readiness: until Node has a listener, the OS default for these signals
    // applies, and a caller that signals right after reading the readiness line would kill us outright.
    const signalled = untilSignal()
    const sim = await startSimFromFlags(flags)
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
    const at = {endpoint: sim.endpoint, region: sim.region, cluster, group, version: this.config.version}
    const result = await installIntoSim(at).catch(async (error: unknown) => {
      await sim.close()
      throw error
    })
    this.logToStderr(
      `hook: stack ${result.stackName} installed on ${group} (the Lambda drains terminating instances)`,
    )
    // The Lambda's own structured logs, as CloudWatch Logs would show them, so the demo shows it working.
    const {stack} = sim.world as SimWorld
    if (!this.jsonEnabled())
      stack.onLambdaLog((l) => process.stderr.write(`lambda ${l.functionName}: ${l.line}\n`))
  }
}
