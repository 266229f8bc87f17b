/**
 * `ecsdrain report --html` in a real browser. The rollout of the seed's outage (an instance refresh started
 * without a hook: the only instance is terminated with its task running) is run in the sim; the built CLI
 * writes the page; Debian's headless Chromium dumps the DOM it parsed and renders it to a PNG. The test checks
 * that the verdict and the chart are there in the DOM and on screen: the outage minute's red band, the
 * MemoryReservation line, a lane per replaced instance.
 *
 * ECSDRAIN_WRITE_DOCS=1 also copies the PNG to docs/report.png (the README's screenshot).
 */
import {copyFileSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {StartInstanceRefreshCommand, DescribeInstanceRefreshesCommand} from '@aws-sdk/client-auto-scaling'
import {parseHTML} from 'linkedom'
import {describe, expect, it} from 'vitest'

import type {ClusterReport} from '../../src/core/report/types.js'
import {countPixels, dumpDom, screenshot} from '../helpers/chromium.js'
import {REPO_ROOT} from '../helpers/sim.js'
import {CLUSTER, GROUP, drainSimPerTest, until} from './drain-helpers.js'

const startSim = drainSimPerTest()

describe('report --html in headless Chromium', {timeout: 180_000}, () => {
  it('shows the verdict, the MemoryReservation chart with the outage minute marked, and the instance lanes', async () => {
    const s = await startSim({hook: 'none'})
    await s.autoScaling.send(new StartInstanceRefreshCommand({AutoScalingGroupName: GROUP}))
    await until(
      'the refresh to succeed',
      async () => {
        const out = await s.autoScaling.send(
          new DescribeInstanceRefreshesCommand({AutoScalingGroupName: GROUP}),
        )
        return out.InstanceRefreshes?.[0]?.Status === 'Successful' ? true : undefined
      },
      120_000,
    )
    const dir = mkdtempSync(join(tmpdir(), 'ecsdrain-browser-'))
    const html = join(dir, 'report.html')
    const report = await until(
      'a report with the outage minute and the replacement back',
      async () => {
        const r = await s.cli(['report', '--cluster', CLUSTER, '--json', '--html', html])
        const rep = JSON.parse(r.stdout) as ClusterReport
        // Two minutes of data after the last outage minute, so that the chart shows the recovery too.
        const m = rep.memoryReservation
        const lastOutage = m.minutes.findLastIndex((x) => x.minimum <= 0)
        return lastOutage >= 0 && lastOutage < m.minutes.length - 2 ? rep : undefined
      },
      60_000,
    )

    const {document} = parseHTML(await dumpDom(html))
    const verdict = document.querySelector('#verdict')!
    expect(verdict.getAttribute('class')).toBe('outage')
    expect(verdict.textContent).toBe(report.verdict.text)
    const chart = document.querySelector('svg#memory-chart-svg')!
    expect(chart).not.toBeNull()
    // One red band per outage minute, and the line through every minute.
    expect(chart.querySelectorAll('g[aria-label="rect"][fill="#d62728"] rect').length).toBe(
      report.verdict.outageMinutes,
    )
    expect(chart.querySelector('g[aria-label="line"][stroke="#1f77b4"] path')).not.toBeNull()
    expect(chart.textContent).toContain('outage (0 %)')
    const lanes = document.querySelector('#instance-lanes-svg')!
    expect(lanes.textContent).toContain(report.instances[0]!.ec2InstanceId)
    const steps = Object.values(report.instances[0]!.timeline).filter((x) => x.at !== null).length
    expect(lanes.querySelectorAll('g[aria-label="dot"] circle').length).toBe(steps)
    expect(document.querySelectorAll('script').length).toBe(0)

    const png = join(dir, 'report.png')
    const img = await screenshot(html, png)
    expect([img.width, img.height]).toEqual([1100, 1500])
    // On screen: the verdict's red box, the outage band (#d62728 at 25 % on white), the blue line, the
    // "terminated" dot of the instance's lane (Plot's observable10 colour for the fifth step).
    expect(countPixels(img, [0xfb, 0xe3, 0xe3], 3)).toBeGreaterThan(5_000)
    expect(countPixels(img, [245, 201, 201], 6)).toBeGreaterThan(1_000)
    expect(countPixels(img, [0x1f, 0x77, 0xb4], 20)).toBeGreaterThan(300)
    expect(countPixels(img, [0x3c, 0xa9, 0x51], 6)).toBeGreaterThan(20)
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG')
    if (process.env.ECSDRAIN_WRITE_DOCS === '1') copyFileSync(png, join(REPO_ROOT, 'docs/report.png'))
  })
})
