/** The ids of our own commands (src/commands), which the plugins neither add to nor answer for. */
export const COMMAND_IDS = [
  'complete',
  'doctor',
  'drain',
  'heartbeat',
  'install',
  'instances',
  'refresh',
  'report',
  'sim',
  'undrain',
  'uninstall',
  'watch',
] as const

export type CommandId = (typeof COMMAND_IDS)[number]
