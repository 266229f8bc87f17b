/** How the README examples test reads the README (examples/readme.ts): blocks, markers, continued lines. */
import {describe, expect, it} from 'vitest'

import {readmeBlocks, withoutComment} from './examples/readme.js'

const fence = (body: string) => ['```sh', body, '```'].join('\n')

describe('readmeBlocks', () => {
  it('reads every sh block, one command per line, continued lines joined, comments and blanks dropped', () => {
    const text = [
      '# Title',
      fence('# a comment\necsdrain instances   # a table\n\naws --endpoint-url x \\\n  ecs list-clusters'),
      '```text\nnot run\n```',
      fence('ecsdrain sim'),
    ].join('\n\n')
    const blocks = readmeBlocks(text)
    expect(blocks.map((b) => b.commands)).toEqual([
      ['ecsdrain instances   # a table', 'aws --endpoint-url x ecs list-clusters'],
      ['ecsdrain sim'],
    ])
    expect(blocks.map((b) => [b.world, b.skip])).toEqual([
      ['fresh', null],
      ['fresh', null],
    ])
    expect(withoutComment(blocks[0]!.commands[0]!)).toBe('ecsdrain instances')
  })

  it('takes the marker on the line before the fence: skip needs a reason, worlds are known', () => {
    const text = [
      '<!-- examples: skip (needs a real AWS account) -->',
      fence('ecsdrain instances --region eu-west-1'),
      '<!-- examples: world=terminating -->',
      '',
      fence('ecsdrain complete i-0e1210ebdde2f1606'),
    ].join('\n')
    expect(readmeBlocks(text).map((b) => [b.skip, b.world])).toEqual([
      ['needs a real AWS account', 'fresh'],
      [null, 'terminating'],
    ])
    expect(() => readmeBlocks(`<!-- examples: skip -->\n${fence('x')}`)).toThrow(/unknown examples marker/)
    expect(() => readmeBlocks(`<!-- examples: world=mars -->\n${fence('x')}`)).toThrow(
      /unknown examples marker/,
    )
  })
})
