import type {ContainerInstance} from '../model.js'
import {AGENT_VERSION, instanceAttributes} from './instances.js'
import {invalid} from './lookup.js'

/**
 * The cluster query language, as "Create expressions to define container instances for Amazon ECS tasks"
 * describes it (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html):
 * `subject operator [argument]`, joined with `and`/`&&`, `or`/`||`, `not`/`!` and parentheses. Subjects:
 * agentConnected, agentVersion, attribute:NAME (built-in and custom attributes), ec2InstanceId, registeredAt,
 * runningTasksCount and task:group. Used by ListContainerInstances' filter and by memberOf constraints.
 */

type Node =
  | {kind: 'and' | 'or'; left: Node; right: Node}
  | {kind: 'not'; inner: Node}
  | {kind: 'test'; subject: string; op: string; values: string[]}

export interface CompiledExpression {
  matches(ci: ContainerInstance): boolean
  /** The EC2 ids the expression is limited to (an `ec2InstanceId ==`/`in` conjunct), for an indexed lookup. */
  ec2InstanceIds?: string[]
}

const OPERATORS: Record<string, string> = {
  '==': '==',
  equals: '==',
  '!=': '!=',
  not_equals: '!=',
  '>': '>',
  greater_than: '>',
  '>=': '>=',
  greater_than_equal: '>=',
  '<': '<',
  less_than: '<',
  '<=': '<=',
  less_than_equal: '<=',
  exists: 'exists',
  '!exists': '!exists',
  not_exists: '!exists',
  in: 'in',
  '!in': '!in',
  not_in: '!in',
  '=~': '=~',
  matches: '=~',
  '!~': '!~',
  not_matches: '!~',
}
const SYMBOLS = ['!exists', '!in', '==', '!=', '>=', '<=', '=~', '!~', '&&', '||', '>', '<', '!']
const SUBJECTS =
  /^(agentConnected|agentVersion|attribute:[\w./:-]+|ec2InstanceId|registeredAt|runningTasksCount|task:group)$/

function tokenize(text: string): string[] {
  const tokens: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    if ('()[],'.includes(c)) {
      tokens.push(c)
      i++
      continue
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1)
      if (end < 0) throw new Error('an unterminated quote')
      tokens.push(`\u0000${text.slice(i + 1, end)}`)
      i = end + 1
      continue
    }
    // `!in` and `!exists` are operators only as whole words; `!` before anything else is `not`.
    const symbol = SYMBOLS.find(
      (s) => text.startsWith(s, i) && !(/\w$/.test(s) && /\w/.test(text[i + s.length] ?? '')),
    )
    if (symbol) {
      tokens.push(symbol)
      i += symbol.length
      continue
    }
    let j = i
    while (j < text.length && !/[\s()[\],]/.test(text[j]!) && !/^(==|!=|>=|<=|=~|!~)/.test(text.slice(j))) j++
    if (j === i) throw new Error(`an unexpected "${c}"`)
    tokens.push(text.slice(i, j))
    i = j
  }
  return tokens
}

class Parser {
  private at = 0
  constructor(private readonly tokens: string[]) {}

  parse(): Node {
    const node = this.or()
    if (this.at < this.tokens.length) throw new Error(`unexpected "${this.tokens[this.at]}"`)
    return node
  }

  private peek(): string | undefined {
    return this.tokens[this.at]
  }

  private next(): string {
    const t = this.tokens[this.at++]
    if (t === undefined) throw new Error('the expression ends too soon')
    return t
  }

  private or(): Node {
    let left = this.and()
    while (this.peek() === 'or' || this.peek() === '||') {
      this.at++
      left = {kind: 'or', left, right: this.and()}
    }
    return left
  }

  private and(): Node {
    let left = this.unary()
    while (this.peek() === 'and' || this.peek() === '&&') {
      this.at++
      left = {kind: 'and', left, right: this.unary()}
    }
    return left
  }

  private unary(): Node {
    const t = this.peek()
    if (t === 'not' || t === '!') {
      this.at++
      return {kind: 'not', inner: this.unary()}
    }
    if (t === '(') {
      this.at++
      const inner = this.or()
      if (this.next() !== ')') throw new Error('a missing ")"')
      return inner
    }
    return this.test()
  }

  private test(): Node {
    const subject = this.next()
    if (!SUBJECTS.test(subject)) throw new Error(`unknown subject "${subject}"`)
    const op = OPERATORS[this.next()]
    if (!op) throw new Error(`unknown operator after ${subject}`)
    if (op === 'exists' || op === '!exists') return {kind: 'test', subject, op, values: []}
    if (op === 'in' || op === '!in') {
      if (this.next() !== '[') throw new Error(`a list in [...] after ${op}`)
      const values: string[] = []
      while (this.peek() !== ']') {
        values.push(value(this.next()))
        if (this.peek() === ',') this.at++
      }
      this.at++
      return {kind: 'test', subject, op, values}
    }
    return {kind: 'test', subject, op, values: [value(this.next())]}
  }
}

