/**
 * The confirmation before a destructive action. It asks only when a person is there (stdin and stderr are
 * terminals); commands check `canPrompt()` first and require --yes otherwise, so a script never hangs on a
 * question nobody sees.
 */
import {createInterface} from 'node:readline/promises'

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}

export type Answer = 'yes' | 'no' | 'interrupted'

/** Asks on stderr; only y/yes counts as yes. Ctrl-C answers 'interrupted'. */
export async function confirm(question: string): Promise<Answer> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  const interrupted = new Promise<Answer>((resolve) => rl.once('SIGINT', () => resolve('interrupted')))
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `).then((a) => a), interrupted])
    if (answer === 'interrupted') return 'interrupted'
    return /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no'
  } finally {
    rl.close()
  }
}
