/**
 * The CLI's host for core's questions (core/prompt.ts). It asks only when a person is there (stdin and
 * stderr are terminals), on stderr, so that stdout carries results alone. Without a terminal a command must
 * be told (--yes) before it makes any call: a script never hangs on a question nobody sees.
 */
import {createInterface} from 'node:readline/promises'

import {UsageError} from '../core/errors.js'
import {assumeYes, noAnswers, type Answer, type PromptPort} from '../core/prompt.js'

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}

/** Asks on stderr; only y/yes counts as yes. Ctrl-C answers 'interrupted'. */
async function confirm(question: string): Promise<Answer> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  const interrupted = new Promise<Answer>((resolve) => rl.once('SIGINT', () => resolve('interrupted')))
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), interrupted])
    if (answer === 'interrupted') return 'interrupted'
    return /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no'
  } finally {
    rl.close()
  }
}

/** Asks which of `options` (by number or by name); an empty or unknown answer is undefined. */
async function choose(question: string, options: readonly string[]): Promise<string | undefined> {
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

export const terminalPrompt: PromptPort = {
  confirm: (request) => confirm(request.message),
  choose: (request) => choose(request.message, request.options),
}

/**
 * The host for a command's questions: --yes answers every confirmation with yes; a terminal asks (a choice
 * is asked in a terminal even with --yes). Without either, a command that would confirm something (a
 * `refusal` given) stops with a usage error (exit 2) before any AWS call, saying what needs the confirmation.
 */
export function promptHost(yes: boolean, refusal: {message: string; suggestion: string} | null): PromptPort {
  const ask = canPrompt()
  if (yes) return {confirm: assumeYes.confirm, choose: ask ? terminalPrompt.choose : noAnswers.choose}
  if (ask) return terminalPrompt
  if (!refusal) return noAnswers
  throw new UsageError(refusal.message, {code: 'CONFIRMATION_REQUIRED', suggestion: refusal.suggestion})
}

/** Asks a choice in a terminal (which group?), and confirms nothing: for planning, before any question. */
export function choicesOnly(): PromptPort {
  return canPrompt() ? {confirm: noAnswers.confirm, choose: terminalPrompt.choose} : noAnswers
}
