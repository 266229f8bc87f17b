import {SimError} from '../../types.js'
import type {Input} from '../input.js'
import {num} from '../input.js'
import type {State} from '../state.js'
import type {AsgInstance, Group} from './model.js'

/**
 * Auto Scaling's input checks and lookups, shared by its handlers. Auto Scaling speaks awsQuery, so every
 * scalar arrives as a string; its validation failures are all `ValidationError` (HTTP 400), as in
 * "Common Errors" of the API reference (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html).
 */

export function validation(message: string): SimError {
  return new SimError('ValidationError', message)
}

export function int(input: Input, name: string): number | undefined {
  const n = num(input, name, 'ValidationError')
  if (n !== undefined && !Number.isInteger(n))
    throw validation(`Value ${String(input[name])} for parameter ${name} is not an integer.`)
  return n
}

/** An integer within [min, max], with the message AWS's range checks give. */
export function intIn(input: Input, name: string, min: number, max: number): number | undefined {
  const n = int(input, name)
  if (n !== undefined && (n < min || n > max))
    throw validation(`${name} must be between ${min} and ${max}, got ${n}.`)
  return n
}

export function maxRecords(input: Input, def: number, max: number): number {
  const n = int(input, 'MaxRecords') ?? def
  if (n < 1 || n > max) throw validation(`MaxRecords must be between 1 and ${max}.`)
  return n
}

export function requireGroup(state: State, name: string | undefined): Group {
  const g = name ? state.groups.get(name) : undefined
  if (!g) throw validation(`AutoScalingGroup name not found - AutoScalingGroup ${name ?? 'null'} not found`)
  return g
}

/** An instance of any group, by id: indexed, since DescribeAutoScalingInstances asks for 50 at a time. */
export function findAsgInstance(state: State, id: string): {g: Group; inst: AsgInstance} | undefined {
  const inst = state.asgInstances.get(id)
  const g = inst ? state.groups.get(inst.groupName) : undefined
  return inst && g ? {g, inst} : undefined
}
