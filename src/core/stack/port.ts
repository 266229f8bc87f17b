/**
 * The CloudFormation port that stack deploy and delete use (./deploy.ts), implemented with
 * the SDK in src/aws/cloudformation.ts and with fakes in tests. Shapes are ours, not the SDK's.
 */

export interface StackInfo {
  stackId: string
  stackName: string
  status: string
  statusReason: string | null
  outputs: Record<string, string>
}

export interface StackChange {
  action: 'Add' | 'Modify' | 'Remove' | string
  logicalId: string
  resourceType: string
  /** 'True' | 'False' | 'Conditional' for a Modify, else null. */
  replacement: string | null
}

export interface ChangeSetInfo {
  id: string
  status: string
  statusReason: string | null
  executionStatus: string
  changes: StackChange[]
}

export interface StackEventInfo {
  eventId: string
  logicalId: string
  physicalId: string
  resourceType: string
  status: string
  reason: string | null
  timestamp: Date
}

export interface CloudFormationPort {
  /** undefined when no live stack has this name. */
  describeStack(nameOrId: string): Promise<StackInfo | undefined>
  createChangeSet(input: {
    stackName: string
    changeSetName: string
    templateBody: string
    type: 'CREATE' | 'UPDATE'
    description?: string
  }): Promise<{id: string; stackId: string}>
  describeChangeSet(id: string, stackName: string): Promise<ChangeSetInfo>
  executeChangeSet(id: string, stackName: string): Promise<void>
  deleteChangeSet(id: string, stackName: string): Promise<void>
  /** The newest events first (the first page is enough for a poller that de-duplicates by id). */
  stackEvents(nameOrId: string): Promise<StackEventInfo[]>
  deleteStack(nameOrId: string): Promise<void>
}
