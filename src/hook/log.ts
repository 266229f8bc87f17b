/**
 * Structured JSON logs, one object a line: searchable in CloudWatch Logs Insights by `event` and
 * `instanceId`. `level` and `event` always win over fields of the same name.
 */
export type HookLogger = (
  level: 'info' | 'warn' | 'error',
  event: string,
  fields?: Record<string, unknown>,
) => void

export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): HookLogger {
  return (level, event, fields = {}) =>
    write(JSON.stringify(Object.assign({level, event}, fields, {level, event})))
}
