/**
 * A fast path for string-width 4, which oclif's help (its formatter, wrap-ansi and widest-line) calls for
 * every word and every partial line it wraps: each call strips ANSI codes and runs emoji-regex's pattern
 * (built anew per call, and compiled on the first) over the string. For printable ASCII (0x20-0x7e), which
 * all our help texts are, string-width counts one column per character, so the length is the answer; any
 * other string (colours, tabs, non-ASCII) goes to string-width itself. scripts/bundle/plugins.mjs puts this
 * in front of every bundled `require('string-width')`. Measured with `node --cpu-prof` on
 * `instances --help`: string-width was about 5 ms of the ~20 ms that rendering the page took.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

export type StringWidth = (input: string) => number

export function withAsciiFastPath(stringWidth: StringWidth): StringWidth {
  return (input) =>
    typeof input === 'string' && PRINTABLE_ASCII.test(input) ? input.length : stringWidth(input)
}
