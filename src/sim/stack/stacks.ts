/**
 * The stack model and its provisioning engine: resources are created (or updated) in dependency waves,
 * each with an IN_PROGRESS then a COMPLETE or FAILED event, and a failure rolls the stack back, as
 * CloudFormation does. Deletion runs in reverse dependency order. Times are the sim's clock.
 */
import {SimError} from '../types.js'
import type {StackContext} from './context.js'
import {dependencyGraph, references, resolve, type Resolver, type TemplateResource} from './intrinsics.js'
import type {Provider, Provisioned} from './resources.js'

export interface Template {
  Description?: string
  Resources: Record<string, TemplateResource>
  Outputs?: Record<string, {Value: unknown; Description?: string}>
  [key: string]: unknown
}

export interface StackEvent {
  EventId: string
  StackId: string
  StackName: string
  LogicalResourceId: string
  PhysicalResourceId: string
  ResourceType: string
  Timestamp: Date
  ResourceStatus: string
  ResourceStatusReason?: string
}

export interface LiveResource extends Provisioned {
  type: string
  /** The resolved properties it was provisioned with (needed to delete it). */
  props: Record<string, unknown>
  /** The template's (unresolved) definition, compared to find changes. */
  definition: TemplateResource
  status: string
  updatedAt: number
}

export interface Stack {
  id: string
  name: string
  status: string
  statusReason?: string
  template: Template | null
  templateBody: string
  resources: Map<string, LiveResource>
  events: StackEvent[]
  outputs: Array<{OutputKey: string; OutputValue: string; Description?: string}>
  capabilities: string[]
  createdAt: number
  updatedAt?: number
  deletedAt?: number
}

export const STEP_MS = 1_000

export class Provisioner {
  constructor(
    private readonly ctx: StackContext,
    private readonly providers: Record<string, Provider>,
  ) {}

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.ctx.after(ms, resolve))
  }

  event(
    stack: Stack,
    logicalId: string,
    type: string,
    status: string,
    physicalId = '',
    reason?: string,
  ): void {
    stack.events.unshift({
      EventId: this.ctx.ids.uuid(),
      StackId: stack.id,
      StackName: stack.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: new Date(this.ctx.clock.now()),
      ResourceStatus: status,
      ...(reason ? {ResourceStatusReason: reason} : {}),
    })
  }

  stackStatus(stack: Stack, status: string, reason?: string): void {
    stack.status = status
    stack.statusReason = reason
    stack.updatedAt = this.ctx.clock.now()
    this.event(stack, stack.name, 'AWS::CloudFormation::Stack', status, stack.id, reason)
  }

  private resolver(stack: Stack): Resolver {
    return {
      pseudo: {
        'AWS::Region': this.ctx.region,
        'AWS::AccountId': this.ctx.accountId,
        'AWS::Partition': 'aws',
        'AWS::StackName': stack.name,
        'AWS::StackId': stack.id,
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::NoValue': '',
      },
      ref: (id) => stack.resources.get(id)?.physicalId,
      attr: (id, name) => stack.resources.get(id)?.attrs[name],
    }
  }

  private nameFor(stack: Stack, logicalId: string) {
    return (max: number) => {
      const suffix = this.ctx.ids.hex(12).toUpperCase()
      const base = `${stack.name}-${logicalId}`.slice(0, Math.max(1, max - suffix.length - 1))
      return `${base}-${suffix}`
    }
  }

  /** Creates or updates the listed resources in dependency order. Returns the first failure's reason. */
  async apply(
    stack: Stack,
    template: Template,
    changed: Set<string>,
    updating: boolean,
  ): Promise<string | null> {
    const graph = dependencyGraph(template.Resources)
    const done = new Set([...graph.keys()].filter((id) => !changed.has(id)))
    let failure: string | null = null
    while (failure === null && done.size < graph.size) {
      const wave = [...graph].filter(([id, deps]) => !done.has(id) && [...deps].every((d) => done.has(d)))
      await Promise.all(
        wave.map(async ([id]) => {
          const reason = await this.provision(
            stack,
            id,
            template.Resources[id]!,
            updating && stack.resources.has(id),
          )
          if (reason !== null && failure === null) failure = `${id}: ${reason}`
          done.add(id)
        }),
      )
    }
    return failure
  }

  private async provision(
    stack: Stack,
    id: string,
    def: TemplateResource,
    update: boolean,
  ): Promise<string | null> {
    const verb = update ? 'UPDATE' : 'CREATE'
    const prev = stack.resources.get(id)
    this.event(stack, id, def.Type, `${verb}_IN_PROGRESS`, prev?.physicalId ?? '')
    await this.sleep(STEP_MS)
    const provider = this.providers[def.Type]
    try {
      if (!provider)
        throw new SimError('ValidationError', `Resource type ${def.Type} is not supported by the simulator`)
      const props = resolve(def.Properties ?? {}, this.resolver(stack)) as Record<string, unknown>
      const name = this.nameFor(stack, id)
      let made: Provisioned
      if (prev && provider.update) made = await provider.update(prev, props, name)
      else {
        if (prev) await provider.delete(prev, prev.props)
        made = await provider.create(props, name)
      }
      const now = this.ctx.clock.now()
      stack.resources.set(id, {
        ...made,
        type: def.Type,
        props,
        definition: def,
        status: `${verb}_COMPLETE`,
        updatedAt: now,
      })
      this.event(stack, id, def.Type, `${verb}_COMPLETE`, made.physicalId)
      return null
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      this.event(stack, id, def.Type, `${verb}_FAILED`, prev?.physicalId ?? '', reason)
      return reason
    }
  }

  /** Deletes the listed resources (all by default), dependants first. */
  async remove(stack: Stack, ids: Set<string> = new Set(stack.resources.keys())): Promise<string | null> {
    let failure: string | null = null
    const left = new Set([...ids].filter((id) => stack.resources.has(id)))
    while (left.size > 0) {
      const dependedOn = new Set<string>()
      for (const id of left) {
        const def = stack.resources.get(id)!.definition
        for (const d of dependenciesOf(def)) if (left.has(d)) dependedOn.add(d)
      }
      const wave = [...left].filter((id) => !dependedOn.has(id))
      await Promise.all(
        wave.map(async (id) => {
          const r = stack.resources.get(id)!
          this.event(stack, id, r.type, 'DELETE_IN_PROGRESS', r.physicalId)
          await this.sleep(STEP_MS)
          try {
            await this.providers[r.type]?.delete(r, r.props)
            stack.resources.delete(id)
            this.event(stack, id, r.type, 'DELETE_COMPLETE', r.physicalId)
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error)
            this.event(stack, id, r.type, 'DELETE_FAILED', r.physicalId, reason)
            failure ??= `${id}: ${reason}`
            stack.resources.delete(id)
          }
          left.delete(id)
        }),
      )
    }
    return failure
  }

  outputs(stack: Stack, template: Template): Stack['outputs'] {
    const r = this.resolver(stack)
    return Object.entries(template.Outputs ?? {}).map(([OutputKey, o]) => ({
      OutputKey,
      OutputValue: String(resolve(o.Value, r)),
      ...(o.Description ? {Description: o.Description} : {}),
    }))
  }
}

function dependenciesOf(def: TemplateResource): Set<string> {
  const deps = references(def.Properties ?? {})
  for (const d of [def.DependsOn ?? []].flat()) deps.add(d)
  return deps
}
