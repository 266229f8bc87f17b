/**
 * Words for the drain engine's events and results: one plain line per event (CI logs, pipes, --json's
 * stderr), the preflight verdicts, the end-of-run summary, and what to type after an interrupt. The listr2
 * renderer reuses these, so a terminal and a log say the same thing.
 */
import type {Blocker, DrainEvent, DrainPlan, DrainResult, ServiceProgress} from '../core/drain/index.js'
import type {InstanceExplanation, TaskReason} from '../core/explain/types.js'

function short(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

export function serviceLine(s: ServiceProgress): string {
  const kind = s.kind === 'daemon' ? ' (daemon)' : ''
  return `${s.service}${kind}: ${s.replaced}/${s.atStart} replaced, ${s.stopping} stopping, ${s.remaining} remaining`
}

/** `~4m30s`, `~45s`, or `unknown` for an ETA nothing bounds. */
export function etaText(seconds: number | null): string {
  if (seconds === null) return 'unknown'
  if (seconds < 60) return `~${seconds}s`
  const m = Math.floor(seconds / 60)
  const rest = seconds % 60
  return m < 60
    ? `~${m}m${rest ? `${String(rest).padStart(2, '0')}s` : ''}`
    : `~${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

function reasonLine(r: TaskReason): string {
  return `${short(r.task)} ${r.kind}${r.etaSeconds === null ? '' : ` (${etaText(r.etaSeconds)})`}: ${r.detail}`
}

/** What the drain waits on, one line for the instance and one per task (plain output and the final report). */
export function explanationLines(
  id: string,
  e: Pick<InstanceExplanation, 'reasons' | 'etaSeconds'>,
): string[] {
  if (e.reasons.length === 0) return []
  return [
    `${id}: waiting on ${e.reasons.length} task(s); drain ETA ${etaText(e.etaSeconds)}`,
    ...e.reasons.map((r) => `${id}:   ${reasonLine(r)}`),
  ]
}

/** One line for a live display: the ETA and each task's kind. */
export function explanationSummary(e: InstanceExplanation): string {
  const kinds = e.reasons.map(
    (r) => `${short(r.task)} ${r.kind}${r.etaSeconds === null ? '' : ` ${etaText(r.etaSeconds)}`}`,
  )
  return `ETA ${etaText(e.etaSeconds)}: ${kinds.join(', ')}`
}

/** After a drain that did not finish: what each remaining task was waiting on (from its blockers). */
export function waitingLines(r: DrainResult): string[] {
  const reasons = r.blockers.filter((b) => b.task !== null)
  if (reasons.length === 0 || ['drained', 'dry-run', 'refused'].includes(r.outcome)) return []
  return explanationLines(r.ec2InstanceId, {
    etaSeconds: r.etaSeconds,
    reasons: reasons.map((b) => ({
      task: b.task!,
      service: null,
      lastStatus: '',
      kind: b.kind as TaskReason['kind'],
      detail: b.detail,
      fix: b.fix,
      etaSeconds: b.etaSeconds,
    })),
  })
}

export function blockerLines(blocker: Pick<Blocker, 'kind' | 'detail' | 'fix'>): string[] {
  return [`! ${blocker.kind}: ${blocker.detail}`, `  fix: ${blocker.fix}`]
}

/** The preflight of one instance, as `drain --dry-run` and the confirmation show it. */
export function preflightLines(plan: DrainPlan): string[] {
  const {instance, cluster} = plan.target
  const {report, lifecycle} = plan
  const lines = [
    `${instance.ec2InstanceId} (${cluster}, ${instance.status}` +
      `${lifecycle.autoScalingGroupName ? `, ${lifecycle.autoScalingGroupName} ${lifecycle.lifecycleState}` : ''})`,
    `  tasks: ${report.tasks.replica} service replica(s), ${report.tasks.daemon} daemon, ${report.tasks.standalone} standalone`,
  ]
  for (const s of report.services) {
    lines.push(
      `    ${s.service}${s.kind === 'daemon' ? ' (daemon)' : ''}: ${s.tasks} task(s), min ${s.minimumHealthyPercent}% / max ${s.maximumPercent}%`,
    )
  }
  lines.push(`  other ACTIVE instances: ${report.otherActiveInstances}`)
  if (lifecycle.hook) {
    lines.push(
      `  lifecycle hook: ${lifecycle.hook.hookName} (heartbeat ${lifecycle.hook.heartbeatTimeout}s, global deadline ` +
        `${lifecycle.globalDeadline ? lifecycle.globalDeadline.toISOString() : 'unknown'})`,
    )
  }
  for (const b of report.blockers) lines.push(...blockerLines(b).map((l) => `  ${l}${b.refuses ? '' : ''}`))
  for (const w of report.warnings) lines.push(`  warning: ${w}`)
  if (report.refused) lines.push('  verdict: REFUSED, exit 4 (pass --force to drain anyway)')
  else
    lines.push(
      `  verdict: ${report.blockers.length === 0 ? 'ok' : 'drains, with the blockers above to watch'}`,
    )
  return lines
}

/** One plain line per event; null for events that would only repeat the last line. */
export function eventLine(e: DrainEvent): string | null {
  const id = e.ec2InstanceId
  switch (e.type) {
    case 'preflight':
      return null
    case 'started':
      return `${id}: ${e.alreadyDraining ? 'already DRAINING' : 'set to DRAINING'}, ${e.tasksAtStart} task(s) to go`
    case 'progress':
      return (
        `${id}: ${e.tasksRemaining} task(s) left (${e.stopping} stopping` +
        `${e.standalone ? `, ${e.standalone} standalone` : ''})` +
        (e.services.length ? ` | ${e.services.map(serviceLine).join('; ')}` : '')
      )
    case 'heartbeat':
      return `${id}: heartbeat for ${e.hook}; deadline now ${e.deadline.toISOString()}`
    case 'blocker':
      return `${id}: blocked: ${e.blocker.detail} (fix: ${e.blocker.fix})`
    case 'warning':
      return `${id}: warning: ${e.message}`
    case 'retry':
      return `${id}: ${e.operation} failed transiently (${e.message}); retrying in ${Math.round(e.delayMs / 100) / 10}s`
    case 'stopped-standalone':
      return `${id}: stopped standalone task ${short(e.taskArn)}`
    case 'drained':
      return `${id}: drained (no task left but STOPPED)`
    case 'completed':
      return `${id}: completed lifecycle action ${e.hook} (${e.group}) with ${e.result}`
    case 'timeout':
      return `${id}: timed out with ${e.tasksRemaining} task(s) left; left DRAINING, nothing completed`
    case 'interrupted':
      return `${id}: interrupted with ${e.tasksRemaining} task(s) left; nothing completed`
    case 'suspended':
      return `${id}: run ended with ${e.tasksRemaining} task(s) left; resumable`
    case 'failed':
      return `${id}: failed: ${e.message}`
  }
}

/** The last word on one instance, for stdout. */
export function summaryLine(r: DrainResult): string {
  const action = r.lifecycleAction
  const hook = action
    ? action.result
      ? `, lifecycle action ${action.hook} ${action.result}`
      : `, lifecycle action ${action.hook} left pending`
    : ''
  const base = `${r.ec2InstanceId} ${r.outcome}: ${r.tasksAtStart - r.tasksRemaining}/${r.tasksAtStart} task(s) gone${hook}`
  return r.error ? `${base} (${r.error.message})` : base
}

/** Quote a value for a POSIX shell only when needed, so printed commands can be pasted as they are. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

/** The flags that reproduce a run's AWS context, so printed commands work when pasted. */
export interface CommandContext {
  bin: string
  awsArgs: string[]
  /** Extra drain flags to repeat on resume (--force, --stop-standalone, --timeout ...). */
  drainArgs: string[]
}

/** After Ctrl-C: what state each instance was left in, and the exact commands to resume or undo. */
export function interruptLines(results: readonly DrainResult[], ctx: CommandContext): string[] {
  const stopped = results.filter((r) => r.outcome === 'interrupted')
  if (stopped.length === 0) return []
  const lines = ['Interrupted: nothing was completed.']
  for (const r of stopped) {
    const action = r.lifecycleAction ? `; lifecycle action ${r.lifecycleAction.hook} still pending` : ''
    lines.push(
      `  ${r.ec2InstanceId} (${r.cluster}): ${r.status ?? 'unknown'}, ${r.tasksRemaining} task(s) left${action}`,
    )
  }
  const byCluster = new Map<string, string[]>()
  for (const r of stopped) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r.ec2InstanceId])
  for (const [cluster, ids] of byCluster) {
    const common = [...ids, '--cluster', cluster, ...ctx.awsArgs].map(shellQuote).join(' ')
    lines.push(
      `Resume: ${ctx.bin} drain ${common}${ctx.drainArgs.length ? ` ${ctx.drainArgs.map(shellQuote).join(' ')}` : ''} --yes`,
    )
    if (stopped.some((r) => r.cluster === cluster && r.status === 'DRAINING')) {
      lines.push(`Undo:   ${ctx.bin} undrain ${common}`)
    }
  }
  return lines
}

/** The AWS and drain flags of this run that a pasted resume command must repeat. */
export function commandContext(bin: string, flags: Record<string, unknown>): CommandContext {
  const pairs = (names: string[]) =>
    names.flatMap((name) => (typeof flags[name] === 'string' ? [`--${name}`, flags[name] as string] : []))
  const switches = (names: string[]) =>
    names.filter((name) => flags[name] === true).map((name) => `--${name}`)
  return {
    bin,
    awsArgs: pairs(['region', 'profile', 'endpoint-url']),
    drainArgs: [...switches(['force', 'stop-standalone', 'no-complete']), ...pairs(['hook', 'asg'])],
  }
}

/**
 * What `drain` prints once every drain has ended: the summaries on stdout (unless the progress display
 * already ended on them), then on stderr why each unfinished drain still waits, an interrupt's resume and
 * undo commands, and a timeout's pending lifecycle action.
 */
export function batchReportLines(
  results: readonly DrainResult[],
  ctx: CommandContext,
  o: {summaries: boolean},
): {stdout: string[]; stderr: string[]} {
  const pending = (r: DrainResult) =>
    r.outcome === 'timeout'
      ? r.warnings.filter((w) => w.includes('still pending')).map((w) => `${r.ec2InstanceId}: ${w}`)
      : []
  return {
    stdout: o.summaries ? results.map(summaryLine) : [],
    stderr: [...results.flatMap(waitingLines), ...interruptLines(results, ctx), ...results.flatMap(pending)],
  }
}
