/**
 * Debian's headless Chromium (`scripts/install-test-tools` installs it): renders a local file to a PNG and
 * dumps the DOM it parsed. Each run gets a profile directory of its own, so parallel tests never share one;
 * --no-sandbox because CI runs as root, where Chromium refuses its sandbox.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {PNG} from 'pngjs'

const run = promisify(execFile)
export const CHROMIUM = process.env.ECSDRAIN_TEST_CHROMIUM ?? '/usr/bin/chromium'

async function chromium(args: string[], file: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'ecsdrain-chromium-'))
  try {
    const {stdout} = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        ...args,
        pathToFileURL(file).href,
      ],
      {maxBuffer: 32 * 1024 * 1024, timeout: 60_000},
    )
    return stdout
  } finally {
    rmSync(profile, {recursive: true, force: true})
  }
}

/** The DOM Chromium built from the file, serialised (--dump-dom). */
export const dumpDom = (file: string) => chromium(['--dump-dom'], file)

/** Renders the file at this window size to `png` and returns the decoded image. */
export async function screenshot(file: string, png: string, width = 1100, height = 1500): Promise<PNG> {
  await chromium([`--window-size=${width},${height}`, `--screenshot=${png}`], file)
  return PNG.sync.read(readFileSync(png))
}

/** How many pixels are within `tolerance` (per channel) of this colour. */
export function countPixels(img: PNG, [r, g, b]: [number, number, number], tolerance = 12): number {
  let n = 0
  for (let i = 0; i < img.data.length; i += 4) {
    const d = img.data
    if (
      Math.abs(d[i]! - r) <= tolerance &&
      Math.abs(d[i + 1]! - g) <= tolerance &&
      Math.abs(d[i + 2]! - b) <= tolerance
    )
      n++
  }
  return n
}
