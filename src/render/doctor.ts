/**
 * `ecsdrain doctor`'s text report: a summary line with the score, then the findings grouped by severity
 * (errors first), each with its resource, the evidence read and the fix. Symbols carry the severity, so
 * the report reads the same without colour.
 */
import type {DoctorReport, Evidence, Finding, Severity} from '../core/doctor/index.js'

const HEADING: Record<Severity, string> = {error: 'ERRORS', warn: 'WARNINGS', info: 'INFO'}
const MARK: Record<Severity, string> = {error: '✗', warn: '!', info: '·'}

function evidenceText(e: Evidence): string {
  return Object.entries(e)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join(' ')
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function findingLines(f: Finding, multiCluster: boolean): string[] {
  const where = multiCluster ? `${f.cluster} ${f.resource}` : f.resource
  return [
    `  ${MARK[f.severity]} [${f.check}] ${where}`,
    `      ${f.message}`,
    `      evidence: ${evidenceText(f.evidence)}`,
    `      fix: ${f.fix}`,
  ]
}

export function renderDoctorText(report: DoctorReport): string[] {
  const {counts} = report
  const lines = [
    `ecsdrain doctor ${report.version}: ${report.clusters.join(', ')}: score ${report.score}/100 ` +
      `(${plural(counts.error, 'error')}, ${plural(counts.warn, 'warning')}, ${counts.info} info; ${report.checks.length} checks)`,
  ]
  const multi = report.clusters.length > 1
  for (const severity of ['error', 'warn', 'info'] as const) {
    const group = report.findings.filter((f) => f.severity === severity)
    if (group.length === 0) continue
    lines.push('', `${HEADING[severity]} (${group.length})`)
    for (const f of group) lines.push(...findingLines(f, multi))
  }
  if (report.findings.length === 0) lines.push('', 'No findings: every check passed.')
  return lines
}
