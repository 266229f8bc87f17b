/**
 * Deploys and deletes the hook stack through CloudFormation, reporting what happens as typed events for a
 * renderer (listr2 in a terminal, plain lines elsewhere). Deploying always goes through a change set, so
 * the operator sees what will change before anything does; an unchanged template is reported as such.
 */
import {EcsdrainError, UsageError} from '../core/errors.js'
import type {Clock} from '../core/ports.js'
import type {CloudFormationPort, StackChange, StackEventInfo, StackInfo} from '../core/stack-port.js'

export type DeployEvent =
  | {type: 'change-set'; changes: StackChange[]; creating: boolean}
  | {type: 'resource'; logicalId: string; resourceType: string; status: string; reason: string | null}
  | {type: 'stack'; status: string; reason: string | null}

export type DeployOutcome =
  'created' | 'updated' | 'unchanged' | 'cancelled' | 'failed' | 'deleted' | 'absent'

export interface DeployResult {
  stackName: string
  stackId: string | null
  outcome: DeployOutcome
  status: string | null
  changes: StackChange[]
  /** The first resource that failed, with CloudFormation's reason. */
  failure: {logicalId: string; resourceType: string; reason: string} | null
  outputs: Record<string, string>
}

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i
const TERMINAL = /(_COMPLETE|_FAILED)$/
const BUSY = /_IN_PROGRESS$/

interface Options {
  stackName: string
  pollMs?: number
  onEvent?: (e: DeployEvent) => void
}

async function waitForChangeSet(cfn: CloudFormationPort, clock: Clock, id: string, o: Options) {
  for (;;) {
    const cs = await cfn.describeChangeSet(id, o.stackName)
    if (cs.status !== 'CREATE_PENDING' && cs.status !== 'CREATE_IN_PROGRESS') return cs
    await clock.sleep(o.pollMs ?? 1000)
  }
}

/**
 * The ids of the events already there before an operation starts. Following by id rather than by time
 * keeps a skewed local clock from hiding (or replaying) events.
 */
async function eventsBefore(cfn: CloudFormationPort, stackId: string): Promise<Set<string>> {
  return new Set((await cfn.stackEvents(stackId)).map((e) => e.eventId))
}

/** Follows the stack's new events until the stack reaches a terminal status. */
async function follow(cfn: CloudFormationPort, clock: Clock, stackId: string, seen: Set<string>, o: Options) {
  let failure: DeployResult['failure'] = null
  for (;;) {
    const events = await cfn.stackEvents(stackId)
    let stackStatus: StackEventInfo | undefined
    for (const e of [...events].reverse()) {
      if (seen.has(e.eventId)) continue
      seen.add(e.eventId)
      if (e.resourceType === 'AWS::CloudFormation::Stack') {
        stackStatus = e
        o.onEvent?.({type: 'stack', status: e.status, reason: e.reason})
      } else {
        o.onEvent?.({
          type: 'resource',
          logicalId: e.logicalId,
          resourceType: e.resourceType,
          status: e.status,
          reason: e.reason,
        })
        if (!failure && e.status.endsWith('_FAILED')) {
          failure = {
            logicalId: e.logicalId,
            resourceType: e.resourceType,
            reason: e.reason ?? 'no reason given',
          }
        }
      }
    }
    const stack = await cfn.describeStack(stackId)
    const status = stack?.status ?? stackStatus?.status ?? 'UNKNOWN'
    if (TERMINAL.test(status) && !/CLEANUP/.test(status)) return {stack, status, failure}
    await clock.sleep(o.pollMs ?? 2000)
  }
}

export async function deployStack(
  cfn: CloudFormationPort,
  clock: Clock,
  o: Options & {
    templateBody: string
    description?: string
    confirm?: (changes: StackChange[]) => Promise<boolean>
  },
): Promise<DeployResult> {
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
  const base = {stackName: o.stackName, failure: null, outputs: existing?.outputs ?? {}}
  const {id, stackId} = await cfn.createChangeSet({
    stackName: o.stackName,
    changeSetName: `ecsdrain-${clock.now()}`,
    templateBody: o.templateBody,
    type: creating ? 'CREATE' : 'UPDATE',
    description: o.description,
  })
  const cs = await waitForChangeSet(cfn, clock, id, o)
  if (cs.status === 'FAILED') {
    await cfn.deleteChangeSet(id, o.stackName).catch(() => {})
    if (NO_CHANGES.test(cs.statusReason ?? '')) {
      return {...base, stackId, outcome: 'unchanged', status: existing?.status ?? null, changes: []}
    }
    throw new EcsdrainError(
      `CloudFormation refused the change set: ${cs.statusReason ?? 'no reason given'}`,
      {
        code: 'CHANGE_SET_FAILED',
      },
    )
  }
  o.onEvent?.({type: 'change-set', changes: cs.changes, creating})
  if (o.confirm && !(await o.confirm(cs.changes))) {
    await cfn.deleteChangeSet(id, o.stackName).catch(() => {})
    return {...base, stackId, outcome: 'cancelled', status: existing?.status ?? null, changes: cs.changes}
  }
  const seen = await eventsBefore(cfn, stackId)
  await cfn.executeChangeSet(id, o.stackName)
  const {stack, status, failure} = await follow(cfn, clock, stackId, seen, o)
  const ok = status === (creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE')
  return {
    stackName: o.stackName,
    stackId,
    outcome: ok ? (creating ? 'created' : 'updated') : 'failed',
    status,
    changes: cs.changes,
    failure: ok ? null : failure,
    outputs: stack?.outputs ?? {},
  }
}

export async function deleteStack(cfn: CloudFormationPort, clock: Clock, o: Options): Promise<DeployResult> {
  const existing: StackInfo | undefined = await cfn.describeStack(o.stackName)
  const base = {stackName: o.stackName, changes: [], outputs: {}}
  if (!existing) return {...base, stackId: null, outcome: 'absent', status: null, failure: null}
  const seen = await eventsBefore(cfn, existing.stackId)
  await cfn.deleteStack(existing.stackId)
  const {status, failure} = await follow(cfn, clock, existing.stackId, seen, o)
  const ok = status === 'DELETE_COMPLETE'
  return {
    ...base,
    stackId: existing.stackId,
    outcome: ok ? 'deleted' : 'failed',
    status,
    failure: ok ? null : failure,
  }
}