function value(token: string): string {
  if ('()[],'.includes(token)) throw new Error(`a value instead of "${token}"`)
  return token.startsWith('\u0000') ? token.slice(1) : token
}

/** Compiles an expression once, for evaluation against many instances; InvalidParameterException if malformed. */
export function compileExpression(text: string): CompiledExpression {
  let node: Node
  try {
    node = new Parser(tokenize(text)).parse()
    checkRegexes(node)
  } catch (error) {
    throw invalid(`The expression is invalid: ${(error as Error).message} in "${text}".`)
  }
  return {matches: (ci) => evaluate(node, ci), ec2InstanceIds: indexable(node)}
}

function checkRegexes(node: Node): void {
  if (node.kind === 'test') {
    if (node.op === '=~' || node.op === '!~') new RegExp(`^(?:${node.values[0]})$`)
  } else if (node.kind === 'not') checkRegexes(node.inner)
  else {
    checkRegexes(node.left)
    checkRegexes(node.right)
  }
}

function indexable(node: Node): string[] | undefined {
  if (node.kind === 'test')
    return node.subject === 'ec2InstanceId' && (node.op === '==' || node.op === 'in')
      ? node.values
      : undefined
  if (node.kind === 'and') return indexable(node.left) ?? indexable(node.right)
  return undefined
}

function evaluate(node: Node, ci: ContainerInstance): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, ci) && evaluate(node.right, ci)
    case 'or':
      return evaluate(node.left, ci) || evaluate(node.right, ci)
    case 'not':
      return !evaluate(node.inner, ci)
    case 'test':
      return node.subject === 'task:group'
        ? testGroups(node, ci)
        : testValue(node, subjectValue(node.subject, ci))
  }
}

function subjectValue(subject: string, ci: ContainerInstance): string | undefined {
  switch (subject) {
    case 'agentConnected':
      return String(ci.agentConnected)
    case 'agentVersion':
      return AGENT_VERSION
    case 'ec2InstanceId':
      return ci.ec2InstanceId
    case 'registeredAt':
      return new Date(ci.registeredAt).toISOString()
    case 'runningTasksCount':
      return String(ci.runningCount)
    default: {
      const attrs = instanceAttributes(ci)
      const name = subject.slice('attribute:'.length)
      // A name-only attribute (a capability) exists, with an empty value.
      return attrs.has(name) ? (attrs.get(name) ?? '') : undefined
    }
  }
}

function compare(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb
  const da = Date.parse(a)
  const db = Date.parse(b)
  if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db
  // Versions such as 1.89.0: part by part.
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0 && Number.isFinite(d)) return d
  }
  return a.localeCompare(b)
}

function testValue(node: {op: string; values: string[]}, v: string | undefined): boolean {
  const [arg = ''] = node.values
  switch (node.op) {
    case 'exists':
      return v !== undefined
    case '!exists':
      return v === undefined
    case '==':
      return v === arg
    case '!=':
      return v !== arg
    case 'in':
      return v !== undefined && node.values.includes(v)
    case '!in':
      return v === undefined || !node.values.includes(v)
    case '=~':
      return v !== undefined && new RegExp(`^(?:${arg})$`).test(v)
    case '!~':
      return v === undefined || !new RegExp(`^(?:${arg})$`).test(v)
    default: {
      if (v === undefined) return false
      const d = compare(v, arg)
      return node.op === '>' ? d > 0 : node.op === '>=' ? d >= 0 : node.op === '<' ? d < 0 : d <= 0
    }
  }
}

/** task:group: true when some task live on the instance is in the group (or, for the negations, none is). */
function testGroups(node: {op: string; values: string[]}, ci: ContainerInstance): boolean {
  const groups = new Set<string>()
  for (const t of ci.tasks) if (t.desiredStatus === 'RUNNING') groups.add(t.group)
  const any = (pred: (g: string) => boolean) => [...groups].some(pred)
  switch (node.op) {
    case '!=':
    case '!in':
    case '!~':
      return !testGroups({...node, op: node.op === '!=' ? '==' : node.op === '!in' ? 'in' : '=~'}, ci)
    case 'exists':
      return groups.size > 0
    case '!exists':
      return groups.size === 0
    default:
      return any((g) => testValue(node, g))
  }
}
