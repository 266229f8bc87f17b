/**
 * Drives the REAL TUI in a real terminal at the four sizes an operator uses (80×24, 100×30, 160×50,
 * 240×60): tmux runs the built `ecsdrain watch --sim`, the test reads the screen with capture-pane and types
 * with send-keys, as a person would, and checks what a person looks for: nothing important cut to "…", the
 * rows shared by what the panes hold, the help whole, find, sort, details, events in full, the keys that
 * change something asking first (or refusing before asking), and --readonly showing none of them.
 *
 * One size at a time, each with its own embedded sim (the TUI's countdowns and chart follow that sim's
 * clock), at --sim-speed 10: a rollout reaches Terminating:Wait in seconds, and a drain with AWS's timings
 * (300 s deregistration delay, 30 s stopTimeout) takes about 35 s; each run gets its own tmux
 * server (-L), so that the developer's own tmux is never touched. One capture per size is saved under
 * $TMPDIR (ecsdrain-watch-<W>x<H>.txt) for a person to read.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {awsTestEnv, BIN} from '../helpers/run-cli.js'

const SOCKET = `ecsdrain-watch-${process.pid}`
const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-watch-tui-'))

const envArgs = Object.entries(awsTestEnv({TERM: 'xterm-256color'}))
  .filter(([k, v]) => v !== undefined && /^(AWS_|HOME$|NO_COLOR$|PATH$|TERM$)/.test(k))
  .map(([k, v]) => `${k}='${v}'`)
  .join(' ')

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
}

const INSTANCE_ROW = /^[> ] i-[0-9a-f]{17} /
const instanceRows = (text: string) => text.split('\n').filter((l) => INSTANCE_ROW.test(l))
/** The pane's lines (capture-pane ends its output with a newline). */
const linesOf = (text: string) => text.replace(/\n$/, '').split('\n')
/** Below the two header lines. */
/** Below the header: its two lines, and the refresh panel's line (Auto Scaling's StatusReason, cut to fit). */
const body = (text: string) => {
  const rest = linesOf(text).slice(2)
  return (rest[0]?.startsWith('⟳ instance refresh') ? rest.slice(1) : rest).join('\n')
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One `watch --sim` in its own tmux session of a given size. */
class Tui {
  readonly session: string
  readonly exitFile: string

  constructor(
    readonly columns: number,
    readonly rows: number,
    extra: string[] = [],
  ) {
    this.session = `w${columns}x${rows}`
    this.exitFile = join(dir, `${this.session}.exit`)
    // A person's terminal, not CI: with CI set, watch prints plain lines (and ink would draw no live frames).
    const command = `env -u CI -u CONTINUOUS_INTEGRATION ${envArgs} node ${BIN} watch --cluster todobackend-cluster --sim --interval 1s --sim-rollout-every 5s --sim-speed 10 ${extra.join(' ')}; echo $? > ${this.exitFile}; sleep 60`
    tmux('new-session', '-d', '-s', this.session, '-x', String(columns), '-y', String(rows), command)
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.session)
  }

  /** One key at a time, at a person's pace: keys sent together reach ink as one chunk. */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      tmux('send-keys', '-t', this.session, k)
      await pause(120)
    }
  }

  /** Types text literally (send-keys -l), so that "d" in a filter is a letter, not a key name. */
  type(text: string): void {
    tmux('send-keys', '-t', this.session, '-l', text)
  }

  async waitFor(what: string, test: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    let text = ''
    while (Date.now() < deadline) {
      text = this.screen()
      if (test(text)) return text
      await pause(250)
    }
    throw new Error(`${this.session}: timed out waiting for ${what}; the screen was:\n${text}`)
  }

  save(text: string, suffix = ''): void {
    writeFileSync(join(tmpdir(), `ecsdrain-watch-${this.columns}x${this.rows}${suffix}.txt`), text)
  }

  /** Puts the cursor on the row of `id`. */
  async select(id: string): Promise<void> {
    const rows = instanceRows(this.screen())
    const target = rows.findIndex((l) => l.includes(id))
    const selected = rows.findIndex((l) => l.startsWith('>'))
    for (let n = selected; n < target; n++) await this.keys('Down')
    for (let n = selected; n > target; n--) await this.keys('Up')
    await this.waitFor(`the cursor on ${id}`, (t) => instanceRows(t).some((l) => l.startsWith(`> ${id}`)))
  }

  async quit(): Promise<string> {
    await this.keys('q')
    const deadline = Date.now() + 15_000
    while (!existsSync(this.exitFile) && Date.now() < deadline) await pause(200)
    return existsSync(this.exitFile) ? readFileSync(this.exitFile, 'utf8').trim() : 'still running'
  }
}

