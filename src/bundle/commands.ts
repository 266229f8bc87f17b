/**
 * Every command, for oclif's `explicit` command discovery (package.json `oclif.commands`): `oclif manifest`
 * reads it, and a run that loaded run.cjs imports it only to run a command (the not-found plugin's "did you
 * mean"); a run of one of our commands loads that command's program instead (src/bundle/run.ts). Heavy
 * modules (the SDK, ink, listr2, the sim) stay behind dynamic imports in the commands, which esbuild splits
 * into chunks of their own.
 */
import type {Command} from '@oclif/core/command'

import Complete from '../commands/complete.js'
import Doctor from '../commands/doctor.js'
import Drain from '../commands/drain.js'
import Heartbeat from '../commands/heartbeat.js'
import Install from '../commands/install.js'
import Instances from '../commands/instances.js'
import Refresh from '../commands/refresh.js'
import Report from '../commands/report.js'
import Sim from '../commands/sim.js'
import Undrain from '../commands/undrain.js'
import Uninstall from '../commands/uninstall.js'
import Watch from '../commands/watch.js'
import type {CommandId} from './command-ids.js'

export const COMMANDS: Record<CommandId, Command.Class> = {
  complete: Complete,
  doctor: Doctor,
  drain: Drain,
  heartbeat: Heartbeat,
  install: Install,
  instances: Instances,
  refresh: Refresh,
  report: Report,
  sim: Sim,
  undrain: Undrain,
  uninstall: Uninstall,
  watch: Watch,
}
