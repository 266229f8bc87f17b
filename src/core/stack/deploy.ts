/**
 * Deploys and deletes a CloudFormation stack, reporting what happens as typed events for a renderer (listr2
 * in a terminal, plain lines elsewhere). Deploying always goes through a change set, so the operator sees
 * what will change before anything does; an unchanged template is reported as such. Nothing here knows the
 * hook stack: `install` and `uninstall` (and `sim --hook lambda`) bring the template.
 *
 * Following ends at a deadline and at the operator's interrupt: CloudFormation goes on without us, so the
 * result says where the stack was (outcome `timeout` or `interrupted`, with its last status) and the caller
 * says how to follow it. Before the change set is executed an interrupt deletes it: nothing changed.
 */
import {EcsdrainError, UsageError} from '../errors.js'
import type {Clock} from '../ports.js'
import type {PromptPort} from '../prompt.js'
import type {CloudFormationPort, StackChange, StackInfo} from './port.js'

export type DeployEvent =
  | {type: 'change-set'; changes: StackChange[]; creating: boolean}
  | {type: 'resource'; logicalId: string; resourceType: string; status: string; reason: string | null}
  | {type: 'stack'; status: string; reason: string | null}

export type DeployOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'cancelled'
  | 'failed'
  | 'deleted'
  | 'absent'
  /** Ctrl-C: before the change set was executed (nothing changed), or while following (the stack goes on). */
  | 'interrupted'
  /** The deadline passed while following: the stack goes on. */
  | 'timeout'

/** The JSON of `install` and `uninstall`. Add fields; never rename or remove. */
export interface DeployResult {
  stackName: string
  stackId: string | null
  outcome: DeployOutcome
  /** The stack's status as last seen (for `interrupted` and `timeout`: still under way where it ends _IN_PROGRESS). */
  status: string | null
  changes: StackChange[]
  /** The first resource that failed, with CloudFormation's reason. */
  failure: {logicalId: string; resourceType: string; reason: string} | null
  outputs: Record<string, string>
}

/** How long a deploy or delete is followed by default. CloudFormation's own operations can take longer. */
export const DEFAULT_FOLLOW_TIMEOUT_MS = 30 * 60_000

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i
const TERMINAL = /(_COMPLETE|_FAILED)$/
const BUSY = /_IN_PROGRESS$/

export interface StackOptions {
  stackName: string
  clock: Clock
  pollMs?: number
  onEvent?: (e: DeployEvent) => void
  /** The operator's interrupt (Ctrl-C): stop waiting at once. */
  signal?: AbortSignal
  /** How long to wait for the change set and follow the stack, from the call (default 30 minutes). */
  timeoutMs?: number
}

type Stop = 'interrupted' | 'timeout'

/** Waits, and says why it must stop instead when the interrupt or the deadline comes first. */
class Follow {
  private readonly deadline: number

  constructor(private readonly o: StackOptions) {
    this.deadline = o.clock.now() + (o.timeoutMs ?? DEFAULT_FOLLOW_TIMEOUT_MS)
  }

  stop(): Stop | null {
    if (this.o.signal?.aborted) return 'interrupted'
    return this.o.clock.now() >= this.deadline ? 'timeout' : null
  }

  /** Resolves with the reason to stop, or null after the poll period. */
  async pause(defaultMs: number): Promise<Stop | null> {
    const ms = Math.min(this.o.pollMs ?? defaultMs, Math.max(0, this.deadline - this.o.clock.now()))
    await this.o.clock.sleep(ms, this.o.signal).catch(() => undefined)
    return this.stop()
  }

  emit(e: DeployEvent): void {
    try {
      this.o.onEvent?.(e)
    } catch {
      // A renderer's failure must never change what happens to the stack.
    }
  }
}

async function waitForChangeSet(cfn: CloudFormationPort, f: Follow, id: string, stackName: string) {
  for (;;) {
    const stop = f.stop()
    if (stop) return {stop}
    const cs = await cfn.describeChangeSet(id, stackName)
    if (cs.status !== 'CREATE_PENDING' && cs.status !== 'CREATE_IN_PROGRESS') return {cs}
    const after = await f.pause(1000)
    if (after) return {stop: after}
  }
}

/**
 * The ids of the events already there before an operation starts. Following by id rather than by time
 * keeps a skewed local clock from hiding (or replaying) events.
 */
async function eventsBefore(cfn: CloudFormationPort, stackId: string): Promise<Set<string>> {
  return new Set((await cfn.stackEvents(stackId)).map((e) => e.eventId))
}

/** Follows the stack's new events until a terminal status, the deadline or the interrupt. */
async function follow(
  cfn: CloudFormationPort,
  f: Follow,
  stackId: string,
  seen: Set<string>,
  started: string,
) {
  let failure: DeployResult['failure'] = null
  let status = started
  for (;;) {
    const events = await cfn.stackEvents(stackId)
    for (const e of [...events].reverse()) {
      if (seen.has(e.eventId)) continue
      seen.add(e.eventId)
      if (e.resourceType === 'AWS::CloudFormation::Stack') {
        status = e.status
        f.emit({type: 'stack', status: e.status, reason: e.reason})
        continue
      }
      const {logicalId, resourceType, reason} = e
      f.emit({type: 'resource', logicalId, resourceType, status: e.status, reason})
      if (!failure && e.status.endsWith('_FAILED'))
        failure = {logicalId, resourceType, reason: reason ?? 'no reason given'}
    }
    const stack: StackInfo | undefined = await cfn.describeStack(stackId)
    status = stack?.status ?? status
    if (TERMINAL.test(status) && !/CLEANUP/.test(status)) return {stack, status, failure, stop: null}
    const stop = await f.pause(2000)
    if (stop) return {stack, status, failure, stop}
  }
}

