/**
 * `ecsdrain report` for a terminal or a log: the verdict, each replaced instance's timeline as a table, the
 * services' lowest running counts, and the MemoryReservation chart (the TUI's own chart, src/ui/chart.ts),
 * with every 0 % minute marked.
 */
import type {ClusterReport, TimelineStep} from '../core/report/types.js'
import {renderChart} from '../ui/chart.js'
import {alignRows, colorEnabled, type Cell} from './columns.js'

const hhmmss = (iso: string | null) => (iso ? iso.slice(11, 19) : '-')
const mark = (s: TimelineStep) => (s.evidence === 'inferred' ? '~' : s.evidence === 'unknown' ? '?' : '')

export function reportLines(r: ClusterReport, opts: {width?: number; color?: boolean} = {}): string[] {
  const color = opts.color ?? colorEnabled()
  const width = opts.width ?? 100
  const lines = [`${r.cluster}: ${r.window.start} to ${r.window.end}`, `VERDICT: ${r.verdict.text}`, '']
  for (const f of r.refreshes)
    lines.push(
      `instance refresh ${f.instanceRefreshId} (${f.autoScalingGroupName}): ${f.status} ${f.percentageComplete}%, ${hhmmss(f.startTime)} to ${hhmmss(f.endTime)}${f.statusReason ? ` (${f.statusReason})` : ''}`,
    )
  if (r.instances.length === 0) lines.push('No instance was terminated in the window.')
  else {
    const header: Cell[] = [
      'INSTANCE',
      'TERMINATING',
      'DRAINING',
      'LAST STOPPED',
      'ACTION DONE',
      'TERMINATED',
      'TASKS',
      'BY',
    ].map((text) => ({text}))
    const rows: Cell[][] = r.instances.map((i) => {
      const t = i.timeline
      return [
        {text: i.ec2InstanceId},
        ...[t.terminating, t.draining, t.lastTaskStopped, t.lifecycleActionCompleted, t.terminated].map(
          (s) => ({
            text: `${hhmmss(s.at)}${mark(s)}`,
          }),
        ),
        {
          text: `${i.tasksMoved.length}${i.terminatedWithTasks ? ' KILLED' : ''}`,
          style: i.terminatedWithTasks ? ('red' as const) : undefined,
        },
        {text: t.lifecycleActionCompleted.by},
      ]
    })
    lines.push(
      '',
      ...alignRows([header, ...rows], color),
      '(~ inferred, ? unknown: see the limits below; times UTC)',
    )
  }
  lines.push(
    '',
    ...alignRows(
      [
        ['SERVICE', 'DESIRED', 'MINIMUM', 'LOWEST RUNNING', 'AT'].map((text) => ({text})),
        ...r.services.map((s) => [
          {text: s.service},
          {text: String(s.desiredCount), align: 'right' as const},
          {text: String(s.minimumHealthy), align: 'right' as const},
          {
            text: `${s.lowestRunning}${s.belowMinimum ? ' BELOW' : ''}`,
            align: 'right' as const,
            style: s.belowMinimum ? ('red' as const) : undefined,
          },
          {text: hhmmss(s.lowestAt)},
        ]),
      ],
      color,
    ),
  )
  const points = r.memoryReservation.minutes.map((m) => ({timestamp: new Date(m.at), value: m.minimum}))
  const chart = renderChart(points, {width, height: 8, window: Math.min(width - 8, points.length || 5)})
  lines.push('', 'MemoryReservation, Minimum per minute (▲ a 0 % minute: an outage):')
  if (chart) lines.push(...chart.plot, chart.marks, chart.ticks)
  else lines.push('  (no CloudWatch data for the window)')
  if (r.memoryReservation.outageMinutes.length)
    lines.push(
      `outage minutes: ${r.memoryReservation.outageMinutes
        .map(hhmmss)
        .map((x) => x.slice(0, 5))
        .join(', ')}`,
    )
  lines.push('', 'Limits of what AWS tells after the fact:', ...r.limits.map((l) => `- ${l}`))
  return lines
}
