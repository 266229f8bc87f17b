/**
 * oclif's help (package.json `oclif.helpClass`; every file of the bundle that holds run.ts exports it as
 * `default`), with the two templates our commands' texts use, `<%= config.bin %>` and `<%= command.id %>`,
 * filled in without ejs. oclif renders every string of a help page (each flag's description, each example)
 * with ejs.render, which compiles a new function per string: `--cpu-prof` showed that as most of the
 * difference between `instances --help` and `--version`. A string with any other template still goes to
 * ejs, which escapes as below.
 */
import {CommandHelp, Help} from '@oclif/core/help'

const KNOWN = /<%=\s*(config\.bin|command\.id)\s*%>/g
const ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;'}

type Render = (input: string) => string
interface Context {
  config: {bin: string}
  command?: {id: string}
}

export function withoutEjs(ejsRender: Render, context: Context): Render {
  return (input) => {
    if (!input.includes('<%')) return input
    const filled = input.replace(KNOWN, (template, key: string) => {
      const value = key === 'config.bin' ? context.config.bin : context.command?.id
      return value === undefined ? template : value.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    })
    return filled.includes('<%') ? ejsRender(input) : filled
  }
}

class EcsdrainCommandHelp extends CommandHelp {
  constructor(...args: ConstructorParameters<typeof CommandHelp>) {
    super(...args)
    this.render = withoutEjs(this.render, this as unknown as Context)
  }
}

export default class EcsdrainHelp extends Help {
  protected override CommandHelpClass = EcsdrainCommandHelp

  constructor(...args: ConstructorParameters<typeof Help>) {
    super(...args)
    this.render = withoutEjs(this.render, this as unknown as Context)
  }
}
