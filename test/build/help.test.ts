/** The help class (src/bundle/help.ts): the two templates our texts use, filled in without ejs. */
import {describe, expect, it} from 'vitest'

import {withoutEjs} from '../../src/bundle/help.js'

const context = {config: {bin: 'ecsdrain'}, command: {id: 'instances'}}
const viaEjs = (input: string) => `ejs(${input})`

describe('help templates without ejs', () => {
  it('fills in <%= config.bin %> and <%= command.id %>, however spaced', () => {
    const render = withoutEjs(viaEjs, context)
    expect(render('<%= config.bin %> <%=command.id%> --json')).toBe('ecsdrain instances --json')
  })

  it('leaves text without templates as it is', () => {
    expect(withoutEjs(viaEjs, context)('Show every container instance.')).toBe(
      'Show every container instance.',
    )
  })

  it('hands any other template to ejs, whole', () => {
    const input = '<%= config.bin %> <%- config.version %>'
    expect(withoutEjs(viaEjs, context)(input)).toBe(`ejs(${input})`)
  })

  it('escapes the values as ejs <%= does, and leaves command.id to ejs where there is no command', () => {
    expect(withoutEjs(viaEjs, {config: {bin: 'a<b>&"c\''}})('<%= config.bin %>')).toBe(
      'a&lt;b&gt;&amp;&#34;c&#39;',
    )
    expect(withoutEjs(viaEjs, {config: {bin: 'x'}})('<%= command.id %>')).toBe('ejs(<%= command.id %>)')
  })
})
