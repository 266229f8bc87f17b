import {createInterface} from 'node:readline/promises'

/**
 * Asks on stderr which of `options` to use (by number or by name). Only called when a person is there
 * (see canPrompt in confirm.ts); an empty or unknown answer is undefined, so the caller can explain.
 */
export async function choose(question: string, options: readonly string[]): Promise<string | undefined> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    const list = options.map((o, i) => `  ${i + 1}) ${o}`).join('\n')
    const answer = (await rl.question(`${question}\n${list}\nNumber or name: `)).trim()
    const n = Number(answer)
    if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1]
    return options.includes(answer) ? answer : undefined
  } finally {
    rl.close()
  }
}
