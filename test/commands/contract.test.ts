/**
 * The commands' contract, in process (run-command.ts): usage errors exit 2 with a message and a next step,
 * the documented JSON error shape under --json, and bad input changes nothing. The AWS calls go to an
 * in-process sim over HTTP, through the SDK, as in the e2e tests; only the process and the bundle are left
 * out (the e2e tests cover those for the paths that need them).
 */
import {
  DescribeAutoScalingInstancesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import Complete from '../../src/commands/complete.js'
import Drain from '../../src/commands/drain.js'
import Install from '../../src/commands/install.js'
import Instances from '../../src/commands/instances.js'
import Refresh from '../../src/commands/refresh.js'
import Undrain from '../../src/commands/undrain.js'
import Uninstall from '../../src/commands/uninstall.js'
import {simClients, startTestSim, type TestSim} from '../helpers/sim.js'
import {runCommand} from './run-command.js'

const CLUSTER = 'todobackend-cluster'
const UNKNOWN = 'i-0123456789abcdef0'

let sim: TestSim
/** An instance of the seed's cluster. */
let known: string
beforeAll(async () => {
  sim = await startTestSim({scenario: 'todobackend', hook: 'manual'})
  const listed = await runCommand(Instances, ['--json', '--endpoint-url', sim.endpoint])
  expect(listed.code, listed.stderr).toBe(0)
  known = (listed.result as {instances: Array<{ec2InstanceId: string}>}).instances[0]!.ec2InstanceId
})
afterAll(async () => {
  await sim?.close()
})

const calls = async (operation: string) => (await sim.fetchStats()).operations[operation]?.calls ?? 0
const atSim = (...args: string[]) => [...args, '--endpoint-url', sim.endpoint]

describe('usage errors exit 2 with the documented JSON shape under --json', () => {
  it('a flag value the parser rejects: USAGE, with the help hint as the suggestion', async () => {
    const r = await runCommand(Complete, [UNKNOWN, '--result', 'FOO', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'USAGE',
        message: expect.stringContaining('Expected --result=FOO to be one of: CONTINUE, ABANDON'),
        suggestion: expect.stringContaining('ecsdrain complete --help'),
      },
    })
  })

  it("one of our own flag errors keeps its message, without oclif's parsing wrapper", async () => {
    const r = await runCommand(Drain, [UNKNOWN, '--timeout', 'soon', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'BAD_DURATION',
        message: '--timeout "soon" is not a duration of at least 1 ms.',
        suggestion: expect.stringContaining('30s, 5m or 1h'),
      },
    })
  })

  it('an unknown flag: USAGE', async () => {
    const r = await runCommand(Instances, ['--no-such-flag', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'USAGE',
        message: expect.stringContaining('--no-such-flag'),
        suggestion: expect.any(String),
      },
    })
  })

  it('an error found against AWS: its code, message and next step, on stdout', async () => {
    const r = await runCommand(Drain, atSim(UNKNOWN, '--yes', '--json'))
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: expect.any(String),
        message: expect.stringMatching(/Not a container instance/),
        suggestion: expect.any(String),
      },
    })
  })
})

