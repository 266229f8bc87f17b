import {describe, expect, it} from 'vitest'

import {assumeYes, noAnswers} from '../../../src/core/prompt.js'
import {deleteStack, deployStack, type DeployEvent} from '../../../src/core/stack/deploy.js'
import type {
  ChangeSetInfo,
  CloudFormationPort,
  StackEventInfo,
  StackInfo,
} from '../../../src/core/stack/port.js'
import {FakeClock} from '../../hook/fakes.js'

/**
 * A scripted CloudFormation: the change set's fate and the resource events its execution produces. The
 * deploy logic is tested against it for the paths the sim makes hard to reach (a resource that fails).
 */
function fakeCfn(
  clock: FakeClock,
  script: {
    existing?: StackInfo
    changeSet: Partial<ChangeSetInfo>
    run?: Array<[string, string, string | null]>
    final?: string
    /** How far behind our clock CloudFormation's event timestamps are. */
    skewMs?: number
  },
) {
  const calls: string[] = []
  let stack = script.existing
  const events: StackEventInfo[] = []
  const add = (logicalId: string, status: string, reason: string | null, type = 'AWS::SNS::Topic') =>
    events.unshift({
      eventId: String(events.length),
      logicalId,
      physicalId: '',
      resourceType: type,
      status,
      reason,
      timestamp: new Date(clock.now() - (script.skewMs ?? 0)),
    })
  const port: CloudFormationPort = {
    describeStack: async () => stack,
    createChangeSet: async (i) => {
      calls.push(`create:${i.type}`)
      return {id: 'cs-1', stackId: 'stack-1'}
    },
    describeChangeSet: async () => ({
      id: 'cs-1',
      status: 'CREATE_COMPLETE',
      statusReason: null,
      executionStatus: 'AVAILABLE',
      changes: [{action: 'Add', logicalId: 'Topic', resourceType: 'AWS::SNS::Topic', replacement: null}],
      ...script.changeSet,
    }),
    executeChangeSet: async () => {
      calls.push('execute')
      for (const [id, status, reason] of script.run ?? []) add(id, status, reason)
      add('s', script.final ?? 'CREATE_COMPLETE', null, 'AWS::CloudFormation::Stack')
      stack = {
        stackId: 'stack-1',
        stackName: 's',
        status: script.final ?? 'CREATE_COMPLETE',
        statusReason: null,
        outputs: {A: 'b'},
      }
    },
    deleteChangeSet: async () => void calls.push('delete-change-set'),
    stackEvents: async () => events,
    deleteStack: async () => {
      calls.push('delete-stack')
      add('Topic', 'DELETE_COMPLETE', null)
      stack = {...stack!, status: 'DELETE_COMPLETE'}
    },
  }
  return {port, calls}
}

/** A stack named `s` that is already there, in the given status. */
function existingStack(stackId: string, status: string) {
  return {stackId, stackName: 's', status, statusReason: null, outputs: {}}
}

