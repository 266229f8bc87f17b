/**
 * CloudFormation's API in the sim: change sets (create or update), their execution, stacks, events,
 * templates and deletion. Names follow AWS: stack and change-set ARNs, REVIEW_IN_PROGRESS for a stack
 * that exists only through a CREATE change set, the "didn't contain changes" failure for an empty change
 * set, and InsufficientCapabilities when IAM resources come without CAPABILITY_IAM.
 */
import {SimError, type OperationHandler} from '../types.js'
import type {StackContext} from './context.js'
import {dependencyGraph} from './intrinsics.js'
import {Provisioner, STEP_MS, type Stack, type Template} from './stacks.js'
import type {Provider} from './resources.js'

interface ChangeSet {
  id: string
  name: string
  stack: Stack
  type: 'CREATE' | 'UPDATE'
  status: string
  statusReason?: string
  executionStatus: string
  templateBody: string
  template: Template
  changes: Array<{action: 'Add' | 'Modify' | 'Remove'; logicalId: string; type: string; physicalId?: string}>
  createdAt: number
}

export const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set."

const canonical = (v: unknown): string => JSON.stringify(v)

function parseTemplate(body: string): Template {
  let t: unknown
  try {
    t = JSON.parse(body)
  } catch {
    throw new SimError('ValidationError', 'Template format error: JSON not well-formed.')
  }
  const resources = (t as Template | null)?.Resources
  if (!resources || typeof resources !== 'object' || Object.keys(resources).length === 0) {
    throw new SimError(
      'ValidationError',
      'Template format error: At least one Resources member must be defined.',
    )
  }
  dependencyGraph(resources)
  return t as Template
}

export class CloudFormationService {
  private readonly stacks: Stack[] = []
  private readonly changeSets = new Map<string, ChangeSet>()
  private readonly provisioner: Provisioner

  constructor(
    private readonly ctx: StackContext,
    providers: Record<string, Provider>,
  ) {
    this.provisioner = new Provisioner(ctx, providers)
  }

  /** The live stack by name or id; with `includeDeleted`, a deleted one by id too. */
  private find(nameOrId: string, includeDeleted = false): Stack | undefined {
    return this.stacks.find(
      (s) => (s.name === nameOrId && !s.deletedAt) || (s.id === nameOrId && (includeDeleted || !s.deletedAt)),
    )
  }

  private stack(nameOrId: string): Stack {
    const s = this.find(nameOrId, true)
    if (!s) throw new SimError('ValidationError', `Stack with id ${nameOrId} does not exist`)
    return s
  }