beforeAll(() => {
  const found = spawnSync('tmux', ['-V'])
  if (found.status !== 0)
    throw new Error('tmux is required for the TUI e2e test: apt-get install -y tmux (.ci/run does)')
})

afterAll(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
  rmSync(dir, {recursive: true, force: true})
})

/** What every size must show on its first screen, and the keys that only look. */
async function looksRight(tui: Tui): Promise<string> {
  const text = await tui.waitFor(
    'the first refresh with the chart and a rollout under way',
    (t) =>
      instanceRows(t).length > 0 &&
      t.includes('RUN/DES') &&
      /\d\d:\d\d\s+\d\d:\d\d/.test(t) &&
      /^\d\d:\d\d:\d\d ASG {6}\S/m.test(t),
  )
  const lines = linesOf(text)
  expect(lines.length).toBe(tui.rows)
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(tui.columns)
  expect(text).toContain('todobackend-cluster @ http://127.0.0.1:')
  expect(text).toMatch(/refreshed \d\d:\d\d:\d\d UTC/)
  expect(text).toMatch(/ASG todobackend\S* \d\/1\/2/)
  expect(text).toMatch(/calls \d+ · throttles \d+/)
  expect(text).toMatch(/INSTANCES \(\d\) · sorted by registration ▲ \(o\/O\)/)
  expect(instanceRows(text)[0]).toMatch(/^> i-[0-9a-f]{17} ACTIVE /)
  // No instance row is cut short: every column fits.
  expect(instanceRows(text).join('\n')).not.toContain('…')
  // The rows are shared by content: the chart comes right under the last instance, no empty rows between.
  const last = lines.findLastIndex((l) => INSTANCE_ROW.test(l))
  expect(lines[last + 1]).toMatch(/^MemoryReservation/)
  // The chart has its time axis and a legend for its marks.
  expect(text).toMatch(/100%\s+┼/)
  expect(text).toMatch(/^\s+\d\d:\d\d\s+\d\d:\d\d/m)
  expect(text).toContain('▲ 0% minute (outage)  · no data')
  expect(text).toMatch(/EVENTS \(newest first, UTC\)/)
  expect(text).toMatch(/^\d\d:\d\d:\d\d ASG {6}\S/m)
  expect(lines.at(-1)).toMatch(/\? help {2}q quit$/)

  // ? shows the whole help: not one line cut.
  await tui.keys('?')
  const help = await tui.waitFor('the help', (t) => t.includes('Press ? or Esc to close.'))
  // (The header may cut a long group name; the panes below it must not cut anything.)
  expect(body(help)).not.toContain('…')
  expect(help).toMatch(/o {2}O\s+sort by the next column \/ reverse/)
  await tui.keys('Escape')
  await tui.waitFor('the help to close', (t) => t.includes('MemoryReservation'))

  // Enter: the selected instance's details, with its tasks loaded for it alone.
  await tui.keys('Enter')
  const details = await tui.waitFor(
    'the details with the tasks',
    (t) => /TASKS · \d+ not STOPPED/.test(t) && /loaded/.test(t),
  )
  expect(details).toMatch(/^ {2}[0-9a-f]{32} todobackend\s+\S+\s+(RUNNING|STOPPED)/m)
  expect(details.replace(/\n\s*/g, ' ')).toMatch(/Auto Scaling: todobackend-\S+ · /)
  expect(body(details)).not.toContain('…')
  tui.save(details, '-details')
  await tui.keys('Escape')
  await tui.waitFor('the table again', (t) => t.includes('MemoryReservation'))

  // / filters as it is typed; Esc clears it.
  await tui.keys('/')
  tui.type('inservice')
  const filtered = await tui.waitFor('the filter', (t) => t.includes('filter /inservice'))
  expect(instanceRows(filtered).every((l) => /InService/.test(l))).toBe(true)
  await tui.keys('Enter', 'Escape')
  await tui.waitFor('the filter cleared', (t) => !t.includes('filter /'))

  // o sorts by the next column, shown in the caption and marked in the header.
  await tui.keys('o')
  await tui.waitFor(
    'the sort by INSTANCE',
    (t) => t.includes('sorted by INSTANCE ▲') && t.includes('INSTANCE▲'),
  )
  await tui.keys('O')
  await tui.waitFor('the reversed sort', (t) => t.includes('sorted by INSTANCE ▼'))

  // e: the events in full, and s by source.
  await tui.keys('e')
  const full = await tui.waitFor('the events screen', (t) => t.includes('EVENTS in full'))
  const firstEvent = body(full).split('\n')[0]!
  expect(firstEvent.length).toBeLessThanOrEqual(tui.columns)
  expect(firstEvent).not.toContain('…')
  await tui.keys('s')
  const ecsOnly = await tui.waitFor('ECS events only', (t) => t.includes('ECS only'))
  expect(ecsOnly).not.toMatch(/^\d\d:\d\d:\d\d ASG /m)
  await tui.keys('s', 's', 's', 'Escape')
  return tui.waitFor('the table again', (t) => t.includes('MemoryReservation') && t.includes('all sources'))
}

