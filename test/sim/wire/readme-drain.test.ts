/**
 * The README's "Point the AWS CLI at it" section, held true (issue 9, done-when): its table lists exactly the
 * operations the sim serves, and its drain by hand runs, exactly as written, with each AWS CLI against the
 * built `ecsdrain sim --scenario todobackend --hook manual`, every step exiting 0 (`set -euo pipefail` is part
 * of the block), and the drain done right: no lifecycle action completed while a task still ran, no task
 * left to die with its instance. Needs `npm run build` first.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {ManualClock} from '../../../src/sim/clock.js'
import {createWorld} from '../../../src/sim/world/index.js'
import {findAwsClis} from '../../helpers/aws-cli.js'
import {REPO_ROOT, fetchStats, spawnSim, type SpawnedSim} from '../../helpers/sim.js'

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

function between(start: string, end: string): string {
  const from = README.indexOf(start)
  const to = README.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`)
  return README.slice(from + start.length, to)
}

const DRAIN = /```sh\n([^]*?)\n```/.exec(
  between('<!-- readme-drain:start -->', '<!-- readme-drain:end -->'),
)![1]!

describe("the README's table of operations", () => {
  it('lists exactly the operations the sim serves, service by service', () => {
    const rows = between('<!-- sim-operations:start -->', '<!-- sim-operations:end -->')
      .split('\n')
      .filter((line) => /^\| [A-Z]/.test(line) && !line.startsWith('| service'))
    const listed = rows
      .flatMap((row) =>
        row
          .split('|')[2]!
          .split(',')
          .map((op) => op.trim()),
      )
      .sort()
    const world = createWorld({
      clock: new ManualClock(),
      region: 'us-east-1',
      accountId: '123456789012',
      scenario: 'todobackend',
      hook: 'none',
    })
    const served = Object.values(world.handlers)
      .flatMap((ops) => Object.keys(ops ?? {}))
      .sort()
    world.stop()
    expect(listed).toEqual(served)
  })
})

const clis = findAwsClis()
const sims: SpawnedSim[] = []
afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()))
})

/** Runs the block with `aws` on PATH being the given CLI, and E pointing at the sim. */
function runBlock(cli: string, endpoint: string): Promise<{code: number; stdout: string; stderr: string}> {
  const bin = mkdtempSync(join(tmpdir(), 'ecsdrain-readme-'))
  symlinkSync(cli, join(bin, 'aws'))
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-x', '-c', DRAIN],
      {
        env: {
          ...process.env,
          E: endpoint,
          PATH: `${bin}:${process.env.PATH}`,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        timeout: 280_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}),
    )
  })
}

const versions = (['v1', 'v2'] as const).filter((v) => clis[v])

describe.skipIf(versions.length === 0)("the README's drain by hand", () => {
  // One sim per CLI, side by side: each run is mostly the CLI's own start-up (~1 s a call).
  it.concurrent.each(versions)(
    'runs as written with AWS CLI %s, every step exiting 0, and drains without losing a task',
    async (version) => {
      // 5x: the drain's stop timeouts and the hook's heartbeat timeout (300 s: a minute here, room for slow CLI
      // calls on a loaded machine) pass in proportion. A CONTINUE sent before the last task STOPPED is counted
      // as premature (checked at 2x, where the block without its wait loop completes while a task still runs).
      const sim = await spawnSim(['--scenario', 'todobackend', '--hook', 'manual', '--speed', '5'])
      sims.push(sim)
      const r = await runBlock(clis[version]!, sim.ready.endpoint)
      expect(r.code, r.stderr.slice(-4000)).toBe(0)
      expect(r.stdout).toContain('Terminating:Wait')
      expect(r.stdout.trim().split('\n').at(-1)).toBe('1\t1')
      // The wait ran: bash -x traced the check of the instance's tasks.
      expect(r.stderr).toContain('not_stopped')
      const {world, operations} = await fetchStats(sim.ready.endpoint)
      expect(operations['autoscaling:CompleteLifecycleAction']).toEqual({calls: 1, throttled: 0, errors: 0})
      expect(world!.prematureCompletions.count).toBe(0)
      // The instance terminates a few sim seconds after the action is complete; its tasks had all stopped.
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      expect((await fetchStats(sim.ready.endpoint)).world!.tasksAliveAtTermination.count).toBe(0)
    },
    300_000,
  )
})
