/**
 * The CloudFormation adapter for the hook stack: change sets, stacks, events, deletion. The SDK client
 * comes from the shared factory (same retry strategy, user agent and call ledger as every other client).
 * IAM resources need CAPABILITY_IAM, which install always passes: the change set shown to the operator
 * lists them before anything is executed.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation'

import {AwsApiError} from '../core/errors.js'
import type {CloudFormationPort, StackInfo} from '../core/stack/port.js'
import {call} from './batch.js'
import type {ClientFactory} from './client-factory.js'

const doesNotExist = (e: unknown) => e instanceof AwsApiError && /does not exist/i.test(e.message)

export function createCloudFormationPort(factory: ClientFactory): CloudFormationPort {
  const client = factory.make(CloudFormationClient, 'CloudFormation')
  const site = (op: string) => ({operation: `CloudFormation.${op}`, endpoint: factory.options.endpointUrl})

  return {
    async describeStack(nameOrId) {
      try {
        const out = await call(site('DescribeStacks'), () =>
          client.send(new DescribeStacksCommand({StackName: nameOrId})),
        )
        const s = out.Stacks?.[0]
        if (!s || (s.StackStatus === 'DELETE_COMPLETE' && !nameOrId.startsWith('arn:'))) return undefined
        const info: StackInfo = {
          stackId: s.StackId ?? '',
          stackName: s.StackName ?? nameOrId,
          status: s.StackStatus ?? 'UNKNOWN',
          statusReason: s.StackStatusReason ?? null,
          outputs: Object.fromEntries((s.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
        }
        return info
      } catch (error) {
        if (doesNotExist(error)) return undefined
        throw error
      }
    },
    async createChangeSet(input) {
      const out = await call(site('CreateChangeSet'), () =>
        client.send(
          new CreateChangeSetCommand({
            StackName: input.stackName,
            ChangeSetName: input.changeSetName,
            ChangeSetType: input.type,
            TemplateBody: input.templateBody,
            Capabilities: ['CAPABILITY_IAM'],
            Description: input.description,
          }),
        ),
      )
      return {id: out.Id ?? input.changeSetName, stackId: out.StackId ?? ''}
    },
    async describeChangeSet(id, stackName) {
      const out = await call(site('DescribeChangeSet'), () =>
        client.send(new DescribeChangeSetCommand({ChangeSetName: id, StackName: stackName})),
      )
      return {
        id: out.ChangeSetId ?? id,
        status: out.Status ?? 'UNKNOWN',
        statusReason: out.StatusReason ?? null,
        executionStatus: out.ExecutionStatus ?? 'UNAVAILABLE',
        changes: (out.Changes ?? []).map((c) => ({
          action: c.ResourceChange?.Action ?? 'Unknown',
          logicalId: c.ResourceChange?.LogicalResourceId ?? '',
          resourceType: c.ResourceChange?.ResourceType ?? '',
          replacement: c.ResourceChange?.Replacement ?? null,
        })),
      }
    },
    async executeChangeSet(id, stackName) {
      await call(site('ExecuteChangeSet'), () =>
        client.send(new ExecuteChangeSetCommand({ChangeSetName: id, StackName: stackName})),
      )
    },
    async deleteChangeSet(id, stackName) {
      await call(site('DeleteChangeSet'), () =>
        client.send(new DeleteChangeSetCommand({ChangeSetName: id, StackName: stackName})),
      )
    },
    async stackEvents(nameOrId) {
      const out = await call(site('DescribeStackEvents'), () =>
        client.send(new DescribeStackEventsCommand({StackName: nameOrId})),
      )
      return (out.StackEvents ?? []).map((e) => ({
        eventId: e.EventId ?? '',
        logicalId: e.LogicalResourceId ?? '',
        physicalId: e.PhysicalResourceId ?? '',
        resourceType: e.ResourceType ?? '',
        status: e.ResourceStatus ?? '',
        reason: e.ResourceStatusReason ?? null,
        timestamp: e.Timestamp ?? new Date(0),
      }))
    },
    async deleteStack(nameOrId) {
      await call(site('DeleteStack'), () => client.send(new DeleteStackCommand({StackName: nameOrId})))
    },
  }
}
