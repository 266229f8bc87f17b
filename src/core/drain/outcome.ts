/** How drain outcomes map to the documented exit codes, for one instance and for several. */
import {ExitCode} from '../errors.js'
import type {DrainOutcome} from './types.js'

const CODE: Record<DrainOutcome, ExitCode> = {
  drained: ExitCode.ok,
  draining: ExitCode.ok,
  'dry-run': ExitCode.ok,
  timeout: ExitCode.timeout,
  refused: ExitCode.refused,
  interrupted: ExitCode.interrupted,
  suspended: ExitCode.interrupted,
  failed: ExitCode.failure,
}

/** The most serious wins: an interrupt, then a failure, then a timeout, then a refusal. */
const SEVERITY: ExitCode[] = [
  ExitCode.interrupted,
  ExitCode.failure,
  ExitCode.timeout,
  ExitCode.refused,
  ExitCode.ok,
]

export function exitCodeFor(outcomes: readonly DrainOutcome[]): ExitCode {
  const codes = new Set(outcomes.map((o) => CODE[o]))
  return SEVERITY.find((c) => codes.has(c)) ?? ExitCode.ok
}
