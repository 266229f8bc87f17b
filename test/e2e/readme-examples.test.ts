/**
 * The README's examples, run as written: every ```sh block (see examples/readme.ts for the markers) against
 * its own spawned `ecsdrain sim`, in a fresh shell with only `AWS_ENDPOINT_URL` exported, as the README's
 * Commands section says (examples/runner.ts). Exit codes are the documented ones (examples/expectations.ts).
 */
import {beforeAll, describe, expect, it} from 'vitest'

import {rawSdkOutput} from '../helpers/fresh-shell.js'
import {readmeBlocks, withoutComment} from './examples/readme.js'
import {runGroups, type ExampleRun} from './examples/runner.js'

const blocks = readmeBlocks()
let runs: ExampleRun[]
beforeAll(async () => {
  const runnable = blocks
    .filter((b) => b.skip === null)
    .map((b) => ({...b, commands: b.commands.map(withoutComment)}))
  runs = await runGroups(runnable, 3)
}, 600_000)

describe("the README's examples", () => {
  it('are there to run: most blocks run, and each skipped one says why', () => {
    const skipped = blocks.filter((b) => b.skip !== null)
    expect(blocks.length - skipped.length).toBeGreaterThanOrEqual(6)
    // The first block installs the checkout; everything skipped beyond it must need a real account, or be a
    // script that another test runs whole (the AWS CLI drain by hand: test/sim/wire/readme-drain.test.ts).
    for (const b of skipped.slice(1))
      expect(b.skip, b.name).toMatch(/real AWS|readme-drain\.test\.ts runs it whole/)
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
  })

  it('name ecsdrain as it is installed (on PATH), not ./bin/run.js, past the install block', () => {
    for (const r of runs) expect(r.command, r.group).not.toMatch(/\.\/bin\/run\.js/)
  })
})