describe('deployStack', () => {
  it('creates through a change set and reports each resource event', async () => {
    const clock = new FakeClock()
    const {port, calls} = fakeCfn(clock, {
      changeSet: {},
      run: [
        ['Topic', 'CREATE_IN_PROGRESS', null],
        ['Topic', 'CREATE_COMPLETE', null],
      ],
    })
    const events: DeployEvent[] = []
    const r = await deployStack(port, {
      clock,
      prompt: assumeYes,
      stackName: 's',
      templateBody: '{}',
      onEvent: (e) => events.push(e),
    })
    expect(r).toMatchObject({outcome: 'created', status: 'CREATE_COMPLETE', outputs: {A: 'b'}, failure: null})
    expect(calls).toEqual(['create:CREATE', 'execute'])
    expect(events.filter((e) => e.type === 'resource').map((e) => (e as {status: string}).status)).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
    ])
  })

  it('follows events by id, so a local clock ahead of AWS hides none of them', async () => {
    const clock = new FakeClock()
    const {port} = fakeCfn(clock, {changeSet: {}, skewMs: 600_000, run: [['Topic', 'CREATE_COMPLETE', null]]})
    const events: DeployEvent[] = []
    await deployStack(port, {
      clock,
      prompt: assumeYes,
      stackName: 's',
      templateBody: '{}',
      onEvent: (e) => events.push(e),
    })
    expect(events.filter((e) => e.type === 'resource')).toHaveLength(1)
  })

  it("names the failing resource and CloudFormation's reason", async () => {
    const clock = new FakeClock()
    const {port} = fakeCfn(clock, {
      changeSet: {},
      run: [
        ['Topic', 'CREATE_IN_PROGRESS', null],
        ['Topic', 'CREATE_FAILED', 'Resource handler returned message: "Access denied"'],
        ['Topic', 'DELETE_COMPLETE', null],
      ],
      final: 'ROLLBACK_COMPLETE',
    })
    const r = await deployStack(port, {clock, prompt: assumeYes, stackName: 's', templateBody: '{}'})
    expect(r.outcome).toBe('failed')
    expect(r.failure).toEqual({
      logicalId: 'Topic',
      resourceType: 'AWS::SNS::Topic',
      reason: 'Resource handler returned message: "Access denied"',
    })
  })

  it('says unchanged when the change set has nothing to do, and cleans it up', async () => {
    const clock = new FakeClock()
    const existing = existingStack('stack-1', 'CREATE_COMPLETE')
    const {port, calls} = fakeCfn(clock, {
      existing,
      changeSet: {
        status: 'FAILED',
        statusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      },
    })
    const r = await deployStack(port, {clock, prompt: assumeYes, stackName: 's', templateBody: '{}'})
    expect(r.outcome).toBe('unchanged')
    expect(calls).toEqual(['create:UPDATE', 'delete-change-set'])
  })

  it('executes nothing when the operator declines the change set', async () => {
    const clock = new FakeClock()
    const {port, calls} = fakeCfn(clock, {changeSet: {}})
    const r = await deployStack(port, {clock, prompt: noAnswers, stackName: 's', templateBody: '{}'})
    expect(r.outcome).toBe('cancelled')
    expect(calls).not.toContain('execute')
  })

  it('refuses a stack left in ROLLBACK_COMPLETE, pointing at uninstall', async () => {
    const clock = new FakeClock()
    const existing = existingStack('x', 'ROLLBACK_COMPLETE')
    const {port, calls} = fakeCfn(clock, {existing, changeSet: {}})
    await expect(
      deployStack(port, {clock, prompt: assumeYes, stackName: 's', templateBody: '{}'}),
    ).rejects.toMatchObject({
      exitCode: 2,
      suggestion: expect.stringContaining('ecsdrain uninstall'),
    })
    expect(calls).toEqual([])
  })

  it('stops following at its deadline: outcome timeout, with the status the stack was still in', async () => {
    const clock = new FakeClock()
    const {port} = fakeCfn(clock, {changeSet: {}, final: 'CREATE_IN_PROGRESS'})
    const start = clock.now()
    const r = await deployStack(port, {
      clock,
      prompt: assumeYes,
      stackName: 's',
      templateBody: '{}',
      timeoutMs: 60_000,
    })
    expect(r).toMatchObject({outcome: 'timeout', status: 'CREATE_IN_PROGRESS', stackId: 'stack-1'})
    expect(clock.now() - start).toBeLessThanOrEqual(60_000)
  })

  it('Ctrl-C while following stops at once: outcome interrupted, the status last seen', async () => {
    const clock = new FakeClock()
    const {port, calls} = fakeCfn(clock, {
      changeSet: {},
      run: [['Topic', 'CREATE_IN_PROGRESS', null]],
      final: 'CREATE_IN_PROGRESS',
    })
    const abort = new AbortController()
    let followed = 0
    const events = port.stackEvents
    port.stackEvents = async (id) => (followed++, events(id))
    const r = await deployStack(port, {
      clock,
      prompt: assumeYes,
      stackName: 's',
      templateBody: '{}',
      signal: abort.signal,
      onEvent: (e) => e.type === 'resource' && abort.abort(),
    })
    expect(r).toMatchObject({outcome: 'interrupted', status: 'CREATE_IN_PROGRESS'})
    expect(calls).toContain('execute')
    // One look before executing, one round of following: no more polling after the interrupt.
    expect(followed).toBe(2)
  })

  it('Ctrl-C at the question deletes the change set: nothing is executed', async () => {
    const clock = new FakeClock()
    const {port, calls} = fakeCfn(clock, {changeSet: {}})
    const asked: string[] = []
    const r = await deployStack(port, {
      clock,
      stackName: 's',
      templateBody: '{}',
      prompt: {...noAnswers, confirm: async (q) => (asked.push(q.code), 'interrupted')},
    })
    expect(asked).toEqual(['STACK_EXECUTE_CHANGE_SET'])
    expect(r).toMatchObject({outcome: 'interrupted', status: null})
    expect(calls).toEqual(['create:CREATE', 'delete-change-set'])
  })

  it('deletes with events, and reports a missing stack as absent', async () => {
    const clock = new FakeClock()
    const existing = existingStack('stack-1', 'CREATE_COMPLETE')
    const {port} = fakeCfn(clock, {existing, changeSet: {}})
    expect(await deleteStack(port, {clock, prompt: assumeYes, stackName: 's'})).toMatchObject({
      outcome: 'deleted',
      status: 'DELETE_COMPLETE',
    })
    const interrupted = fakeCfn(clock, {existing, changeSet: {}})
    const abort = new AbortController()
    abort.abort()
    expect(
      await deleteStack(interrupted.port, {clock, prompt: assumeYes, stackName: 's', signal: abort.signal}),
    ).toMatchObject({
      outcome: 'interrupted',
      status: 'CREATE_COMPLETE',
    })
    expect(interrupted.calls).toEqual([])
    const declined = fakeCfn(clock, {existing, changeSet: {}})
    expect(await deleteStack(declined.port, {clock, prompt: noAnswers, stackName: 's'})).toMatchObject({
      outcome: 'cancelled',
    })
    expect(declined.calls).toEqual([])
    const none = fakeCfn(clock, {changeSet: {}})
    expect(await deleteStack(none.port, {clock, prompt: assumeYes, stackName: 's'})).toMatchObject({
      outcome: 'absent',
    })
    expect(none.calls).toEqual([])
  })
})
