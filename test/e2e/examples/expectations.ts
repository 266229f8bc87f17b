/**
 * What each documented example must do when run against `ecsdrain sim --hook manual` (see runner.ts), with
 * the reason from the docs. An example not listed here must exit 0, so a new command's examples (or new
 * README lines) are held to that without anyone adding anything; one that exits otherwise by design gets an
 * entry here, citing where the docs say so. An entry that matches no example fails the tests, so this table
 * cannot go stale.
 */
export const SIM_INSTANCE = 'i-0e1210ebdde2f1606'
export const SIM_GROUP = 'todobackend-ApplicationAutoscaling-1XQ8MZ3K7VJ2P'

export interface Expectation {
  /** The exit codes the docs give for this example in its world. */
  exit: number[]
  /** It runs until Ctrl-C: the runner interrupts it (README: "runs until Ctrl-C ... exits 0"). */
  interrupt?: boolean
  why: string
}

/** `ecsdrain sim` and `ecsdrain watch` run until interrupted; both exit 0 on Ctrl-C (README). */
const RUNS_UNTIL_INTERRUPTED = /(^|\s)ecsdrain (sim|watch)(\s|$)/

const DEFAULT: Expectation = {exit: [0], why: 'an example works: exit 0'}

/** Keyed by the example exactly as printed (README line or rendered --help example). */
export const EXPECTED: Record<string, Omit<Expectation, 'interrupt'>> = {
  [`ecsdrain drain ${SIM_INSTANCE} --dry-run`]: {
    exit: [4],
    why: 'README: --dry-run exits 4 when the drain would be refused; the sim has one ACTIVE instance, in steady state',
  },
  [`ecsdrain drain ${SIM_INSTANCE} --yes --timeout 45m`]: {
    exit: [4],
    why: 'README: refused (exit 4) for the last ACTIVE instance in steady state, nothing changed',
  },
  [`ecsdrain drain ${SIM_INSTANCE} --yes --timeout 45m --stop-standalone`]: {
    exit: [4],
    why: 'README: refused (exit 4) for the last ACTIVE instance in steady state, nothing changed',
  },
  [`ecsdrain drain ${SIM_INSTANCE}`]: {
    exit: [2],
    why: 'README: without a terminal drain requires --yes (exit 2, nothing changed); in one it asks',
  },
  [`ecsdrain complete ${SIM_INSTANCE}`]: {
    exit: [4],
    why: 'README: complete is refused (exit 4) while tasks still run; the waiting instance still runs its task',
  },
  'ecsdrain refresh --cluster todobackend-cluster --yes --timeout 20s': {
    exit: [3],
    why: 'README: --timeout ends the following (exit 3) and leaves the refresh as it is; a refresh takes minutes',
  },
  'ecsdrain doctor --all --fail-on warn': {
    exit: [5],
    why: "doctor --help: exit 5 when a finding at --fail-on or worse exists; the sim's manual hook notifies nothing (a warning)",
  },
  'ecsdrain install': {
    exit: [2],
    why: 'README: install asks for confirmation; without a terminal --yes is required (exit 2)',
  },
}

export function expectationFor(command: string): Expectation {
  const listed = EXPECTED[command]
  return {...(listed ?? DEFAULT), interrupt: RUNS_UNTIL_INTERRUPTED.test(command)}
}
