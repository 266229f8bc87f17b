/**
 * Every example that any command's --help prints (ours and the plugins'), run as printed against a spawned
 * `ecsdrain sim` (see examples/runner.ts for how). The examples come from the commands oclif loads, so a
 * command added later is covered by the same test without touching it.
 */
import {Config} from '@oclif/core'
import {beforeAll, describe, expect, it} from 'vitest'

import {rawSdkOutput} from '../helpers/fresh-shell.js'
import {REPO_ROOT} from '../helpers/sim.js'
import {EXPECTED} from './examples/expectations.js'
import {runGroups, type ExampleGroup, type ExampleRun, type World} from './examples/runner.js'

/**
 * The world a command's examples are written for: complete and heartbeat act on a pending lifecycle
 * action, so theirs run while Auto Scaling terminates the sim's instance; everything else on the fresh sim.
 */
const WORLD: Record<string, World> = {complete: 'terminating', heartbeat: 'terminating'}

interface HelpExample {
  id: string
  command: string
  ours: boolean
}

/** The examples as --help prints them: templates rendered, the plugins' leading `$ ` dropped. */
async function helpExamples(): Promise<HelpExample[]> {
  const config = await Config.load(REPO_ROOT)
  return config.commands.flatMap((c) =>
    (c.examples ?? []).map((e) => {
      const raw = typeof e === 'string' ? e : e.command
      const command = raw
        .replace(/^\$ /, '')
        .replaceAll('<%= config.bin %>', config.bin)
        .replaceAll('<%= command.id %>', c.id.replaceAll(':', config.topicSeparator))
      return {id: c.id, command, ours: c.pluginName === config.name}
    }),
  )
}

let examples: HelpExample[]
let runs: ExampleRun[]
beforeAll(async () => {
  examples = await helpExamples()
  const ids = [...new Set(examples.map((e) => e.id))]
  const groups: ExampleGroup[] = ids.map((id) => ({
    name: `${id} --help`,
    world: WORLD[id] ?? 'fresh',
    commands: examples.filter((e) => e.id === id).map((e) => e.command),
  }))
  runs = await runGroups(groups, 3)
}, 600_000)

describe('every --help example works against `ecsdrain sim`', () => {
  it('every command of ours has examples, and each is a full command line', async () => {
    const config = await Config.load(REPO_ROOT)
    const ours = config.commands.filter((c) => c.pluginName === config.name && !c.hidden)
    expect(ours.length).toBeGreaterThan(5)
    for (const c of ours) expect(examples.filter((e) => e.id === c.id).length, c.id).toBeGreaterThan(0)
    for (const e of examples) {
      expect(e.command, e.command).toMatch(/^ecsdrain /)
      expect(e.command).not.toContain('<%')
    }
  })

  it('each exits as documented, with no raw SDK output', () => {
    const wrong = runs
      .filter((r) => !r.expectation.exit.includes(Number(r.code)) || rawSdkOutput(r.stderr).length > 0)
      .map(
        (r) =>
          `[${r.group}] ${r.command}\n  exit ${r.code}, expected ${r.expectation.exit.join(' or ')} (${r.expectation.why})\n` +
          `  stderr: ${r.stderr.trim().split('\n').slice(-4).join('\n          ')}`,
      )
    expect(wrong, wrong.join('\n')).toEqual([])
    expect(runs.length).toBe(examples.length)
  })

  it('the examples that run until Ctrl-C printed something before it', () => {
    for (const r of runs.filter((x) => x.expectation.interrupt && !/\|/.test(x.command)))
      expect(`${r.stdout}${r.stderr}`.trim(), r.command).not.toBe('')
  })
})

describe('the expectations table', () => {
  it('has no entry for a help example that no longer exists, beside the README lines it also covers', async () => {
    const {readmeCommands} = await import('./examples/readme.js')
    const documented = new Set([...examples.map((e) => e.command), ...readmeCommands()])
    expect(Object.keys(EXPECTED).filter((k) => !documented.has(k))).toEqual([])
  })
})