export async function deployStack(
  cfn: CloudFormationPort,
  o: StackOptions & {templateBody: string; description?: string; prompt: PromptPort},
): Promise<DeployResult> {
  const f = new Follow(o)
  const existing = await cfn.describeStack(o.stackName)
  if (existing && BUSY.test(existing.status) && existing.status !== 'REVIEW_IN_PROGRESS') {
    throw new EcsdrainError(`Stack ${o.stackName} is busy (${existing.status}).`, {
      code: 'STACK_BUSY',
      suggestion: 'Wait for the operation under way to finish, then run install again.',
    })
  }
  if (existing?.status === 'ROLLBACK_COMPLETE' || existing?.status === 'ROLLBACK_FAILED') {
    throw new UsageError(`Stack ${o.stackName} failed to create earlier and is ${existing.status}.`, {
      code: 'STACK_ROLLED_BACK',
      suggestion: `Remove it with \`ecsdrain uninstall --stack-name ${o.stackName}\`, then install again.`,
    })
  }
  const creating = !existing || existing.status === 'REVIEW_IN_PROGRESS'
  const {id, stackId} = await cfn.createChangeSet({
    stackName: o.stackName,
    changeSetName: `ecsdrain-${o.clock.now()}`,
    templateBody: o.templateBody,
    type: creating ? 'CREATE' : 'UPDATE',
    description: o.description,
  })
  // Until it is executed, the change set is all there is: whatever ends the run here deletes it.
  const unchanged = async (outcome: DeployOutcome, changes: StackChange[] = []): Promise<DeployResult> => {
    await cfn.deleteChangeSet(id, o.stackName).catch(() => {})
    const status = existing?.status ?? null
    return {
      stackName: o.stackName,
      stackId,
      outcome,
      status,
      changes,
      failure: null,
      outputs: existing?.outputs ?? {},
    }
  }
  const ready = await waitForChangeSet(cfn, f, id, o.stackName)
  if (!ready.cs) return unchanged(ready.stop)
  const cs = ready.cs
  if (cs.status === 'FAILED') {
    if (NO_CHANGES.test(cs.statusReason ?? '')) return unchanged('unchanged')
    await cfn.deleteChangeSet(id, o.stackName).catch(() => {})
    throw new EcsdrainError(
      `CloudFormation refused the change set: ${cs.statusReason ?? 'no reason given'}`,
      {
        code: 'CHANGE_SET_FAILED',
      },
    )
  }
  f.emit({type: 'change-set', changes: cs.changes, creating})
  const answer = await o.prompt.confirm({
    code: 'STACK_EXECUTE_CHANGE_SET',
    message: 'Execute this change set?',
    defaultAnswer: 'no',
  })
  if (answer !== 'yes' || f.stop() === 'interrupted')
    return unchanged(answer === 'no' ? 'cancelled' : 'interrupted', cs.changes)
  const seen = await eventsBefore(cfn, stackId)
  await cfn.executeChangeSet(id, o.stackName)
  const done = await follow(cfn, f, stackId, seen, creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS')
  const ok = done.status === (creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE')
  const outcome: DeployOutcome = done.stop ?? (ok ? (creating ? 'created' : 'updated') : 'failed')
  return {
    stackName: o.stackName,
    stackId,
    outcome,
    status: done.status,
    changes: cs.changes,
    failure: ok ? null : done.failure,
    outputs: done.stack?.outputs ?? {},
  }
}

/** Deletes the stack once the operator says yes (a stack that is not there is `absent`, and not asked about). */
export async function deleteStack(
  cfn: CloudFormationPort,
  o: StackOptions & {prompt: PromptPort},
): Promise<DeployResult> {
  const f = new Follow(o)
  const existing: StackInfo | undefined = await cfn.describeStack(o.stackName)
  const base = {stackName: o.stackName, changes: [], outputs: {}}
  if (!existing) return {...base, stackId: null, outcome: 'absent', status: null, failure: null}
  const kept = {...base, stackId: existing.stackId, status: existing.status, failure: null}
  const message = `Delete stack ${o.stackName} (${existing.status})?`
  const answer = await o.prompt.confirm({code: 'STACK_DELETE', message, defaultAnswer: 'no'})
  if (answer === 'no') return {...kept, outcome: 'cancelled'}
  if (answer === 'interrupted' || f.stop() === 'interrupted') return {...kept, outcome: 'interrupted'}
  const seen = await eventsBefore(cfn, existing.stackId)
  await cfn.deleteStack(existing.stackId)
  const done = await follow(cfn, f, existing.stackId, seen, 'DELETE_IN_PROGRESS')
  const ok = done.status === 'DELETE_COMPLETE'
  return {
    ...base,
    stackId: existing.stackId,
    outcome: done.stop ?? (ok ? 'deleted' : 'failed'),
    status: done.status,
    failure: ok ? null : done.failure,
  }
}
