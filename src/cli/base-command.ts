/**
 * The base of every command. It lives outside src/commands because oclif loads every file there as a
 * command. It parses the shared flags, and turns our error hierarchy into a message with its next step and
 * the documented exit code; any other error is a bug and is left to oclif, which shows its stack.
 */
import * as Errors from '@oclif/core/errors'
import {Command} from '@oclif/core/command'
import {ux} from '@oclif/core/ux'
import type * as Interfaces from '@oclif/core/interfaces'

import {EcsdrainError} from '../core/errors.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>

  public override async init(): Promise<void> {
    await super.init()
    const ctor = this.ctor as typeof BaseCommand
    const {args, flags} = await this.parse({
      args: ctor.args,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      flags: ctor.flags,
      strict: ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof EcsdrainError) {
      this.reportError(error)
      this.exit(error.exitCode)
    }
    const usageExit = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (this.jsonEnabled() && typeof usageExit === 'number') {
      // oclif's own --json path exits 1 for its parse errors (it reads err.exitCode, which they lack) and prints
      // its error internals; the contract is our error shape with the parser's exit code (2). An ExitError is
      // this.exit() from a command: its code stands and there is nothing to print.
      if (error instanceof Errors.ExitError) throw error
      this.logJson({
        error: {code: 'USAGE', message: withoutHelpHint(error.message), suggestion: this.helpHint()},
      })
      this.exit(usageExit)
    }
    return super.catch(error)
  }

  private helpHint(): string {
    const command = this.id ? `${this.config.bin} ${this.id}` : this.config.bin
    return `Run \`${command} --help\` for the flags and an example.`
  }

  /**
   * Same output as oclif's logJson (2-space JSON on stdout), without its tokenizer when no JSON colour theme
   * is configured: with no theme the tokens come out unchanged, and tokenizing `instances --json` for 1,000
   * instances cost about 0.2 s of CPU.
   */
  public override logJson(json: unknown): void {
    if (this.config.theme?.json) {
      super.logJson(json)
      return
    }
    ux.stdout(JSON.stringify(json, null, 2))
  }

  /**
   * stderr in every mode. oclif mutes logToStderr under --json, but the contract puts progress and logs on
   * stderr exactly then (JSON on stdout), and an interrupted drain must still print its resume/undo commands.
   */
  public override logToStderr(message = '', ...args: string[]): void {
    ux.stderr(message, ...args)
  }

  /** Writes a user-facing error: JSON on stdout under --json (the contract), a message on stderr otherwise. */
  protected reportError(error: EcsdrainError): void {
    const message = withoutParserWrapper(error.message)
    if (this.jsonEnabled()) {
      this.logJson({error: {code: error.code, message, suggestion: error.suggestion ?? null}})
      return
    }
    this.logToStderr(`Error: ${message}`)
    if (error.suggestion) this.logToStderr(`Next step: ${error.suggestion}`)
  }
}

/** oclif ends its parse errors with "See more help with --help"; under --json the suggestion says it instead. */
function withoutHelpHint(message: string): string {
  return message.replace(/\n?See more help with --help\s*$/, '')
}

/**
 * oclif rewrites the message of an error thrown by a flag's parse function (ours, e.g. BAD_DURATION) to
 * "Parsing --flag \n\t<message>\nSee more help with --help"; our errors carry their own next step instead.
 */
function withoutParserWrapper(message: string): string {
  return withoutHelpHint(message.replace(/^Parsing --[\w-]+ \n\t/, ''))
}
