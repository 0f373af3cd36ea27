/**
 * The part of the C preprocessor a cbindgen header needs: conditional blocks
 * (`#if`, `#ifdef`, `#ifndef`, `#elif`, `#else`, `#endif`) evaluated for the
 * target being built, `#define` of object-like macros, `#undef`, and the
 * constant expressions of `#if` lines (C17 6.10.1: integers, `defined`,
 * arithmetic, comparison and logic operators). A block is never flattened:
 * a condition rusty cannot decide stops the build instead of picking a side.
 */

/** What rusty knows about a macro name for the target being built. */
export interface MacroTable {
  /** Macros defined for the target (value as C source text; '' for `#define X`). */
  defined: Map<string, string>
  /** Macros known to be undefined for the target (`__cplusplus`, the [defines] of other targets). */
  undefined: Set<string>
}

/** An `#if` whose value rusty cannot know; names the macro and the line. */
export class UndecidableConditionError extends Error {
  constructor(
    readonly macro: string,
    readonly line: string,
    readonly items: string[],
  ) {
    super(
      `\`${line}\` depends on the macro ${macro}, which rusty cannot evaluate for this target` +
        (items.length > 0 ? ` (it guards ${items.map((item) => `\`${item}\``).join(', ')})` : ''),
    )
    this.name = 'UndecidableConditionError'
  }
}

/** A line of the header that survives preprocessing: text, or an active `#define`. */
export type PreprocessedLine =
  | { kind: 'text'; text: string }
  /** An active `#define`; `functionLike` for `#define NAME(args) ...`. */
  | { kind: 'define'; name: string; value: string; text: string; functionLike: boolean }

/**
 * The macros every header sees: C11 (`__STDC_VERSION__` 201112L, so cbindgen's
 * C23-only `enum X : uint8_t` branch is not taken and its C11 spelling,
 * `typedef uint8_t X;`, is), no C++, and no compiler's extensions.
 */
export function standardMacros(): MacroTable {
  // Which compiler reads the header changes attributes, never the C ABI of
  // cbindgen's declarations: read it as a compiler without extensions would.
  const compilers = ['__clang__', '__GNUC__', '_MSC_VER', '__INTEL_COMPILER']
  return { defined: new Map([['__STDC_VERSION__', '201112L'], ['__STDC__', '1']]), undefined: new Set(['__cplusplus', ...compilers]) }
}

/**
 * Runs the conditional part of the preprocessor over `text` (line endings
 * already normalised to `\n`).
 *
 * @param macros the target's macros; `#define`s of the header are added as read
 * @returns the active lines, in order; directives other than `#define` dropped
 * @throws UndecidableConditionError for a condition naming a macro that is neither
 *   defined nor known to be undefined
 */
export function preprocess(text: string, macros: MacroTable): PreprocessedLine[] {
  const defined = new Map(macros.defined)
  const notDefined = new Set(macros.undefined)
  // A macro the header defines itself (its include guard) is undefined until then.
  for (const m of text.matchAll(/^\s*#\s*define\s+([A-Za-z_]\w*)/gm)) if (!defined.has(m[1]!)) notDefined.add(m[1]!)
  const out: PreprocessedLine[] = []
  // One frame per open #if: whether its current branch is active, whether a branch was taken.
  const stack: { active: boolean; taken: boolean; outerActive: boolean }[] = []
  const active = () => stack.every((frame) => frame.active)
  const lines = joinContinuations(text)
  let inComment = false
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const trimmed = line.trim()
    const isDirective = !inComment && trimmed.startsWith('#')
    inComment = endsInComment(line, inComment)
    if (!isDirective) {
      if (active()) out.push({ kind: 'text', text: line })
      continue
    }
    const m = /^#\s*(\w+)\s*(.*)$/.exec(stripLineComment(trimmed))
    const directive = m?.[1] ?? ''
    const rest = (m?.[2] ?? '').trim()
    const decide = (condition: () => boolean): boolean => {
      try {
        return condition()
      } catch (error) {
        if (error instanceof UnknownMacro) throw new UndecidableConditionError(error.macro, trimmed, guardedItems(lines, index))
        throw error
      }
    }
    const evaluate = (expression: string) => decide(() => evaluateCondition(expression, defined, notDefined) !== 0n)
    const isDefined = (name: string) =>
      decide(() => {
        if (defined.has(name)) return true
        if (notDefined.has(name)) return false
        throw new UnknownMacro(name)
      })
    switch (directive) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const outer = active()
        // Inside an inactive block nothing is evaluated (C17 6.10.1p6).
        const value = !outer ? false : directive === 'if' ? evaluate(rest) : directive === 'ifdef' ? isDefined(rest) : !isDefined(rest)
        stack.push({ active: value, taken: value, outerActive: outer })
        break
      }
      case 'elif': {
        const frame = stack.at(-1)
        if (!frame) throw new Error(`#elif without #if: ${trimmed}`)
        const value = frame.outerActive && !frame.taken && evaluate(rest)
        frame.active = value
        frame.taken ||= value
        break
      }
      case 'else': {
        const frame = stack.at(-1)
        if (!frame) throw new Error(`#else without #if: ${trimmed}`)
        frame.active = frame.outerActive && !frame.taken
        frame.taken = true
        break
      }
      case 'endif':
        if (!stack.pop()) throw new Error(`#endif without #if: ${trimmed}`)
        break
      case 'define': {
        if (!active()) break
        const d = /^([A-Za-z_]\w*)(\()?\s*([\s\S]*)$/.exec(rest)
        if (!d) break
        defined.set(d[1]!, d[2] ? '' : d[3]!.trim())
        notDefined.delete(d[1]!)
        out.push({ kind: 'define', name: d[1]!, value: d[3]!.trim(), text: trimmed, functionLike: Boolean(d[2]) })
        break
      }
      case 'undef':
        if (active()) {
          defined.delete(rest)
          notDefined.add(rest)
        }
        break
      default:
        // #include, #pragma, #error in an inactive block, ...: nothing to bind.
        break
    }
  }
  if (stack.length > 0) throw new Error('unterminated #if block at the end of the header')
  return out
}

/** Joins lines ending in a backslash with the next (C17 5.1.1.2 phase 2). */
function joinContinuations(text: string): string[] {
  const lines: string[] = []
  let pending = ''
  for (const line of text.split('\n')) {
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      continue
    }
    lines.push(pending + line)
    pending = ''
  }
  if (pending) lines.push(pending)
  return lines
}

