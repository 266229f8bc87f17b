/**
 * `ecsdrain drain` in a real terminal (tmux), interrupted with Ctrl-C as an operator would: the screen must
 * not show a service as done (✔) while its task is still on the instance, and must say each thing once.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {AutoScalingClient, TerminateInstanceInAutoScalingGroupCommand} from '@aws-sdk/client-auto-scaling'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {RealClock} from '../../src/sim/clock.js'
import {BIN} from '../helpers/run-cli.js'
import {startTestSim, TEST_CREDENTIALS, type TestSim} from '../helpers/sim.js'

const INSTANCE = 'i-0e1210ebdde2f1606'
const SOCKET = `ecsdrain-drain-tty-${process.pid}`
const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-drain-tty-'))
const exitFile = join(dir, 'exit-code')

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'drain', '-S', '-100')

async function waitFor(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen was:\n${screen()}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

let sim: TestSim
beforeAll(async () => {
  if (spawnSync('tmux', ['-V']).status !== 0)
    throw new Error('tmux is required for this test: apt-get install -y tmux (.ci/run does)')
  // AWS's own pace (a 15 s boot for the replacement): the task is still on the instance when Ctrl-C comes.
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual', clock: new RealClock(1)})
  const asg = new AutoScalingClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  })
  await asg.send(
    new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: INSTANCE,
      ShouldDecrementDesiredCapacity: false,
    }),
  )
})
afterAll(async () => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
  await sim?.close()
})

describe('an interrupted drain in a terminal', () => {
  it('marks the unfinished service as not done, and prints the summary and the interrupt message once', async () => {
    const env = `env -u CI -u CONTINUOUS_INTEGRATION HOME=${dir} TERM=xterm-256color NO_COLOR=1`
    const command = `${env} node ${BIN} drain ${INSTANCE} --yes --endpoint-url ${sim.endpoint}; echo $? > ${exitFile}; sleep 60`
    tmux('new-session', '-d', '-s', 'drain', '-x', '150', '-y', '50', command)
    await waitFor('the drain to start', () => screen().includes('todobackend: 0/1 replaced'))
    tmux('send-keys', '-t', 'drain', 'C-c')
    await waitFor('the drain to exit', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8') !== '')
    const text = screen()
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('130')

    const serviceRow = text.split('\n').find((l) => l.includes('todobackend: 0/1 replaced'))!
    expect(serviceRow).toContain('(interrupted)')
    expect(serviceRow).not.toContain('✔')
    const count = (s: string) => text.split(s).length - 1
    expect(count(`${INSTANCE} interrupted: 0/1 task(s) gone`)).toBe(1)
    expect(count('Interrupted: nothing was completed.')).toBe(1)
    expect(count(`Resume: ecsdrain drain ${INSTANCE}`)).toBe(1)
  })
})
