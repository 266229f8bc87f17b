/**
 * The cluster query language of `memberOf` placement constraints, evaluated against one container
 * instance, so that preflight can tell where a service's replacements may go. Grammar and operators as
 * documented in "Create expressions to define container instances for Amazon ECS tasks"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html):
 * `subject operator [argument]`, joined with `and`/`&&`, `or`/`||`, negated with `not(...)`/`!(...)`,
 * grouped with parentheses; `in` takes a list `[a, b]`; `=~` matches with `*` as the wildcard.
 * Subjects it cannot know from a ContainerInstance (agentVersion, task:group) throw UnknownSubject.
 */
import type {ContainerInstance} from '../types.js'

export class QuerySyntaxError extends Error {}
export class UnknownSubject extends Error {}

type Node =
  | {op: 'and' | 'or'; left: Node; right: Node}
  | {op: 'not'; inner: Node}
  | {op: 'cmp'; subject: string; operator: string; args: string[]}

const WORD_OPS: Record<string, string> = {
  equals: '==',
  not_equals: '!=',
  greater_than: '>',
  greater_than_equal: '>=',
  less_than: '<',
  less_than_equal: '<=',
  matches: '=~',
  not_matches: '!~',
  not_in: '!in',
  not_exists: '!exists',
  in: 'in',
  exists: 'exists',
}
const SYMBOL_OPS = new Set(['==', '!=', '>', '>=', '<', '<=', '=~', '!~', '!in', '!exists'])

function tokenize(text: string): string[] {
  const tokens = text.match(/\s*(==|!=|>=|<=|=~|!~|&&|\|\||!in\b|!exists\b|[()[\],!<>]|[^\s()[\],!<>=~|&]+)/g)
  return (tokens ?? []).map((t) => t.trim()).filter(Boolean)
}

function parse(text: string): Node {
  const tokens = tokenize(text)
  let i = 0
  const peek = () => tokens[i]
  const next = () => {
    const t = tokens[i++]
    if (t === undefined) throw new QuerySyntaxError(`unexpected end of expression: ${text}`)
    return t
  }
  const expect = (t: string) => {
    if (next() !== t) throw new QuerySyntaxError(`expected "${t}" in: ${text}`)
  }
  const list = (): string[] => {
    const close = next() === '[' ? ']' : ')'
    const items: string[] = []
    while (peek() !== close) {
      items.push(next())
      if (peek() === ',') next()
    }
    expect(close)
    return items
  }
  const factor = (): Node => {
    const t = next()
    if ((t === 'not' || t === '!') && peek() === '(') {
      next()
      const inner = or()
      expect(')')
      return {op: 'not', inner}
    }
    if (t === '(') {
      const inner = or()
      expect(')')
      return inner
    }
    const word = next()
    const operator = WORD_OPS[word] ?? (SYMBOL_OPS.has(word) ? word : undefined)
    if (!operator) throw new QuerySyntaxError(`unknown operator "${word}" in: ${text}`)
    if (operator === 'exists' || operator === '!exists') return {op: 'cmp', subject: t, operator, args: []}
    const args = peek() === '[' || (peek() === '(' && operator.endsWith('in')) ? list() : [next()]
    return {op: 'cmp', subject: t, operator, args}
  }
  const and = (): Node => {
    let left = factor()
    while (peek() === 'and' || peek() === '&&') {
      next()
      left = {op: 'and', left, right: factor()}
    }
    return left
  }
  function or(): Node {
    let left = and()
    while (peek() === 'or' || peek() === '||') {
      next()
      left = {op: 'or', left, right: and()}
    }
    return left
  }
  const tree = or()
  if (i !== tokens.length) throw new QuerySyntaxError(`unexpected "${tokens[i]}" in: ${text}`)
  return tree
}

function valueOf(instance: ContainerInstance, subject: string): string | undefined {
  if (subject.startsWith('attribute:')) {
    const name = subject.slice('attribute:'.length)
    const attrs = instance.attributes ?? {}
    if (name in attrs) return attrs[name]
    if (name === 'ecs.availability-zone') return instance.availabilityZone ?? undefined
    if (name === 'ecs.instance-type') return instance.instanceType ?? undefined
    return undefined
  }
  switch (subject) {
    case 'ec2InstanceId':
      return instance.ec2InstanceId
    case 'agentConnected':
      return String(instance.agentConnected)
    case 'runningTasksCount':
      return String(instance.runningTasksCount)
    case 'registeredAt':
      return instance.registeredAt?.toISOString()
    default:
      throw new UnknownSubject(subject)
  }
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)

function compare(value: string | undefined, operator: string, args: string[]): boolean {
  if (operator === 'exists') return value !== undefined
  if (operator === '!exists') return value === undefined
  if (value === undefined) return operator === '!=' || operator === '!in' || operator === '!~'
  const arg = args[0] ?? ''
  const order = () => {
    const [a, b] = [Number(value), Number(arg)]
    return Number.isFinite(a) && Number.isFinite(b) ? a - b : value.localeCompare(arg)
  }
  switch (operator) {
    case '==':
      return value === arg
    case '!=':
      return value !== arg
    case 'in':
      return args.includes(value)
    case '!in':
      return !args.includes(value)
    case '=~':
      return glob(arg).test(value)
    case '!~':
      return !glob(arg).test(value)
    case '>':
      return order() > 0
    case '>=':
      return order() >= 0
    case '<':
      return order() < 0
    default:
      return order() <= 0
  }
}

function evaluate(node: Node, instance: ContainerInstance): boolean {
  switch (node.op) {
    case 'and':
      return evaluate(node.left, instance) && evaluate(node.right, instance)
    case 'or':
      return evaluate(node.left, instance) || evaluate(node.right, instance)
    case 'not':
      return !evaluate(node.inner, instance)
    case 'cmp':
      return compare(valueOf(instance, node.subject), node.operator, node.args)
  }
}

/** Whether the instance is a member of the expression's group. Throws QuerySyntaxError or UnknownSubject. */
export function matchesQuery(expression: string, instance: ContainerInstance): boolean {
  return evaluate(parse(expression), instance)
}
