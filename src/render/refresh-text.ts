/**
 * `ecsdrain refresh` as text: the plan (what --dry-run prints), one line per follower event for a log, and
 * what to run next after a stop or an interrupt. The drain events of assisted mode reuse drain's own lines.
 */
import type {GroupRefreshPlan, GroupRefreshResult, RefreshEvent, RefreshPlan} from '../core/refresh/types.js'

export function planLines(plan: RefreshPlan): string[] {
  return plan.groups.flatMap(groupPlanLines)
}

function groupPlanLines(g: GroupRefreshPlan): string[] {
  const lines = [
    `${g.autoScalingGroupName}: replace ${g.toReplace.length} of ${g.instances.length} instance(s) (desired ${g.desiredCapacity}) with ${g.launchTemplate ?? 'the launch template'}`,
  ]
  for (const i of g.instances)
    lines.push(
      `  ${i.ec2InstanceId}  ${i.availabilityZone ?? '-'}  ${i.tasks} task(s)  ${i.launchTemplate ?? '-'}  ${i.replace ? 'replace' : 'skip (matches)'}`,
    )
  lines.push(
    `  largest safe batch: ${g.largestSafeBatch}${g.batchLimit ? ` (more is not: ${g.batchLimit})` : ''}`,
    `  ${g.strategy}: MinHealthyPercentage ${g.minHealthyPercentage}, MaxHealthyPercentage ${g.maxHealthyPercentage} (${g.percentagesFrom === 'plan' ? 'from the plan' : 'from the flags'})`,
  )
  if (g.drainers.length === 0) lines.push('  who drains: nobody')
  for (const d of g.drainers) lines.push(`  who drains: ${d.kind}: ${d.detail}`)
  for (const h of g.hooks) lines.push(`  hook ${h.hookName}: ${h.verdict}: ${h.detail}`)
  for (const b of g.blockers)
    lines.push(`  ${b.refuses ? 'REFUSES' : 'blocker'} ${b.kind}: ${b.detail}`, `    fix: ${b.fix}`)
  for (const w of g.warnings) lines.push(`  warning: ${w}`)
  lines.push(
    g.refused
      ? `  verdict: REFUSED, exit 4 (nothing was changed; --force to start anyway)`
      : g.toReplace.length === 0
        ? `  verdict: nothing to replace: no refresh would be started`
        : `  verdict: would start the refresh`,
  )
  return lines
}

/** One line per event worth a line in a log; null for one that says nothing new. */
export function refreshEventLine(e: RefreshEvent): string | null {
  const g = e.autoScalingGroupName
  switch (e.type) {
    case 'started':
      return `${g}: instance refresh ${e.instanceRefreshId} started (MinHealthyPercentage ${e.minHealthyPercentage}, MaxHealthyPercentage ${e.maxHealthyPercentage})`
    case 'progress': {
      const replacing = e.replacing.map((r) => `${r.ec2InstanceId} ${r.lifecycleState}`).join(', ')
      return (
        `${g}: ${e.status} ${e.percentageComplete}%` +
        (e.instancesToUpdate === null ? '' : `, ${e.instancesToUpdate} to update`) +
        (replacing ? `; replacing ${replacing}` : '') +
        (e.statusReason ? ` (${e.statusReason})` : '')
      )
    }
    case 'guard':
      return `${g}: GUARD ${e.guard.kind}: ${e.guard.detail}; --on-failure ${e.guard.action}: ${e.guard.actionResult}`
    case 'drain-finished':
      return `${g}: ${e.ec2InstanceId}: drain ${e.result.outcome}${e.result.lifecycleAction?.result ? `, ${e.result.lifecycleAction.result} sent` : ''}`
    case 'finished':
      return resultLine(e.result)
    case 'drain':
      return null
  }
}

export function resultLine(r: GroupRefreshResult): string {
  return (
    `${r.autoScalingGroupName}: refresh ${r.instanceRefreshId ?? '-'} ${r.outcome}` +
    (r.status
      ? ` (Auto Scaling: ${r.status}${r.percentageComplete === null ? '' : ` ${r.percentageComplete}%`})`
      : '') +
    (r.guard ? `: ${r.guard.detail}` : '')
  )
}

/** After an interrupt, a stop or a timeout: the exact commands to follow, cancel or roll back, and resume drains. */
export function nextStepLines(r: GroupRefreshResult, bin: string, cluster: string): string[] {
  const g = r.autoScalingGroupName
  const lines: string[] = []
  const live =
    r.outcome === 'interrupted' ||
    r.outcome === 'timeout' ||
    (r.outcome === 'stopped' && r.status !== 'Cancelled')
  if (live && r.instanceRefreshId) {
    lines.push(
      `${g}: the instance refresh ${r.instanceRefreshId} was left as it is (${r.status ?? 'unknown'}). Next:`,
      `  follow:    ${bin} refresh --cluster ${cluster} --asg ${g} --follow ${r.instanceRefreshId}`,
      `  cancel:    aws autoscaling cancel-instance-refresh --auto-scaling-group-name ${g}`,
      `  roll back: aws autoscaling rollback-instance-refresh --auto-scaling-group-name ${g}`,
    )
  }
  for (const id of r.leftWaiting)
    lines.push(
      `${id} waits in Terminating:Wait with tasks still live; its lifecycle action is pending (when it times out, Auto Scaling applies the hook's default result).`,
      `  resume the drain: ${bin} drain ${id} --cluster ${cluster} --yes    hold it: ${bin} heartbeat ${id}    undo DRAINING: ${bin} undrain ${id}`,
    )
  return lines
}
