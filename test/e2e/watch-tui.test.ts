/**
 * Drives the REAL TUI in a real terminal: tmux runs the built `ecsdrain watch --sim`, the test reads the
 * screen with capture-pane and types with send-keys, as an operator would. Each run gets its own tmux
 * server (-L), so that parallel tests and the developer's own tmux are never touched.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {awsTestEnv, BIN} from '../helpers/run-cli.js'

const SOCKET = `ecsdrain-watch-${process.pid}`
const SESSION = 'watch'
const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-watch-tui-'))
const exitFile = join(dir, 'exit-code')

const envArgs = Object.entries(awsTestEnv({TERM: 'xterm-256color'}))
  .filter(([k, v]) => v !== undefined && /^(AWS_|HOME$|NO_COLOR$|PATH$|TERM$)/.test(k))
  .map(([k, v]) => `${k}='${v}'`)
  .join(' ')

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION)
/** The instance rows of the table: "> i-…" (selected) or "  i-…". */
const instanceRows = (text: string) => text.split('\n').filter((l) => /^[> ] i-[0-9a-f]{17} /.test(l))

async function waitForScreen(
  what: string,
  test: (text: string) => boolean,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let text = ''
  while (Date.now() < deadline) {
    text = screen()
    if (test(text)) return text
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`)
}

beforeAll(() => {
  const found = spawnSync('tmux', ['-V'])
  if (found.status !== 0)
    throw new Error('tmux is required for the TUI e2e test: apt-get install -y tmux (.ci/run does)')
  // A person's terminal, not CI: with CI set, watch prints plain lines (and ink would draw no live frames).
  // A rolling update every 5 s of sim time, at 20x speed: the old instance reaches Terminating:Wait in seconds, and
  // its drain (AWS's 300 s deregistration delay and 30 s stop timeout) takes about 18 s, inside the scenario hook's
  // 900 s HeartbeatTimeout (45 s at 20x; `h` restarts it).
  const command = `env -u CI -u CONTINUOUS_INTEGRATION ${envArgs} node ${BIN} watch --cluster todobackend-cluster --sim --interval 1s --sim-rollout-every 5s --sim-speed 20; echo $? > ${exitFile}; sleep 60`
  tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', command)
})

afterAll(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
})

describe('ecsdrain watch --sim in a terminal', () => {
  it('shows the cluster, its instance with task counts, the service and the chart', async () => {
    const text = await waitForScreen(
      'the first refresh',
      (t) => instanceRows(t).length > 0 && t.includes('RUN/DES') && /┼─+/.test(t),
    )
    expect(text).toContain('todobackend-cluster @ http://127.0.0.1:')
    expect(text).toMatch(/calls \d+ · throttles \d+ · ASG todobackend-ApplicationAutoscaling-\w+ \d\/1\/2/)
    expect(instanceRows(text)[0]).toMatch(/^> i-[0-9a-f]{17} ACTIVE\s+ok\s+1\s+0\s+\d+%\s+\d+%/)
    expect(text).toMatch(/todobackend\s+1\/1\s+0/)
    // The chart: the axis from 0 % to 100 % and a line of points at the todobackend task's ~48 %.
    expect(text).toMatch(/100%\s+┼/)
    expect(text).toMatch(/\s0%\s+┤/)
    expect(text).toMatch(/MemoryReservation min\/60s · live \d+\.\d%/)
    expect(text.match(/─/g)?.length ?? 0).toBeGreaterThan(20)
  }, 90_000)

  it('a rollout puts the old instance in Terminating:Wait; h heartbeats, c is refused, d + y drains it; then it is gone', async () => {
    const text = await waitForScreen('an instance in Terminating:Wait', (t) =>
      instanceRows(t).some((l) => l.includes('Terminating:Wait')),
    )
    const rows = instanceRows(text)
    const target = rows.findIndex((l) => l.includes('Terminating:Wait'))
    const id = rows[target]!.match(/i-[0-9a-f]{17}/)![0]
    expect(rows[target]).toMatch(/hb \d+:\d\d→CONTINUE/)
    // Move the cursor onto it.
    const selected = rows.findIndex((l) => l.startsWith('>'))
    for (let n = selected; n < target; n++) tmux('send-keys', '-t', SESSION, 'Down')
    for (let n = selected; n > target; n--) tmux('send-keys', '-t', SESSION, 'Up')
    await waitForScreen(`the cursor on ${id}`, (t) => instanceRows(t).some((l) => l.startsWith(`> ${id}`)))

    // h records a heartbeat through the engine; c is guarded as `ecsdrain complete`: refused while a task runs.
    tmux('send-keys', '-t', SESSION, 'h')
    await waitForScreen('the heartbeat', (t) => t.includes(`${id}: heartbeat recorded; deadline`))
    tmux('send-keys', '-t', SESSION, 'c')
    await waitForScreen('the complete confirmation', (t) =>
      t.includes(`Complete the lifecycle action of ${id}`),
    )
    tmux('send-keys', '-t', SESSION, 'y')
    const refused = await waitForScreen('the refusal', (t) => t.includes(`task(s) still live on ${id}`))
    expect(instanceRows(refused).find((l) => l.includes(id))).toContain('Terminating:Wait')

    tmux('send-keys', '-t', SESSION, 'd')
    await waitForScreen('the drain confirmation', (t) => t.includes(`Drain ${id}`) && t.includes('[y/N]'))
    tmux('send-keys', '-t', SESSION, 'y')
    await waitForScreen(`${id} DRAINING`, (t) =>
      instanceRows(t).some((l) => l.includes(id) && l.includes('DRAINING')),
    )
    // ecsdrain's own action in the events panel (later ECS events about the target group push it down).
    await waitForScreen(`the event "draining ${id}"`, (t) => t.includes(`draining ${id}`))
    await waitForScreen('the drain to finish', (t) =>
      t.includes(`${id}: drained; lifecycle action completed (CONTINUE)`),
    )
    await waitForScreen(`${id} to leave the table`, (t) => !instanceRows(t).some((l) => l.includes(id)))
  }, 180_000)

  it('q quits cleanly: exit code 0, and the terminal is given back', async () => {
    tmux('send-keys', '-t', SESSION, 'q')
    const deadline = Date.now() + 15_000
    while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0')
    // The alternate screen is gone: the pane no longer shows the TUI.
    expect(screen()).not.toContain('MemoryReservation')
  })
})

describe('ecsdrain watch in a terminal under CI', () => {
  it('prints plain lines instead of a TUI that ink would leave blank', async () => {
    const session = 'ci'
    const command = `env CI=true ${envArgs} node ${BIN} watch --cluster todobackend-cluster --sim --interval 1s; sleep 60`
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '20', command)
    try {
      const deadline = Date.now() + 60_000
      let text = ''
      while (Date.now() < deadline) {
        text = tmux('capture-pane', '-p', '-t', session)
        if (text.split('\n').filter((l) => / \| todobackend-cluster \| instances 1 /.test(l)).length >= 2)
          break
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(text).toMatch(/^\d\d:\d\d:\d\d \| todobackend-cluster \| instances 1 \(ACTIVE 1\)/m)
      expect(text).not.toContain('MemoryReservation min/60s')
    } finally {
      tmux('kill-session', '-t', session)
    }
  }, 90_000)
})
