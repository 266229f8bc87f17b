/**
 * `ecsdrain doctor` (issue 13), the built CLI against the sim's `misconfigured` scenario: every finding the
 * issue names, the `--json` shape (the contract in src/core/doctor/types.ts, README "ecsdrain doctor"), the
 * exit codes (5 on findings at or above --fail-on, 0 below, 2 for bad input), and that it is read-only: the
 * sim's own count of the calls it answered (GET /_sim/stats) holds only Describe, List and Get calls.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DoctorReport} from '../../src/core/doctor/index.js'
import {runCli} from '../helpers/run-cli.js'
import {REPO_ROOT, fetchStats, resetStats, startTestSim, type TestSim} from '../helpers/sim.js'

let sim: TestSim
beforeAll(async () => {
  // A real clock at speed 1: the sim's time is the wall clock's, which the CLI compares task protection with.
  sim = await startTestSim({scenario: 'misconfigured', speed: 1})
})
afterAll(async () => {
  await sim?.close()
})

const doctor = (args: string[], endpoint = sim.endpoint) =>
  runCli(['doctor', '--endpoint-url', endpoint, ...args], {timeoutMs: 90_000})

/** What the scenario sets up (src/sim/scenarios/misconfigured.ts), as [check, severity, resource]. */
const EXPECTED: Array<[string, string, string]> = [
  ['no-drainer', 'error', 'autoScalingGroup/misconfigured-bare-asg'],
  // CDK's InstanceDrainHook beside a custom one; managed draining beside a custom hook.
  ['two-drainers', 'error', 'autoScalingGroup/misconfigured-hooked-asg'],
  ['two-drainers', 'error', 'autoScalingGroup/misconfigured-managed-asg'],
  ['default-result-abandon', 'warn', 'lifecycleHook/misconfigured-hooked-asg/payments-drain-hook'],
  ['heartbeat-too-short', 'warn', 'lifecycleHook/misconfigured-hooked-asg/payments-drain-hook'],
  [
    'global-timeout-too-short',
    'warn',
    'lifecycleHook/misconfigured-hooked-asg/InfraStack-ClusterDefaultCapacityDrainECSHook1A2B3C4D-7XK2M9QZ',
  ],
  ['stop-timeout-over-hook', 'error', 'taskDefinition/web:1'],
  ['deadlock', 'error', 'service/api'],
  ['no-room-on-n-1', 'warn', 'service/web'],
  ['single-instance-constraint', 'error', 'service/reports'],
  ['single-instance-service', 'warn', 'service/cron'],
  ['single-az-service', 'warn', 'service/worker'],
  ['hook-without-target', 'warn', 'autoScalingGroup/misconfigured-daemon-asg'],
  ['refresh-below-minimum', 'warn', 'autoScalingGroup/misconfigured-bare-asg'],
  ['stack-missing', 'info', 'stack/ecsdrain-misconfigured-cluster'],
]