  private changeSet(name: string, stackName?: string): ChangeSet {
    const cs =
      this.changeSets.get(name) ??
      [...this.changeSets.values()].find(
        (c) => c.name === name && (!stackName || c.stack.name === stackName || c.stack.id === stackName),
      )
    if (!cs) throw new SimError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404)
    return cs
  }

  private createChangeSet(input: Record<string, unknown>): {Id: string; StackId: string} {
    const stackName = String(input.StackName ?? '')
    const name = String(input.ChangeSetName ?? '')
    const type = input.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE'
    const body = String(input.TemplateBody ?? '')
    if (!stackName || !name) throw new SimError('ValidationError', 'StackName and ChangeSetName are required')
    const template = parseTemplate(body)
    const caps = ((input.Capabilities as string[] | undefined) ?? []).map(String)
    if (
      Object.values(template.Resources).some((r) => r.Type.startsWith('AWS::IAM::')) &&
      !caps.includes('CAPABILITY_IAM') &&
      !caps.includes('CAPABILITY_NAMED_IAM')
    ) {
      throw new SimError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]')
    }
    let stack = this.find(stackName)
    if (type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw new SimError(
          'AlreadyExistsException',
          `Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`,
        )
      }
      stack ??= this.newStack(stackName, caps)
    } else if (!stack || stack.status === 'REVIEW_IN_PROGRESS') {
      throw new SimError('ValidationError', `Stack [${stackName}] does not exist`)
    }
    const changes = this.diff(stack, template)
    const cs: ChangeSet = {
      id: this.ctx.arn('cloudformation', `changeSet/${name}/${this.ctx.ids.uuid()}`),
      name,
      stack,
      type,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      templateBody: body,
      template,
      changes,
      createdAt: this.ctx.clock.now(),
    }
    stack.capabilities = caps
    this.changeSets.set(cs.id, cs)
    this.ctx.after(STEP_MS, () => {
      const same =
        stack.template &&
        canonical({...stack.template, Resources: 0}) === canonical({...template, Resources: 0})
      if (changes.length === 0 && same) {
        cs.status = 'FAILED'
        cs.statusReason = NO_CHANGES
      } else {
        cs.status = 'CREATE_COMPLETE'
        cs.executionStatus = 'AVAILABLE'
      }
    })
    return {Id: cs.id, StackId: stack.id}
  }

  private newStack(name: string, caps: string[]): Stack {
    const stack: Stack = {
      id: this.ctx.arn('cloudformation', `stack/${name}/${this.ctx.ids.uuid()}`),
      name,
      status: 'REVIEW_IN_PROGRESS',
      template: null,
      templateBody: '',
      resources: new Map(),
      events: [],
      outputs: [],
      capabilities: caps,
      createdAt: this.ctx.clock.now(),
    }
    this.stacks.push(stack)
    this.provisioner.event(
      stack,
      name,
      'AWS::CloudFormation::Stack',
      'REVIEW_IN_PROGRESS',
      stack.id,
      'User Initiated',
    )
    return stack
  }

  private diff(stack: Stack, template: Template): ChangeSet['changes'] {
    const changes: ChangeSet['changes'] = []
    for (const [id, def] of Object.entries(template.Resources)) {
      const live = stack.resources.get(id)
      if (!live) changes.push({action: 'Add', logicalId: id, type: def.Type})
      else if (canonical(live.definition) !== canonical(def)) {
        changes.push({action: 'Modify', logicalId: id, type: def.Type, physicalId: live.physicalId})
      }
    }
    for (const [id, live] of stack.resources) {
      if (!(id in template.Resources))
        changes.push({action: 'Remove', logicalId: id, type: live.type, physicalId: live.physicalId})
    }
    return changes
  }

  private execute(cs: ChangeSet): void {
    if (cs.executionStatus !== 'AVAILABLE') {
      throw new SimError(
        'InvalidChangeSetStatus',
        `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.status}]`,
      )
    }
    const stack = cs.stack
    for (const [id, other] of this.changeSets) if (other.stack === stack) this.changeSets.delete(id)
    cs.executionStatus = 'EXECUTE_IN_PROGRESS'
    void this.run(stack, cs)
  }

  private async run(stack: Stack, cs: ChangeSet): Promise<void> {
    const p = this.provisioner
    const creating = cs.type === 'CREATE'
    const verb = creating ? 'CREATE' : 'UPDATE'
    const previous = {template: stack.template, body: stack.templateBody}
    p.stackStatus(stack, `${verb}_IN_PROGRESS`, 'User Initiated')
    const changed = new Set(cs.changes.filter((c) => c.action !== 'Remove').map((c) => c.logicalId))
    const before = new Set(stack.resources.keys())
    const failure = await p.apply(stack, cs.template, changed, !creating)
    if (failure === null) {
      stack.template = cs.template
      stack.templateBody = cs.templateBody
      const removed = new Set(cs.changes.filter((c) => c.action === 'Remove').map((c) => c.logicalId))
      if (removed.size > 0) {
        p.stackStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')
        await p.remove(stack, removed)
      }
      stack.outputs = p.outputs(stack, cs.template)
      p.stackStatus(stack, `${verb}_COMPLETE`)
      cs.executionStatus = 'EXECUTE_COMPLETE'
      return
    }
    // Roll back: remove what this change set added. (Resources it modified keep their new settings in
    // the sim; real CloudFormation would restore them, which a hook stack's tests do not depend on.)
    p.stackStatus(
      stack,
      creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS',
      `The following resource(s) failed to ${verb.toLowerCase()}: [${failure.split(':')[0]}]. ${failure}`,
    )
    await p.remove(stack, new Set([...stack.resources.keys()].filter((id) => !before.has(id))))
    stack.template = previous.template
    stack.templateBody = previous.body
    p.stackStatus(stack, creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE')
    cs.executionStatus = 'EXECUTE_FAILED'
  }

  private async deleteStack(stack: Stack): Promise<void> {
    const p = this.provisioner
    p.stackStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated')
    const failure = await p.remove(stack)
    if (failure) return p.stackStatus(stack, 'DELETE_FAILED', failure)
    p.stackStatus(stack, 'DELETE_COMPLETE')
    stack.deletedAt = this.ctx.clock.now()
    for (const [id, cs] of this.changeSets) if (cs.stack === stack) this.changeSets.delete(id)
  }

  private describeStack(s: Stack): Record<string, unknown> {
    return {
      StackId: s.id,
      StackName: s.name,
      StackStatus: s.status,
      StackStatusReason: s.statusReason,
      Description: s.template?.Description,
      CreationTime: new Date(s.createdAt),
      LastUpdatedTime: s.updatedAt ? new Date(s.updatedAt) : undefined,
      DeletionTime: s.deletedAt ? new Date(s.deletedAt) : undefined,
      Capabilities: s.capabilities,
      Outputs: s.outputs,
      Parameters: [],
      Tags: [],
      // As DescribeStacks writes every stack (Stack, https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html).
      NotificationARNs: [],
      DisableRollback: false,
      EnableTerminationProtection: false,
      DriftInformation: {StackDriftStatus: 'NOT_CHECKED'},
    }
  }

  handlers(): Record<string, OperationHandler> {
    return {
      CreateChangeSet: (input) => this.createChangeSet(input),
      DescribeChangeSet: (input) => {
        const cs = this.changeSet(String(input.ChangeSetName ?? ''), input.StackName as string | undefined)
        return {
          ChangeSetId: cs.id,
          ChangeSetName: cs.name,
          StackId: cs.stack.id,
          StackName: cs.stack.name,
          Status: cs.status,
          StatusReason: cs.statusReason,
          ExecutionStatus: cs.executionStatus,
          CreationTime: new Date(cs.createdAt),
          Capabilities: cs.stack.capabilities,
          NotificationARNs: [],
          Parameters: [],
          Tags: [],
          IncludeNestedStacks: false,
          Changes: cs.changes.map((c) => ({
            Type: 'Resource',
            ResourceChange: {
              Action: c.action,
              LogicalResourceId: c.logicalId,
              PhysicalResourceId: c.physicalId,
              ResourceType: c.type,
              Replacement: c.action === 'Modify' ? 'False' : undefined,
            },
          })),
        }
      },
      ExecuteChangeSet: (input) => {
        this.execute(this.changeSet(String(input.ChangeSetName ?? ''), input.StackName as string | undefined))
        return {}
      },
      DeleteChangeSet: (input) => {
        const cs = this.changeSet(String(input.ChangeSetName ?? ''), input.StackName as string | undefined)
        this.changeSets.delete(cs.id)
        if (
          cs.stack.status === 'REVIEW_IN_PROGRESS' &&
          ![...this.changeSets.values()].some((c) => c.stack === cs.stack)
        ) {
          cs.stack.deletedAt = this.ctx.clock.now()
        }
        return {}
      },
      DescribeStacks: (input) => {
        const name = input.StackName as string | undefined
        const stacks = name ? [this.stack(name)] : this.stacks.filter((s) => !s.deletedAt)
        return {Stacks: stacks.map((s) => this.describeStack(s))}
      },
      DescribeStackEvents: (input) => ({StackEvents: this.stack(String(input.StackName ?? '')).events}),
      DescribeStackResources: (input) => {
        const s = this.stack(String(input.StackName ?? ''))
        return {
          StackResources: [...s.resources].map(([id, r]) => ({
            StackId: s.id,
            StackName: s.name,
            LogicalResourceId: id,
            PhysicalResourceId: r.physicalId,
            ResourceType: r.type,
            ResourceStatus: r.status,
            Timestamp: new Date(r.updatedAt),
          })),
        }
      },
      GetTemplate: (input) => {
        if (input.ChangeSetName)
          return {
            TemplateBody: this.changeSet(String(input.ChangeSetName), input.StackName as string).templateBody,
          }
        return {TemplateBody: this.stack(String(input.StackName ?? '')).templateBody}
      },
      DeleteStack: (input) => {
        const stack = this.find(String(input.StackName ?? ''))
        // Deleting a stack that does not exist succeeds, as in AWS.
        if (stack && stack.status !== 'DELETE_IN_PROGRESS') void this.deleteStack(stack)
        return {}
      },
    }
  }
}
