/**
 * Preload for `node --import`: when the process exits, writes to STARTUP_TRACE_FILE what the run started
 * that costs every run time, as JSON: `icu`, the ICU-backed calls it made (the first `localeCompare` or
 * Intl formatter in a process starts ICU's collator or formatter, 10 ms and more), and `builtins`, the
 * Node built-in modules it loaded (process.moduleLoadList).
 */
import {writeFileSync} from 'node:fs'

const icu = new Set()
const note = (what) => icu.add(what)
const wrapMethod = (proto, key, what) => {
  const original = proto[key]
  proto[key] = function (...args) {
    note(what)
    return original.apply(this, args)
  }
}
wrapMethod(String.prototype, 'localeCompare', 'String#localeCompare')
wrapMethod(Number.prototype, 'toLocaleString', 'Number#toLocaleString')
for (const key of ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'])
  wrapMethod(Date.prototype, key, `Date#${key}`)
for (const key of [
  'Collator',
  'DateTimeFormat',
  'NumberFormat',
  'PluralRules',
  'RelativeTimeFormat',
  'Segmenter',
]) {
  const original = Intl[key]
  Intl[key] = new Proxy(original, {
    construct: (target, args) => (note(`Intl.${key}`), new target(...args)),
    apply: (target, self, args) => (note(`Intl.${key}`), target.apply(self, args)),
  })
}

process.on('exit', () => {
  if (!process.env.STARTUP_TRACE_FILE) return
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))
  writeFileSync(process.env.STARTUP_TRACE_FILE, JSON.stringify({icu: [...icu], builtins}))
})