describe('ecsdrain doctor against the misconfigured scenario (built CLI)', () => {
  it('finds each set-up mistake, with its evidence and fix, and exits 5; it only reads', async () => {
    await resetStats(sim.endpoint)
    const r = await doctor(['--cluster', 'misconfigured-cluster', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(5)
    const report = JSON.parse(r.stdout) as DoctorReport

    // The documented shape: these keys, nothing missing.
    expect(Object.keys(report).sort()).toEqual(
      ['checkedAt', 'checks', 'clusters', 'counts', 'findings', 'score', 'version'].sort(),
    )
    expect(report.clusters).toEqual(['misconfigured-cluster'])
    expect(report.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    for (const f of report.findings) {
      expect(Object.keys(f).sort()).toEqual(
        ['check', 'cluster', 'evidence', 'fix', 'message', 'resource', 'severity'].sort(),
      )
      expect(report.checks).toContain(f.check)
      expect(f.fix.length).toBeGreaterThan(0)
      expect(Object.keys(f.evidence).length).toBeGreaterThan(0)
    }
    const found = report.findings.map((f) => [f.check, f.severity, f.resource])
    for (const e of EXPECTED) expect(found, e.join(' ')).toContainEqual(e)
    expect(report.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['daemon-only-protected-instance', 'task-protection-near-limit']),
    )
    expect(report.findings.some((f) => f.check === 'unreadable')).toBe(false)

    // Grouped by severity, errors first; counts and score as documented.
    const order = report.findings.map((f) => ['error', 'warn', 'info'].indexOf(f.severity))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    const count = (s: string) => report.findings.filter((f) => f.severity === s).length
    expect(report.counts).toEqual({error: count('error'), warn: count('warn'), info: count('info')})
    expect(report.score).toBe(Math.max(0, 100 - 20 * count('error') - 5 * count('warn') - count('info')))

    // The evidence is the values read: the CDK hook's 30 s against web's 3600 s + 120 s.
    const heartbeat = report.findings.find(
      (f) => f.check === 'heartbeat-too-short' && f.resource.includes('DrainECSHook'),
    )!
    expect(heartbeat).toMatchObject({
      severity: 'error',
      evidence: {heartbeatTimeout: 30, deregistrationDelay: 3600, stopTimeout: 120, longestStop: 3720},
    })

    // Read-only: every call the sim answered was a Describe, List or Get.
    const calls = Object.keys((await fetchStats(sim.endpoint)).operations)
    expect(calls).toEqual(expect.arrayContaining(['autoscaling:DescribeLifecycleHooks', 'ecs:ListServices']))
    for (const call of calls) expect(call).toMatch(/^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/)
  })

  it('prints the findings grouped by severity, with a score', async () => {
    const r = await doctor(['--cluster', 'misconfigured-cluster'])
    expect(r.code).toBe(5)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(
      /^ecsdrain doctor \S+: misconfigured-cluster: score \d+\/100 \(\d+ errors, \d+ warnings, \d+ info; \d+ checks\)$/,
    )
    const headings = lines
      .filter((l) => /^(ERRORS|WARNINGS|INFO) \(\d+\)$/.test(l))
      .map((l) => l.split(' ')[0])
    expect(headings).toEqual(['ERRORS', 'WARNINGS', 'INFO'])
    expect(r.stdout).toContain('  ✗ [no-drainer] autoScalingGroup/misconfigured-bare-asg')
    expect(r.stdout).toContain(
      '      fix: ecsdrain install --cluster misconfigured-cluster --asg misconfigured-bare-asg --yes',
    )
  })

  it("is what the README shows as the misconfigured scenario's report", async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
    const sample =
      /<summary>The report of the <code>misconfigured<\/code> scenario[^\n]*\n\n```text\n([\s\S]*?)\n```/.exec(
        readme,
      )?.[1]
    expect(sample, 'the README has the sample report').toBeDefined()
    const r = await doctor(['--cluster', 'misconfigured-cluster'])
    // Only the task protection's expiry differs between runs (47 h from when the sim started).
    const stable = (text: string) => text.trim().replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    expect(stable(sample!)).toBe(stable(r.stdout))
  })

  it('--fail-on sets the bar: never exits 0, warn still 5; bad input exits 2', async () => {
    const never = await doctor(['--cluster', 'misconfigured-cluster', '--fail-on', 'never', '--json'])
    expect(never.code).toBe(0)
    expect((JSON.parse(never.stdout) as DoctorReport).counts.error).toBeGreaterThan(0)
    expect((await doctor(['--all', '--fail-on', 'warn', '--json'])).code).toBe(5)
    const both = await doctor(['--cluster', 'misconfigured-cluster', '--all'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/cannot also be provided when using/)
    const bogus = await doctor(['--cluster', 'misconfigured-cluster', '--fail-on', 'sometimes'])
    expect(bogus.code).toBe(2)
    expect(bogus.stderr).toMatch(/error, warn, info, never/)
  })
})

describe('ecsdrain doctor on a drained set-up', () => {
  it('exits 0 when nothing reaches --fail-on error, and 5 with --fail-on warn', async () => {
    const ok = await startTestSim({scenario: 'todobackend', hook: 'manual', speed: 1})
    try {
      const r = await doctor(['--json'], ok.endpoint)
      expect(r.code).toBe(0)
      const report = JSON.parse(r.stdout) as DoctorReport
      expect(report.counts.error).toBe(0)
      expect(report.findings.map((f) => f.check)).toContain('hook-without-target')
      expect((await doctor(['--fail-on', 'warn'], ok.endpoint)).code).toBe(5)
    } finally {
      await ok.close()
    }
  })
})

describe('ecsdrain doctor when a read fails', () => {
  it('reports what it could not read, and skips the checks that need it rather than guess', async () => {
    // Every DescribeLifecycleHooks fails (5xx, past the SDK's retries).
    const faulty = await startTestSim({
      scenario: 'todobackend',
      speed: 1,
      faults: 'error=1@DescribeLifecycleHooks',
    })
    try {
      const r = await doctor(['--json'], faulty.endpoint)
      expect(r.code, r.stderr).toBe(0)
      const report = JSON.parse(r.stdout) as DoctorReport
      const unreadable = report.findings.filter((f) => f.check === 'unreadable')
      expect(unreadable).toEqual([
        expect.objectContaining({
          severity: 'info',
          evidence: expect.objectContaining({read: expect.stringContaining('DescribeLifecycleHooks')}),
        }),
      ])
      // Without the hooks, "no drainer" would be a guess: it is not reported.
      expect(report.findings.map((f) => f.check)).not.toContain('no-drainer')
    } finally {
      await faulty.close()
    }
  })
})