/** Whether a `/* ... *\/` comment is still open at the end of `line`. */
function endsInComment(line: string, open: boolean): boolean {
  let inComment = open
  for (let i = 0; i < line.length; i++) {
    if (inComment) {
      if (line.startsWith('*/', i)) {
        inComment = false
        i++
      }
    } else if (line.startsWith('//', i)) {
      return false
    } else if (line.startsWith('/*', i)) {
      inComment = true
      i++
    } else if (line[i] === '"' || line[i] === "'") {
      const quote = line[i]
      for (i++; i < line.length && line[i] !== quote; i++) if (line[i] === '\\') i++
    }
  }
  return inComment
}

function stripLineComment(line: string): string {
  return line.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, ' ')
}

/** The names a block declares (for the error message): identifiers before `{`, `;` or `(`. */
function guardedItems(lines: string[], from: number): string[] {
  const items: string[] = []
  let depth = 0
  let text = ''
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (/^#\s*(if|ifdef|ifndef)\b/.test(line)) depth++
    else if (/^#\s*endif\b/.test(line)) {
      if (depth === 0) break
      depth--
    } else if (/^#\s*(else|elif)\b/.test(line) && depth === 0) break
    else if (/^#\s*define\s+(\w+)/.test(line)) items.push(/^#\s*define\s+(\w+)/.exec(line)![1]!)
    else if (!line.startsWith('#')) text += ` ${line}`
  }
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ')
  let braces = 0
  let statement = ''
  for (const ch of code) {
    if (ch === '{') {
      if (braces === 0) {
        const head = /(\w+)\s*$/.exec(statement)
        if (head && !/^(struct|enum|union)$/.test(head[1]!)) items.push(head[1]!)
      }
      braces++
    } else if (ch === '}') braces--
    else if (ch === ';' && braces === 0) {
      const name = /(\w+)\s*(\([^)]*\))?\s*$/.exec(statement.replace(/\([^()]*\)\s*$/, (args) => ` ${args}`))
      const fn = /(\w+)\s*\(/.exec(statement)
      const found = fn && !statement.trim().startsWith('typedef') ? fn[1] : name?.[1]
      if (found) items.push(found)
      statement = ''
      continue
    }
    if (braces === 0) statement += ch
  }
  return [...new Set(items)]
}

class UnknownMacro extends Error {
  constructor(readonly macro: string) {
    super(`unknown macro ${macro}`)
  }
}

type Token = { kind: 'num'; value: bigint } | { kind: 'id'; name: string } | { kind: 'op'; op: string }

/**
 * Evaluates a C constant expression (an `#if` condition, a `#define` or enum
 * value) as C does, in intmax_t arithmetic.
 *
 * @param defined macro values, expanded (non-recursively for a macro naming itself)
 * @param notDefined macros known to be undefined: 0, as C says
 * @throws UnknownMacro (internal) for an identifier in neither, Error for a syntax error
 */
export function evaluateCondition(expression: string, defined: Map<string, string>, notDefined: Set<string>, depth = 0): bigint {
  const tokens = tokenize(expression)
  let pos = 0
  const peek = () => tokens[pos]
  const isOp = (op: string) => {
    const t = tokens[pos]
    return t?.kind === 'op' && t.op === op
  }
  const expect = (op: string) => {
    if (!isOp(op)) throw new Error(`expected ${op} in "${expression}"`)
    pos++
  }
  const binary: [string[], (a: bigint, b: bigint, op: string) => bigint][] = [
    [['||'], (a, b) => (a !== 0n || b !== 0n ? 1n : 0n)],
    [['&&'], (a, b) => (a !== 0n && b !== 0n ? 1n : 0n)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], (a, b, op) => ((a === b) === (op === '==') ? 1n : 0n)],
    [['<', '>', '<=', '>='], (a, b, op) => ((op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b) ? 1n : 0n)],
    [['<<', '>>'], (a, b, op) => (op === '<<' ? a << b : a >> b)],
    [['+', '-'], (a, b, op) => (op === '+' ? a + b : a - b)],
    [
      ['*', '/', '%'],
      (a, b, op) => {
        if (op !== '*' && b === 0n) throw new Error(`division by zero in "${expression}"`)
        return op === '*' ? a * b : op === '/' ? a / b : a % b
      },
    ],
  ]
  const parseLevel = (level: number): bigint => {
    if (level === binary.length) return parseUnary()
    let left = parseLevel(level + 1)
    const [ops, apply] = binary[level]!
    for (;;) {
      const t = peek()
      if (t?.kind !== 'op' || !ops.includes(t.op)) return left
      pos++
      left = apply(left, parseLevel(level + 1), t.op)
    }
  }
  const parseTernary = (): bigint => {
    const condition = parseLevel(0)
    if (!isOp('?')) return condition
    pos++
    const a = parseTernary()
    expect(':')
    const b = parseTernary()
    return condition !== 0n ? a : b
  }
  const parseUnary = (): bigint => {
    const t = peek()
    if (!t) throw new Error(`unexpected end of "${expression}"`)
    pos++
    if (t.kind === 'num') return t.value
    if (t.kind === 'op') {
      if (t.op === '(') {
        // A cast to an integer type, as cbindgen writes `(uint8_t)3`: the value wraps to the type.
        const cast = tokens[pos]
        if (cast?.kind === 'id' && /^(u?int(8|16|32|64|ptr)_t|size_t|char|short|int|long|unsigned|signed|bool)$/.test(cast.name)) {
          let end = pos
          while (tokens[end]?.kind === 'id') end++
          const close = tokens[end]
          if (close?.kind === 'op' && close.op === ')') {
            const type = tokens.slice(pos, end).map((t) => (t as { name: string }).name).join(' ')
            pos = end + 1
            return castTo(type, parseUnary())
          }
        }
        const value = parseTernary()
        expect(')')
        return value
      }
      if (t.op === '!') return parseUnary() === 0n ? 1n : 0n
      if (t.op === '-') return -parseUnary()
      if (t.op === '+') return parseUnary()
      if (t.op === '~') return ~parseUnary()
      throw new Error(`unexpected ${t.op} in "${expression}"`)
    }
    if (t.name === 'defined') {
      const paren = isOp('(')
      if (paren) pos++
      const name = peek()
      if (name?.kind !== 'id') throw new Error(`defined needs a name in "${expression}"`)
      pos++
      if (paren) expect(')')
      if (defined.has(name.name)) return 1n
      if (notDefined.has(name.name)) return 0n
      throw new UnknownMacro(name.name)
    }
    if (t.name === 'true') return 1n
    if (t.name === 'false') return 0n
    const value = defined.get(t.name)
    if (value !== undefined) {
      if (depth > 32 || value.trim() === '') return 0n
      return evaluateCondition(value, defined, notDefined, depth + 1)
    }
    if (notDefined.has(t.name)) return 0n
    throw new UnknownMacro(t.name)
  }
  const value = parseTernary()
  if (pos !== tokens.length) throw new Error(`cannot read "${expression}" as a constant expression`)
  return value
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|('(?:\\.|[^'\\])')|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>!~&|^?:()]))/y
  let m: RegExpExecArray | null
  let last = 0
  while ((m = re.exec(expression))) {
    last = re.lastIndex
    if (m[1]) tokens.push({ kind: 'num', value: /^0\d/.test(m[1]) ? BigInt(`0o${m[1].slice(1)}`) : BigInt(m[1]) })
    else if (m[2]) tokens.push({ kind: 'id', name: m[2] })
    else if (m[3]) tokens.push({ kind: 'num', value: BigInt(charValue(m[3])) })
    else tokens.push({ kind: 'op', op: m[4]! })
  }
  if (expression.slice(last).trim() !== '') throw new Error(`cannot read "${expression}" as a constant expression`)
  return tokens
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 }

