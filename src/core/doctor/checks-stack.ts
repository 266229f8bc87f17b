/**
 * The ecsdrain hook stack: there, made by this version of ecsdrain, in a good state, its hook still on its
 * group, nothing in its dead-letter queue, its alarms quiet and telling someone, and its function neither
 * failing nor throttled over the last 24 hours.
 */
import {drainersOf} from './drainers.js'
import type {ClusterFacts} from './gather.js'
import type {EcsdrainStack} from './gather-stack.js'
import type {Finding} from './types.js'

const GOOD = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE'])

export function stackChecks(facts: ClusterFacts, cliVersion: string): Finding[] {
  const out: Finding[] = []
  // "Covered" only when every group holding container instances has a drainer that acts on its own.
  const holding = facts.groups.filter((g) => g.instances.length > 0)
  const covered =
    holding.length > 0 && holding.every((g) => drainersOf(g, facts).some((d) => d.kind !== 'manual'))
  if (facts.stacks.found.length === 0) {
    out.push({
      cluster: facts.cluster,
      resource: `stack/${facts.stacks.looked[0] ?? '?'}`,
      check: 'stack-missing',
      severity: 'info',
      message:
        `no ecsdrain hook stack found for ${facts.cluster} (looked for ${facts.stacks.looked.join(', ')})` +
        (covered ? ': another drainer covers its groups (see above).' : '.'),
      evidence: {looked: facts.stacks.looked},
      fix: `ecsdrain install --cluster ${facts.cluster} --yes`,
    })
  }
  for (const s of facts.stacks.found) out.push(...oneStack(facts, s, cliVersion))
  return out
}

function oneStack(facts: ClusterFacts, s: EcsdrainStack, cliVersion: string): Finding[] {
  const out: Finding[] = []
  const name = s.stack.stackName
  const base = {cluster: facts.cluster, resource: `stack/${name}`}
  const reinstall = `ecsdrain install --cluster ${facts.cluster} --stack-name ${name} --yes`
  const hookOnGroup = facts.groups.some((g) => (g.hooks ?? []).some((h) => h.hookName === s.hookName))
  if (!GOOD.has(s.stack.status) || !hookOnGroup) {
    out.push({
      ...base,
      check: 'stack-unhealthy',
      severity: s.stack.status.endsWith('_IN_PROGRESS') ? 'info' : 'error',
      message: !GOOD.has(s.stack.status)
        ? `stack ${name} is ${s.stack.status}${s.stack.statusReason ? ` (${s.stack.statusReason})` : ''}: its last change did not complete.`
        : `stack ${name}'s lifecycle hook ${s.hookName} is on none of ${facts.cluster}'s groups: it was deleted by hand, or the stack serves another group.`,
      evidence: {status: s.stack.status, hook: s.hookName, hookOnAGroup: hookOnGroup},
      fix: `aws cloudformation describe-stack-events --stack-name ${name}, then ${reinstall}`,
    })
  }
  const version = s.stack.outputs.Version ?? null
  if (version !== cliVersion) {
    out.push({
      ...base,
      check: 'stack-version',
      severity: 'warn',
      message:
        version === null
          ? `stack ${name} has no Version output: an ecsdrain older than this one (${cliVersion}) made it, without the hardened template.`
          : `stack ${name} was made by ecsdrain ${version}; this is ${cliVersion}: its drain function is not the engine this CLI runs.`,
      evidence: {stackVersion: version, cliVersion},
      fix: reinstall,
    })
  }
  const dlq = s.deadLetters
  const queued = dlq ? dlq.visible + dlq.inFlight + dlq.delayed : 0
  if (dlq && queued > 0) {
    const url = s.stack.outputs.DeadLetterQueueUrl!
    out.push({
      ...base,
      check: 'dead-letters',
      severity: 'error',
      message:
        `stack ${name}'s dead-letter queue holds ${queued} notification(s) that failed every retry: the instances they name may have ` +
        'terminated undrained.',
      evidence: {visible: dlq.visible, inFlight: dlq.inFlight, delayed: dlq.delayed, queueUrl: url},
      fix: `aws sqs receive-message --queue-url ${url} --max-number-of-messages 10 (which instances), then aws sqs purge-queue --queue-url ${url}`,
    })
  }
  for (const a of s.alarms ?? []) {
    if (!a.alarm) continue
    if (a.alarm.state === 'ALARM')
      out.push({
        ...base,
        resource: `alarm/${a.name}`,
        check: 'alarm-firing',
        severity: 'error',
        message: `alarm ${a.name} is in ALARM${a.alarm.stateReason ? `: ${a.alarm.stateReason}` : ''}.`,
        evidence: {
          state: a.alarm.state,
          since: a.alarm.stateUpdatedAt?.toISOString() ?? null,
          metric: `${a.alarm.namespace ?? '?'} ${a.alarm.metricName ?? '?'}`,
        },
        fix:
          a.outputKey === 'DeadLetterAlarmName'
            ? `see the dead letters: aws sqs receive-message --queue-url ${s.stack.outputs.DeadLetterQueueUrl}`
            : `read the function's errors: aws logs tail ${s.stack.outputs.LogGroupName ?? '<its log group>'} --since 1h`,
      })
    if (a.alarm.alarmActions.length === 0 || !a.alarm.actionsEnabled)
      out.push({
        ...base,
        resource: `alarm/${a.name}`,
        check: 'alarm-notifies-nobody',
        severity: 'warn',
        message: `alarm ${a.name} ${a.alarm.actionsEnabled ? 'has no AlarmActions' : 'has its actions disabled'}: when it fires, nobody is told.`,
        evidence: {alarmActions: a.alarm.alarmActions, actionsEnabled: a.alarm.actionsEnabled},
        fix: `${reinstall} --alarm-email you@example.com (or --alarm-topic-arn ARN)`,
      })
  }
  const m = s.metrics
  const logs = `aws logs tail ${s.stack.outputs.LogGroupName ?? '<its log group>'} --since 24h`
  if (m && (m.errors ?? 0) > 0)
    out.push({
      ...base,
      resource: `function/${s.functionName}`,
      check: 'function-errors',
      severity: 'warn',
      message: `the drain function ${s.functionName} failed ${m.errors} invocation(s) of ${m.invocations ?? '?'} in the last 24 h (AWS/Lambda Errors).`,
      evidence: {errors: m.errors, invocations: m.invocations, windowHours: 24},
      fix: logs,
    })
  if (m && (m.throttles ?? 0) > 0)
    out.push({
      ...base,
      resource: `function/${s.functionName}`,
      check: 'function-throttles',
      severity: 'warn',
      message: `the drain function ${s.functionName} was throttled ${m.throttles} time(s) in the last 24 h (AWS/Lambda Throttles): drains started late or not at all.`,
      evidence: {throttles: m.throttles, invocations: m.invocations, windowHours: 24},
      fix: `give it reserved concurrency (aws lambda put-function-concurrency --function-name ${s.functionName} --reserved-concurrent-executions 5), or raise the account's limit`,
    })
  return out
}