describe('bad input exits 2, says what to do, and changes nothing', () => {
  const cases: Array<[string, Parameters<typeof runCommand>[0], () => string[], RegExp]> = [
    ['an id that is not an EC2 instance id', Drain, () => atSim('i-123', '--yes'), /Not an EC2 instance id/],
    [
      'an EC2 id that is no container instance',
      Drain,
      () => atSim(UNKNOWN, '--yes'),
      /Not a container instance/,
    ],
    [
      'an unknown cluster',
      Drain,
      () => atSim(known, '--yes', '--cluster', 'nope'),
      /Cluster "nope" was not found/,
    ],
    [
      'flags that exclude each other',
      Drain,
      () => atSim(known, '--dry-run', '--no-wait'),
      /cannot also be provided|--no-wait/,
    ],
    ['a duration that is none', Drain, () => atSim(known, '--yes', '--timeout', 'soon'), /not a duration/],
    ['no --yes and no terminal to ask in', Drain, () => atSim(known), /Next step: Pass --yes/],
    ['neither instances nor --asg', Drain, () => atSim('--yes'), /ecsdrain drain i-/],
    ['an uppercase id', Complete, () => atSim('I-XYZ'), /Not an EC2 instance id/],
    ['undrain of an unknown instance', Undrain, () => atSim(UNKNOWN), /Not a container instance/],
    ['uninstall with nobody to confirm', Uninstall, () => atSim(), /needs a confirmation/],
    [
      'install of an unknown group',
      Install,
      () => atSim('--asg', 'no-such-group', '--yes'),
      /Auto Scaling group no-such-group was not found/,
    ],
    [
      'install in an unknown cluster',
      Install,
      () => atSim('--cluster', 'no-such-cluster', '--yes'),
      /no-such-cluster/,
    ],
  ]
  it.each(cases)('%s', async (_, cmd, args, message) => {
    const r = await runCommand(cmd, args())
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('--hook that the group of a terminating instance does not have', async () => {
    // Given the instance waiting in Terminating:Wait behind the scenario's hook
    const {autoScaling} = simClients(sim.endpoint)
    await autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: known,
        ShouldDecrementDesiredCapacity: false,
      }),
    )
    sim.manualClock!.advance(1000)
    const state = await autoScaling.send(new DescribeAutoScalingInstancesCommand({InstanceIds: [known]}))
    expect(state.AutoScalingInstances![0]!.LifecycleState).toBe('Terminating:Wait')
    const r = await runCommand(Drain, atSim(known, '--yes', '--hook', 'other'))
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/no terminating lifecycle hook named other/)
    expect(r.stderr).toMatch(/Next step: Its terminating hooks: todobackend-drain-hook/)
  })

  it('none of them changed an instance, a lifecycle action or a stack', async () => {
    expect(await calls('ecs:UpdateContainerInstancesState')).toBe(0)
    expect(await calls('autoscaling:CompleteLifecycleAction')).toBe(0)
    expect(await calls('cloudformation:CreateChangeSet')).toBe(0)
    expect(await calls('cloudformation:DeleteStack')).toBe(0)
  })
})

describe('an --endpoint-url that could leak or mislead', () => {
  it('user:password@, a query string or a fragment: exit 2 before any call, the password not echoed', async () => {
    const port = new URL(sim.endpoint).port
    const before = (await sim.fetchStats()).totals.calls
    for (const bad of [
      `http://admin:hunter2@127.0.0.1:${port}`,
      `http://127.0.0.1:${port}/?region=x`,
      `http://127.0.0.1:${port}/#x`,
    ]) {
      const r = await runCommand(Drain, [known, '--yes', '--endpoint-url', bad])
      expect(r.code, bad).toBe(2)
      expect(r.stderr).toMatch(
        /--endpoint-url ".*" (has a user name or password|has a query string|has a fragment)/,
      )
      expect(r.stderr + r.stdout).not.toContain('hunter2')
    }
    expect((await sim.fetchStats()).totals.calls).toBe(before)
  })
})

describe('uninstall with no stack', () => {
  it('exits 0: nothing to delete', async () => {
    const r = await runCommand(Uninstall, atSim('--cluster', CLUSTER, '--yes'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/nothing to delete/)
    expect(r.result).toMatchObject({outcome: 'absent'})
  })
})

describe('install without a terminal', () => {
  it('says what would clash with the hook, then refuses for want of a confirmation (exit 2)', async () => {
    const r = await runCommand(Install, atSim('--cluster', CLUSTER))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/already has a terminating lifecycle hook, todobackend-drain-hook/)
    expect(r.stderr).toMatch(/needs a confirmation/)
    expect(r.stderr.indexOf('lifecycle hook')).toBeLessThan(r.stderr.indexOf('needs a confirmation'))
    expect(await calls('cloudformation:CreateChangeSet')).toBe(0)
  })
})

describe('refresh: bad input and no terminal exit 2 before any call', () => {
  it('--max-healthy alone, --follow without one --asg, and no --yes with no terminal to ask in', async () => {
    const allCalls = async () =>
      Object.values((await sim.fetchStats()).operations).reduce((n, o) => n + (o?.calls ?? 0), 0)
    const before = await allCalls()
    const cases: [string[], RegExp][] = [
      [['--max-healthy', '150', '--yes'], /--max-healthy needs --min-healthy too/],
      [['--follow', 'some-refresh-id', '--yes'], /--follow needs exactly one --asg/],
      [[], /needs confirmation; there is no terminal to ask in/],
    ]
    for (const [args, message] of cases) {
      const r = await runCommand(Refresh, atSim('--cluster', CLUSTER, ...args, '--json'))
      expect(r.code, args.join(' ')).toBe(2)
      expect((JSON.parse(r.stdout) as {error: {message: string}}).error.message).toMatch(message)
    }
    // Not one call reached AWS: the flags are refused before the clients are built.
    expect(await allCalls()).toBe(before)
  })
})
