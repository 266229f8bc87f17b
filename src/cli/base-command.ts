/**
 * The base of every command. It lives outside src/commands because oclif loads every file there as a
 * command. It parses the shared flags, and turns our error hierarchy into a message with its next step and
 * the documented exit code; any other error is a bug and is left to oclif, which shows its stack.
 */
import {Command, Interfaces, ux} from '@oclif/core'

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
    return super.catch(error)
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

  /** Writes a user-facing error: JSON on stdout under --json (the contract), a message on stderr otherwise. */
  protected reportError(error: EcsdrainError): void {
    if (this.jsonEnabled()) {
      this.logJson({error: {code: error.code, message: error.message, suggestion: error.suggestion ?? null}})
      return
    }
    this.logToStderr(`Error: ${error.message}`)
    if (error.suggestion) this.logToStderr(`Next step: ${error.suggestion}`)
  }
}
