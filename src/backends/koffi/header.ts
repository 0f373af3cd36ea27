/**
 * A parser for the C headers cbindgen writes (language = "C", style = "type"),
 * the source of truth for the koffi bindings. It understands the subset
 * cbindgen emits for `#[repr(C)]` items and `extern "C"` functions: fieldful
 * and opaque struct typedefs, enum typedefs, aliases, function prototypes and
 * doc comments. Anything else is reported, never skipped silently.
 */

/** A C type as written: `const char *` is `{ base: 'char', pointers: 1, isConst: true }`. */
export interface CType {
  /** The type name without qualifiers or stars: `int32_t`, `char`, `Point`. */
  base: string
  /** Number of `*`. */
  pointers: number
  /** Whether `const` qualifies the pointee (or the value, when not a pointer). */
  isConst: boolean
  /** The type as written, whitespace-normalised. */
  text: string
}

/** A function parameter or struct field. */
export interface CField {
  name: string
  type: CType
  doc?: string
}

/** One top-level declaration of the header. `source` is its text, for error messages. */
export type CDeclaration =
  | { kind: 'function'; name: string; returns: CType; params: CField[]; doc?: string; source: string }
  | { kind: 'struct'; name: string; fields: CField[]; doc?: string; source: string }
  | { kind: 'opaque'; name: string; doc?: string; source: string }
  | { kind: 'enum'; name: string; variants: { name: string; value: number; doc?: string }[]; doc?: string; source: string }
  | { kind: 'alias'; name: string; type: CType; doc?: string; source: string }

/** A declaration the parser cannot read; `declaration` is its text. */
export class HeaderParseError extends Error {
  constructor(
    readonly declaration: string,
    reason: string,
  ) {
    super(`${reason}: ${declaration}`)
    this.name = 'HeaderParseError'
  }
}

/**
 * Parses a cbindgen C header into its declarations, in header order.
 *
 * @throws HeaderParseError for a declaration outside the supported subset
 *   (unions, function pointers, arrays, variadic functions, ...)
 */
export function parseHeader(text: string): CDeclaration[] {
  const declarations: CDeclaration[] = []
  for (const { body, doc } of splitDeclarations(text)) {
    declarations.push(parseDeclaration(body, doc))
  }
  return declarations
}

interface RawDeclaration {
  body: string
  doc?: string
}

/** Splits the header into `;`-terminated top-level declarations, each with the doc comment before it. */
function splitDeclarations(text: string): RawDeclaration[] {
  const out: RawDeclaration[] = []
  let pendingDoc: string | undefined
  let current = ''
  let depth = 0
  let i = 0
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2)
      const comment = text.slice(i, end < 0 ? text.length : end + 2)
      // Doc comments before a top-level declaration belong to it; inside a
      // body they belong to a field or variant and are kept in the text.
      if (depth === 0 && current.trim() === '') pendingDoc = docText(comment)
      else current += comment
      i += comment.length
      continue
    }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? text.length : end
      continue
    }
    const ch = text[i]!
    if (ch === '#' && depth === 0 && current.trim() === '') {
      // Preprocessor line (with backslash continuations).
      let end = i
      do {
        end = text.indexOf('\n', end + 1)
      } while (end > 0 && text[end - 1] === '\\')
      i = end < 0 ? text.length : end + 1
      continue
    }
    if (ch === '{') depth++
    if (ch === '}') depth--
    if (ch === ';' && depth === 0) {
      out.push({ body: current.trim(), doc: pendingDoc })
      current = ''
      pendingDoc = undefined
    } else {
      current += ch
    }
    i++
  }
  if (current.trim() !== '') throw new HeaderParseError(current.trim(), 'unterminated declaration')
  return out
}