/** The keys that change something: d asks and drains with progress that is never cut; c refuses before asking. */
async function drainsTheTerminatingInstance(tui: Tui): Promise<void> {
  const text = await tui.waitFor('an instance in Terminating:Wait', (t) =>
    instanceRows(t).some((l) => /Term(inating)?:Wait/.test(l)),
  )
  const row = instanceRows(text).find((l) => /Term(inating)?:Wait/.test(l))!
  const id = row.match(/i-[0-9a-f]{17}/)![0]
  expect(row).toMatch(/hb \d+:\d\d/)
  await tui.select(id)

  // c checks complete's guard first: a task is live, so it refuses and asks nothing.
  await tui.keys('c')
  const refused = await tui.waitFor('the refusal', (t) => t.includes('complete refused:'))
  expect(refused.replace(/\n/g, ' ')).toContain(`task(s) still live on ${id}`)
  expect(refused).not.toContain('[y/N]')

  await tui.keys('d')
  await tui.waitFor('the drain confirmation', (t) => t.includes(`Drain ${id}`) && t.includes('[y/N]'))
  await tui.keys('y')
  const draining = await tui.waitFor(`${id} DRAINING with its progress`, (t) =>
    instanceRows(t).some(
      (l) => l.includes(id) && l.includes('DRAINING') && /(task\(s\)|left, \d+ stopping)/.test(l),
    ),
  )
  tui.save(draining, '-draining')
  expect(instanceRows(draining).find((l) => l.includes(id))).not.toContain('…')
  await tui.waitFor(
    'the drain to finish',
    (t) =>
      t.includes(`drain ${id}: drained; lifecycle action completed`) ||
      instanceRows(t).some((l) => l.includes(id) && l.includes('drained, CONTINUE sent')),
    150_000,
  )
  // The outcome is one line; e shows it whole, with the drain's start and heartbeat lines.
  await tui.keys('e')
  // (A long event goes on under itself, indented under the message: join those lines to read it.)
  const unwrapped = (t: string) => t.replace(/\n {18}/g, ' ')
  const events = await tui.waitFor('the outcome in full', (t) =>
    unwrapped(t).includes(`drain ${id}: drained; lifecycle action completed (CONTINUE)`),
  )
  expect(unwrapped(events).match(new RegExp(`drain ${id}: drained`, 'g'))).toHaveLength(1)
  await tui.keys('Escape')
  await tui.waitFor(
    `${id} to leave the table`,
    (t) => t.includes('MemoryReservation') && !instanceRows(t).some((l) => l.includes(id)),
  )
}

