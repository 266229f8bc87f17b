/**
 * The one way core asks the operator something: a request with a code, a message and the answer to use
 * when nobody can answer (aws-cdk-cli's requestResponse, in small). Core asks; the host decides how: the
 * CLI's terminal prompt on stderr, `--yes` answering yes, a test answering by code. The TUI asks before it
 * calls core (its own y/N in the footer), so it never receives one. See docs/architecture.md, "Channels".
 */

/** Every question core asks, by code: a host (or a test) can answer by code, not by wording. */
export type PromptCode =
  /** Drain these instances? (`drain`, once for the batch) */
  | 'DRAIN_CONFIRM'
  /** Execute the change set shown? (`install`) */
  | 'STACK_EXECUTE_CHANGE_SET'
  /** Delete the stack? (`uninstall`) */
  | 'STACK_DELETE'
  /** Which Auto Scaling group? (`install`, when the cluster's instances are in several) */
  | 'GROUP_CHOICE'
  /** Start the instance refresh? (`refresh`) */
  | 'REFRESH_CONFIRM'

/** Ctrl-C at a question is its own answer: the caller stops, changes nothing, and exits 130. */
export type Answer = 'yes' | 'no' | 'interrupted'

export interface ConfirmRequest {
  code: PromptCode
  message: string
  /** What a host that cannot ask answers. Destructive questions default to no. */
  defaultAnswer: 'no'
}

export interface ChoiceRequest {
  code: PromptCode
  message: string
  options: readonly string[]
}

export interface PromptPort {
  confirm(request: ConfirmRequest): Promise<Answer>
  /** One of the options, or undefined when there is no answer (no terminal, an unknown reply). */
  choose(request: ChoiceRequest): Promise<string | undefined>
}

/** The host of `--yes`: every confirmation is a yes; a choice it cannot make is left to the caller. */
export const assumeYes: PromptPort = {
  confirm: async () => 'yes',
  choose: async () => undefined,
}

/** A host nobody answers: the defaults (no confirmation, no choice). */
export const noAnswers: PromptPort = {
  confirm: async (request) => request.defaultAnswer,
  choose: async () => undefined,
}
