/**
 * The lifecycle heartbeats ecsdrain itself sent (drain, heartbeat, watch's `h` and its drains), kept in a
 * small file in the cache directory. Auto Scaling reports no heartbeat anywhere, so without this a later
 * `ecsdrain instances` could only estimate the deadline from the termination's start and show it too early;
 * with it, the deadline ecsdrain pushed is the one shown, as the TUI shows the ones it sent. A heartbeat
 * sent by anything else (the hook's Lambda) still pushes the real deadline later than shown.
 */
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface HeartbeatRecord {
  /** The endpoint or region the heartbeat went to: instance ids repeat across sims and accounts. */
  where: string
  instanceId: string
  hook: string
  at: string
}

/** A pending action lasts at most 48 h (the global timeout's ceiling): older records are of no use. */
const KEEP_MS = 48 * 3600_000
const MAX_RECORDS = 2000

export class HeartbeatLog {
  private readonly file: string

  constructor(cacheDir: string) {
    this.file = join(cacheDir, 'heartbeats.json')
  }

  read(): HeartbeatRecord[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as {heartbeats?: HeartbeatRecord[]}
      return Array.isArray(parsed.heartbeats) ? parsed.heartbeats : []
    } catch {
      return []
    }
  }

  /** The latest heartbeat recorded for each instance's hook at `where`. */
  lookup(where: string): (instanceId: string, hook: string) => Date | undefined {
    const latest = new Map<string, Date>()
    for (const r of this.read()) {
      if (r.where !== where) continue
      const key = `${r.instanceId} ${r.hook}`
      const at = new Date(r.at)
      if (!Number.isNaN(at.getTime()) && !(latest.get(key)! > at)) latest.set(key, at)
    }
    return (instanceId, hook) => latest.get(`${instanceId} ${hook}`)
  }

  /**
   * Adds one record, dropping expired ones. Best effort: a read-only or full disk must never fail the
   * heartbeat itself, which has already been sent. The file is replaced whole (write, then rename), so a
   * concurrent reader never sees half of it; two writers at once can lose a record, never corrupt the file.
   */
  record(entry: Omit<HeartbeatRecord, 'at'>, at: Date): void {
    try {
      const cutoff = at.getTime() - KEEP_MS
      const kept = this.read().filter((r) => new Date(r.at).getTime() > cutoff)
      const heartbeats = [...kept, {...entry, at: at.toISOString()}].slice(-MAX_RECORDS)
      mkdirSync(join(this.file, '..'), {recursive: true})
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify({heartbeats}))
      renameSync(tmp, this.file)
    } catch {
      // See above: the record is a convenience for later listings.
    }
  }
}

/** Where calls go: the endpoint override, else the profile and region; what the records are keyed by. */
export function heartbeatScope(options: {endpointUrl?: string; region?: string; profile?: string}): string {
  const endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL
  if (endpoint) return endpoint
  const profile = options.profile ?? process.env.AWS_PROFILE ?? 'default'
  return `${profile}/${options.region ?? process.env.AWS_REGION ?? ''}`
}
