/**
 * The README's runnable examples: every ```sh block, each line one command (a trailing `\` continues it).
 * A block is marked, on the line before its fence, with an HTML comment that readers never see:
 * - `<!-- examples: skip (why) -->` for a block that cannot run against the sim (it installs the
 *   checkout, or needs a real AWS account); the reason is required.
 * - `<!-- examples: world=terminating -->` for a block written for a rollout under way (runner.ts).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT} from '../../helpers/sim.js'
import type {ExampleGroup, World} from './runner.js'

export interface ReadmeBlock extends ExampleGroup {
  /** The line of the opening fence, 1-based, to name it in failures. */
  line: number
  skip: string | null
}

const MARKER = /^<!-- examples: (.*) -->$/

export function readmeBlocks(text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')): ReadmeBlock[] {
  const lines = text.split('\n')
  const blocks: ReadmeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```sh') continue
    let j = i - 1
    while (j >= 0 && lines[j]!.trim() === '') j--
    const marker = MARKER.exec(lines[j] ?? '')?.[1] ?? ''
    const skip = /^skip \((.+)\)$/.exec(marker)?.[1] ?? null
    if (marker && skip === null && !/^world=(fresh|terminating)$/.test(marker))
      throw new Error(`README.md:${j + 1}: unknown examples marker "${marker}"`)
    const world = (/^world=(\w+)$/.exec(marker)?.[1] ?? 'fresh') as World
    const commands: string[] = []
    let k = i + 1
    for (let pending = ''; k < lines.length && lines[k] !== '```'; k++) {
      const line = lines[k]!
      if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1).trimEnd()} `
        continue
      }
      commands.push(`${pending}${pending ? line.trim() : line}`)
      pending = ''
    }
    blocks.push({name: `README.md:${i + 1}`, line: i + 1, world, skip, commands})
    i = k
  }
  return blocks
}

/** Each runnable line without its trailing comment, as the expectations table keys it. */
export function readmeCommands(): string[] {
  return readmeBlocks()
    .filter((b) => b.skip === null)
    .flatMap((b) => b.commands.map(withoutComment))
}

/** `ecsdrain drain i-x --dry-run   # the preflight only` -> `ecsdrain drain i-x --dry-run`. */
export function withoutComment(line: string): string {
  return line.replace(/\s+#\s.*$/, '').trimEnd()
}