function charValue(literal: string): number {
  const body = literal.slice(1, -1)
  if (body.startsWith('\\')) {
    const escape = ESCAPES[body[1]!]
    if (escape !== undefined && body.length === 2) return escape
    throw new Error(`unsupported character literal ${literal}`)
  }
  return body.codePointAt(0)!
}

/**
 * `value` converted to the C integer type `type` as C converts it (modulo
 * 2^bits; C17 6.3.1.3, two's complement). `int` is 32 bits and `long`,
 * `size_t` and the pointer-sized types 64 bits (the LP64 model of the 64-bit
 * Unix targets; cbindgen's own casts use the fixed-width types).
 */
function castTo(type: string, value: bigint): bigint {
  if (type === 'bool') return value === 0n ? 0n : 1n
  const fixed = /^(u?)int(8|16|32|64)_t$/.exec(type)
  const [unsigned, bits] = fixed
    ? [fixed[1] === 'u', Number(fixed[2])]
    : /^(uintptr_t|size_t)$/.test(type)
      ? [true, 64]
      : type === 'intptr_t'
        ? [false, 64]
        : [/unsigned/.test(type), /long/.test(type) ? 64 : /short/.test(type) ? 16 : /char/.test(type) ? 8 : 32]
  return unsigned ? BigInt.asUintN(bits, value) : BigInt.asIntN(bits, value)
}
