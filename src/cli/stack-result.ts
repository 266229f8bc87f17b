import type {DeployResult} from '../core/stack/deploy.js'
import {stackVerdict} from '../render/stack-progress.js'

/**
 * The end of `install` and `uninstall`: a failed stack is an error (its message and next step); otherwise
 * the verdict goes to stderr, the exit code is set (130 interrupted, 3 timed out) and the result is the JSON.
 */
export function finishStack(
  result: DeployResult,
  command: 'install' | 'uninstall',
  log: (line: string) => void,
): DeployResult {
  const verdict = stackVerdict(result, command)
  if (verdict.error) throw verdict.error
  for (const line of verdict.lines) log(line)
  if (verdict.exitCode !== 0) process.exitCode = verdict.exitCode
  return result
}