/** The text of a `/** ... *\/` comment without its stars; undefined for a plain comment. */
function docText(comment: string): string | undefined {
  if (!comment.startsWith('/**') && !comment.startsWith('/*!')) return undefined
  return comment
    .slice(3, -2)
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim()
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*'

function parseDeclaration(body: string, doc: string | undefined): CDeclaration {
  const source = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').trim()
  let m: RegExpExecArray | null
  if ((m = new RegExp(`^typedef struct (${IDENT}) (${IDENT})$`).exec(source)) && m[1] === m[2]) {
    return { kind: 'opaque', name: m[2]!, doc, source }
  }
  if ((m = new RegExp(`^typedef struct (?:${IDENT} )?\\{([\\s\\S]*)\\} (${IDENT})$`).exec(body.replace(/\s+/g, ' ').trim()))) {
    const fields = splitMembers(bodyOf(body), ';').map((member) => parseField(member, source))
    return { kind: 'struct', name: m[2]!, fields, doc, source }
  }
  if ((m = new RegExp(`^typedef enum (?:${IDENT} )?\\{([\\s\\S]*)\\} (${IDENT})$`).exec(body.replace(/\s+/g, ' ').trim()))) {
    let next = 0
    const variants = splitMembers(bodyOf(body), ',').map(({ text, doc: variantDoc }) => {
      const v = new RegExp(`^(${IDENT})(?: = (-?(?:0x[0-9A-Fa-f]+|\\d+)))?$`).exec(text)
      if (!v) throw new HeaderParseError(source, `unsupported enum variant "${text}"`)
      const value = v[2] === undefined ? next : Number(v[2])
      next = value + 1
      return { name: v[1]!, value, doc: variantDoc }
    })
    return { kind: 'enum', name: m[2]!, variants, doc, source }
  }
  if (/^(typedef )?(union|struct|enum)\b/.test(source) && source.includes('{')) {
    throw new HeaderParseError(source, 'unsupported type definition (only typedef struct/enum as cbindgen writes them with style = "type")')
  }
  if (source.startsWith('typedef ')) {
    if (source.includes('(')) throw new HeaderParseError(source, 'function pointer types are not supported')
    const field = parseField({ text: source.slice('typedef '.length) }, source)
    return { kind: 'alias', name: field.name, type: field.type, doc, source }
  }
  if ((m = new RegExp(`^(.+?)\\b(${IDENT}) ?\\((.*)\\)$`).exec(source))) {
    const [, returnText, name, paramText] = m
    const params =
      paramText!.trim() === 'void' || paramText!.trim() === ''
        ? []
        : paramText!.split(',').map((p) => parseField({ text: p.trim() }, source))
    if (params.some((p) => p.name === '...')) throw new HeaderParseError(source, 'variadic functions are not supported')
    return { kind: 'function', name: name!, returns: parseType(returnText!, source), params, doc, source }
  }
  if (/^(extern )?(const )?[A-Za-z_]/.test(source) && !source.includes('(')) {
    throw new HeaderParseError(source, 'global variables and constants are not supported')
  }
  throw new HeaderParseError(source, 'unrecognised declaration')
}

/** The text between the outermost braces. */
function bodyOf(body: string): string {
  return body.slice(body.indexOf('{') + 1, body.lastIndexOf('}'))
}

/** Splits a struct or enum body into members, each with the doc comment before it. */
function splitMembers(body: string, separator: ';' | ','): { text: string; doc?: string }[] {
  const members: { text: string; doc?: string }[] = []
  let doc: string | undefined
  for (const piece of body.split(/(\/\*[\s\S]*?\*\/)/)) {
    if (piece.startsWith('/*')) {
      doc = docText(piece)
      continue
    }
    // A member ends at the separator; a trailing fragment without one
    // (an enum's last variant, whose comma is optional) also counts.
    for (const part of piece.split(separator)) {
      const text = part.replace(/\s+/g, ' ').trim()
      if (text === '') continue
      members.push({ text, doc })
      doc = undefined
    }
  }
  return members
}

function parseField(member: { text: string; doc?: string }, source: string): CField {
  const text = member.text.replace(/\s+/g, ' ').trim()
  if (text === '...') return { name: '...', type: { base: '...', pointers: 0, isConst: false, text } }
  if (text.includes('[')) throw new HeaderParseError(source, `arrays are not supported ("${text}")`)
  if (text.includes('(')) throw new HeaderParseError(source, `function pointers are not supported ("${text}")`)
  const m = new RegExp(`^(.*?)(${IDENT})$`).exec(text)
  if (!m || m[1]!.trim() === '') throw new HeaderParseError(source, `cannot read "${text}" as a type and a name`)
  return { name: m[2]!, type: parseType(m[1]!, source), doc: member.doc }
}

function parseType(text: string, source: string): CType {
  const normalised = text.replace(/\*/g, ' * ').replace(/\s+/g, ' ').trim()
  const words = normalised.split(' ')
  let pointers = 0
  let isConst = false
  const names: string[] = []
  for (const word of words) {
    if (word === '*') pointers++
    else if (word === 'const') {
      // `const T *` (pointee) or `T *const` (the pointer itself, irrelevant here).
      if (pointers === 0) isConst = true
    } else if (word === 'struct' || word === 'enum') continue
    else names.push(word)
  }
  if (names.length === 0) throw new HeaderParseError(source, `cannot read the type "${text.trim()}"`)
  const base = names.join(' ')
  return { base, pointers, isConst, text: `${isConst ? 'const ' : ''}${base}${pointers > 0 ? ` ${'*'.repeat(pointers)}` : ''}` }
}