describe('ecsdrain watch --sim in a terminal', () => {
  it('80×24: readable, the keys that look work, and a drain’s progress fits', async () => {
    const tui = new Tui(80, 24)
    tui.save(await looksRight(tui))
    await drainsTheTerminatingInstance(tui)
    expect(await tui.quit()).toBe('0')
  }, 360_000)

  it('100×30: u asks (or says there is nothing to do), h heartbeats, a drain is never cut; q gives the terminal back', async () => {
    const tui = new Tui(100, 30)
    const text = await looksRight(tui)
    tui.save(text)
    // u on an ACTIVE instance: nothing to undrain, and no question.
    await tui.keys('u')
    await tui.waitFor('the undrain notice', (t) => /is already ACTIVE: nothing to undrain/.test(t))
    const waiting = await tui.waitFor('an instance in Terminating:Wait', (t) =>
      instanceRows(t).some((l) => l.includes('Term:Wait')),
    )
    const id = instanceRows(waiting)
      .find((l) => l.includes('Term:Wait'))!
      .match(/i-[0-9a-f]{17}/)![0]
    await tui.select(id)
    await tui.keys('h')
    await tui.waitFor('the heartbeat', (t) => t.includes(`heartbeat ${id}: heartbeat recorded; deadline`))
    await drainsTheTerminatingInstance(tui)
    expect(await tui.quit()).toBe('0')
    // The alternate screen is gone: the pane no longer shows the TUI.
    expect(tui.screen()).not.toContain('MemoryReservation')
  }, 360_000)

  it('160×50: the events get the rows that two instances leave', async () => {
    const tui = new Tui(160, 50)
    const text = await looksRight(tui)
    tui.save(text)
    const lines = linesOf(text)
    const caption = lines.findIndex((l) => l.startsWith('EVENTS'))
    // From the events caption down to the footer: 50 rows less the header, two captions, the instances and
    // the chart; far more than the 7 the pane had.
    expect(lines.length - 1 - caption - 1).toBeGreaterThanOrEqual(50 - 2 - 3 - 1 - 3 - 14)
    expect(await tui.quit()).toBe('0')
  }, 360_000)

  it('240×60 --readonly: no key that changes anything is shown or taken', async () => {
    const tui = new Tui(240, 60, ['--readonly'])
    const text = await looksRight(tui)
    tui.save(text)
    expect(text).toContain('READ-ONLY')
    expect(text).not.toMatch(/\b[duch] (drain|undrain|complete|heartbeat)\b/)
    await tui.keys('?')
    const help = await tui.waitFor('the help', (t) => t.includes('Press ? or Esc to close.'))
    expect(help).toContain('watch --readonly: no key here changes the cluster')
    expect(help).not.toMatch(/│ [duch] {2}/)
    await tui.keys('Escape', 'd')
    const refused = await tui.waitFor('the read-only notice', (t) =>
      t.includes('read-only (watch --readonly)'),
    )
    expect(refused).not.toContain('[y/N]')
    expect(await tui.quit()).toBe('0')
  }, 360_000)
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
        await pause(250)
      }
      expect(text).toMatch(/^\d\d:\d\d:\d\d \| todobackend-cluster \| instances 1 \(ACTIVE 1\)/m)
      expect(text).not.toContain('MemoryReservation min/60s')
    } finally {
      tmux('kill-session', '-t', session)
    }
  }, 90_000)
})
