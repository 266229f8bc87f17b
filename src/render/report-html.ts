/**
 * `report --html FILE`: one self-contained page for a change ticket: no script, no network, the charts as
 * inline SVG drawn by Observable Plot against linkedom's DOM (no browser needed). The page holds the verdict,
 * the MemoryReservation Minimum per minute with every 0 % minute marked, a lane per replaced instance (its
 * timeline), the services' lowest running counts and the limits of the evidence. Loaded only for --html.
 */
import type {ClusterReport} from '../core/report/types.js'

const STEPS = [
  ['terminating', 'terminating'],
  ['draining', 'DRAINING'],
  ['lastTaskStopped', 'last task STOPPED'],
  ['lifecycleActionCompleted', 'lifecycle action completed'],
  ['terminated', 'terminated'],
] as const

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)

/** What the page needs of Plot's element (linkedom's DOM; this project compiles without the DOM types). */
interface PlotElement {
  outerHTML: string
  setAttribute(name: string, value: string): void
}

const asElement = (node: unknown) => node as PlotElement

export async function reportHtml(r: ClusterReport): Promise<string> {
  const Plot = await import('@observablehq/plot')
  const {parseHTML} = await import('linkedom')
  const {document} = parseHTML('<!doctype html><html><body></body></html>')
  const minutes = r.memoryReservation.minutes.map((m) => ({at: new Date(m.at), value: m.minimum}))
  const outage = minutes.filter((m) => m.value <= 0)
  // The window, or the part of it CloudWatch has data for (a sim's region did not exist before it started).
  const first = minutes[0]?.at.getTime() ?? Date.parse(r.window.start)
  const last = (minutes.at(-1)?.at.getTime() ?? 0) + 60_000
  const domain: [Date, Date] = [
    new Date(
      Math.max(
        Date.parse(r.window.start),
        Math.min(first, ...r.instances.map((i) => Date.parse(i.timeline.terminating.at ?? r.window.end))),
      ),
    ),
    new Date(Math.max(Date.parse(r.window.end), last)),
  ]
  const memory = asElement(
    Plot.plot({
      document,
      width: 960,
      height: 260,
      marginLeft: 150,
      x: {type: 'utc', domain, label: 'time (UTC)', tickFormat: '%H:%M'},
      y: {domain: [0, 100], grid: true, label: 'MemoryReservation Minimum (%)'},
      marks: [
        Plot.rectX(outage, {
          x1: 'at',
          x2: (d: {at: Date}) => new Date(d.at.getTime() + 60_000),
          y1: 0,
          y2: 100,
          fill: '#d62728',
          fillOpacity: 0.25,
        }),
        Plot.areaY(minutes, {x: 'at', y: 'value', fill: '#1f77b4', fillOpacity: 0.15, curve: 'step-after'}),
        Plot.lineY(minutes, {x: 'at', y: 'value', stroke: '#1f77b4', curve: 'step-after'}),
        Plot.dot(outage, {x: 'at', y: 0, fill: '#d62728', r: 4, symbol: 'triangle'}),
        Plot.text(outage.slice(0, 1), {
          x: 'at',
          y: 92,
          text: () => 'outage (0 %)',
          fill: '#d62728',
          textAnchor: 'start',
          dx: 4,
        }),
        Plot.ruleY([0]),
      ],
    }),
  )
  memory.setAttribute('id', 'memory-chart-svg')
  memory.setAttribute('aria-label', 'MemoryReservation Minimum per minute')
  const steps = r.instances.flatMap((i) =>
    STEPS.map(([key, label]) => ({
      instance: i.ec2InstanceId,
      step: label,
      at: i.timeline[key].at,
      evidence: i.timeline[key].evidence,
    }))
      .filter((s) => s.at !== null)
      .map((s) => ({...s, at: new Date(s.at!)})),
  )
  const spans = r.instances.map((i) => ({
    instance: i.ec2InstanceId,
    start: new Date(i.timeline.terminating.at ?? r.window.start),
    end: new Date(i.timeline.terminated.at ?? r.window.end),
    killed: i.terminatedWithTasks,
  }))
  const lanes = asElement(
    Plot.plot({
      document,
      width: 960,
      height: 80 + 40 * Math.max(1, r.instances.length),
      marginLeft: 150,
      x: {type: 'utc', domain, label: 'time (UTC)', tickFormat: '%H:%M'},
      y: {label: null, domain: r.instances.map((i) => i.ec2InstanceId)},
      color: {legend: true, domain: STEPS.map(([, l]) => l)},
      marks: [
        Plot.barX(spans, {
          y: 'instance',
          x1: 'start',
          x2: 'end',
          fill: (d: {killed: boolean}) => (d.killed ? '#f4b6b6' : '#dde7f0'),
        }),
        Plot.dot(steps, {
          y: 'instance',
          x: 'at',
          fill: 'step',
          r: 5,
          stroke: 'white',
          title: (d: {step: string; evidence: string}) => `${d.step} (${d.evidence})`,
        }),
      ],
    }),
  )
  lanes.setAttribute('id', 'instance-lanes-svg')
  lanes.setAttribute('aria-label', 'One lane per replaced instance')
  const cls = r.verdict.outage ? 'outage' : 'ok'
  const rows = r.services
    .map(
      (s) =>
        `<tr${s.belowMinimum ? ' class="below"' : ''}><td>${escape(s.service)}</td><td>${s.desiredCount}</td><td>${s.minimumHealthy}</td><td>${s.lowestRunning}</td><td>${s.lowestAt ?? '-'}</td></tr>`,
    )
    .join('')
  const timeline = r.instances
    .map(
      (i) =>
        `<tr><td>${i.ec2InstanceId}</td>${STEPS.map(([k]) => `<td title="${escape(i.timeline[k].note)}">${i.timeline[k].at?.slice(11, 19) ?? '-'}${i.timeline[k].evidence === 'inferred' ? ' ~' : ''}</td>`).join('')}<td>${escape(i.timeline.lifecycleActionCompleted.by)}</td><td>${i.tasksMoved.length}${i.terminatedWithTasks ? ' (killed)' : ''}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ecsdrain report: ${escape(r.cluster)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
#verdict{font-size:1.4em;font-weight:600;padding:10px 14px;border-radius:6px}
#verdict.ok{background:#e3f4e3;color:#1b5e20}#verdict.outage{background:#fbe3e3;color:#b71c1c}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;font-size:.9em;text-align:left}
tr.below td{color:#b71c1c}figure{margin:8px 0 24px}small{color:#666}
</style></head><body>
<h1>ecsdrain report: ${escape(r.cluster)}</h1>
<p><small>${r.window.start} to ${r.window.end} (UTC)${r.refreshes.map((f) => ` · instance refresh ${escape(f.instanceRefreshId)} ${escape(f.status)}`).join('')}</small></p>
<p id="verdict" class="${cls}">${escape(r.verdict.text)}</p>
<h2>MemoryReservation, Minimum per minute</h2>
<figure id="memory-chart">${memory.outerHTML}<figcaption><small>${outage.length} minute(s) at 0 % (red): no task reserved memory, an outage.</small></figcaption></figure>
<h2>Replaced instances</h2>
<figure id="instance-lanes">${lanes.outerHTML}</figure>
<table><tr><th>instance</th>${STEPS.map(([, l]) => `<th>${l}</th>`).join('')}<th>completed by</th><th>tasks</th></tr>${timeline}</table>
<h2>Services</h2>
<table><tr><th>service</th><th>desired</th><th>minimum healthy</th><th>lowest running</th><th>at</th></tr>${rows}</table>
<h2>What AWS cannot tell after the fact</h2>
<ul>${r.limits.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>
<p><small>~ inferred. Generated by ecsdrain.</small></p>
</body></html>
`
}
