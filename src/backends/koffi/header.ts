/**
 * A parser for the C headers cbindgen writes (language = "C"), the source of
 * truth for the koffi bindings. It understands what cbindgen emits for
 * `#[repr(C)]` items, `pub const`s and `extern "C"` functions: struct
 * typedefs (fieldful, empty and opaque), enums (`typedef enum`, and the C11
 * spelling of a `#[repr(u8)]` enum, `enum X {...}; typedef uint8_t X;`),
 * aliases, `#define` constants, function prototypes and doc comments, after
 * evaluating `#if` blocks for the target (see preprocess.ts). Anything else
 * becomes an `unsupported` declaration naming the item, never skipped silently.
 */
import { evaluateCondition, preprocess, standardMacros, type MacroTable } from './preprocess.js'

/** A C type as written: `const char *` is `{ base: 'char', pointers: 1, isConst: true }`. */
export interface CType {
  /** The type name without qualifiers or stars: `int32_t`, `unsigned int`, `Point`. */
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
  /**
   * For a fixed-size array, its length: a struct field `uint8_t cells[81]`
   * (then `type` is the element type), or a parameter `const uint8_t (*cells)[81]`
   * (then `type` is the pointer, `const uint8_t *`).
   */
  array?: number
  doc?: string
}

/** The value of a `#define` constant (a Rust `pub const`). */
export type ConstValue = { kind: 'number'; value: number | bigint } | { kind: 'string'; value: string } | { kind: 'bool'; value: boolean }

/** One top-level declaration of the header. `source` is its text, for error messages. */
export type CDeclaration =
  | { kind: 'function'; name: string; returns: CType; params: CField[]; doc?: string; source: string }
  | { kind: 'struct'; name: string; fields: CField[]; doc?: string; source: string }
  | { kind: 'opaque'; name: string; doc?: string; source: string }
  | {
      kind: 'enum'
      name: string
      /** The C integer type holding it: `int` for a plain C enum, `uint8_t` for `#[repr(u8)]`, ... */
      repr: string
      variants: { name: string; value: number; doc?: string }[]
      doc?: string
      source: string
    }
  | { kind: 'alias'; name: string; type: CType; doc?: string; source: string }
  | { kind: 'const'; name: string; value: ConstValue; doc?: string; source: string }
  /** A declaration outside the subset: `reason` says why; `name` is the item as best read. */
  | { kind: 'unsupported'; name: string; reason: string; fix: string; doc?: string; source: string }

/** A declaration the parser cannot read; `declaration` is its text. */
export class HeaderParseError extends Error {
  constructor(
    readonly declaration: string,
    readonly reason: string,
    /** The change to the Rust item that makes it bind, or keeps it out of the header. */
    readonly fix: string = KEEP_OUT,
  ) {
    super(`${reason}: ${declaration}`)
    this.name = 'HeaderParseError'
  }
}

/** Options of {@link parseHeader}. */
export interface ParseOptions {
  /** The target's macros (default: {@link standardMacros}, C11 without C++). */
  macros?: MacroTable
}

/** The fix for an item that has no binding in any shape: keep it out of the C header. */
export const KEEP_OUT = 'keep it out of the C header (not `pub extern "C"` / `#[no_mangle]`, or `#[doc(hidden)]`-free private), and expose what JavaScript needs through a function of a supported shape'

// A `#define` turned into a statement the declaration splitter keeps in order.
const DEFINE_MARK = '\u0000define '

/**
 * Parses a cbindgen header into its declarations, in header order. Line
 * endings may be `\n`, `\r\n` or `\r`.
 *
 * @throws UndecidableConditionError (preprocess.ts) when an `#if` depends on a
 *   macro the options do not settle; every other problem is an `unsupported`
 *   declaration, so that all of them can be reported in one run
 */
export function parseHeader(text: string, options: ParseOptions = {}): CDeclaration[] {
  const normalised = text.replace(/\r\n?/g, '\n')
  const lines = preprocess(normalised, options.macros ?? standardMacros())
  const annotations = new Set<string>()
  const functionLike = new Set<string>()
  const defines: { name: string; value: string }[] = []
  const kept = lines.map((line) => {
    if (line.kind === 'text') return line.text
    if (line.functionLike) {
      functionLike.add(line.name)
      return ''
    }
    if (isAnnotation(line.value)) {
      annotations.add(line.name)
      return ''
    }
    defines.push(line)
    return `${DEFINE_MARK}${defines.length - 1};`
  })
  const macroValues = new Map(defines.map((d) => [d.name, d.value]))
  const declarations: CDeclaration[] = []
  for (const { body, doc } of splitDeclarations(kept.join('\n'))) {
    if (body.startsWith(DEFINE_MARK)) {
      const define = defines[Number(body.slice(DEFINE_MARK.length))]!
      declarations.push(parseConst(define.name, define.value, macroValues, doc))
      continue
    }
    const cleaned = stripAnnotations(body, annotations, functionLike)
    // A compile-time check of the header's own layout, not an item.
    if (/^\s*(static_assert|_Static_assert)\s*\(/.test(cleaned)) continue
    try {
      declarations.push(parseDeclaration(cleaned, doc, macroValues))
    } catch (error) {
      if (!(error instanceof HeaderParseError)) throw error
      declarations.push({ kind: 'unsupported', name: itemName(cleaned), reason: error.reason, fix: error.fix, doc, source: error.declaration })
    }
  }
  return mergeReprEnums(declarations)
}

/** The declaration without the header's own annotation macros (`DEPRECATED_FUNC`, `CBINDGEN_NONNULL(...)`, ...). */
function stripAnnotations(body: string, objectLike: Set<string>, functionLike: Set<string>): string {
  let text = body
  if (functionLike.size > 0) text = text.replace(new RegExp(`\\b(?:${[...functionLike].join('|')})\\s*\\((?:[^()]|\\([^()]*\\))*\\)`, 'g'), ' ')
  if (objectLike.size > 0) text = text.replace(new RegExp(`\\b(?:${[...objectLike].join('|')})\\b`, 'g'), ' ')
  return text
}

/** `#define X __attribute__((...))`, `#define X` and the like: markers, not constants. */
function isAnnotation(value: string): boolean {
  return value === '' || /^(__attribute__|__declspec|_Nonnull|_Nullable|_Null_unspecified|\[\[)/.test(value)
}

/**
 * cbindgen's C11 spelling of `#[repr(u8)] enum X` is `enum X {...};` plus
 * `typedef uint8_t X;`: one enum of that integer type.
 */
function mergeReprEnums(declarations: CDeclaration[]): CDeclaration[] {
  const enums = new Map(declarations.flatMap((d) => (d.kind === 'enum' ? [[d.name, d] as const] : [])))
  return declarations.filter((d) => {
    if (d.kind !== 'alias') return true
    const e = enums.get(d.name)
    if (!e || d.type.pointers !== 0) return true
    e.repr = d.type.base
    return false
  })
}

interface RawDeclaration {
  body: string
  doc?: string
}

/** Splits the header into `;`-terminated top-level declarations, each with the doc comment before it. */
function splitDeclarations(text: string): RawDeclaration[] {
  const out: RawDeclaration[] = []
  let pendingDoc: string | undefined
  let lineDoc: string[] = []
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
      const comment = text.slice(i, end < 0 ? text.length : end)
      // `///` doc lines (documentation_style = "c99") before a declaration.
      if (comment.startsWith('///') && depth === 0 && current.trim() === '') {
        lineDoc.push(comment.slice(3).replace(/^ /, ''))
        pendingDoc = lineDoc.join('\n').trim()
      } else if (depth > 0 || current.trim() !== '') current += ' '
      i = end < 0 ? text.length : end
      continue
    }
    const ch = text[i]!
    if (ch === '{') depth++
    if (ch === '}') depth--
    if (ch === ';' && depth === 0) {
      out.push({ body: current.trim(), doc: pendingDoc })
      current = ''
      pendingDoc = undefined
      lineDoc = []
    } else {
      current += ch
    }
    i++
  }
  if (current.trim() !== '') out.push({ body: `${current.trim()} /* unterminated */`, doc: pendingDoc })
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

/** The item a declaration we cannot read is about, for the error message. */
function itemName(body: string): string {
  const source = body.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim()
  const typedefName = new RegExp(`\\}\\s*(${IDENT})\\s*$`).exec(source) ?? new RegExp(`^typedef .*?\\(\\s*\\*\\s*(${IDENT})\\s*\\)`).exec(source)
  if (typedefName) return typedefName[1]!
  const fn = new RegExp(`(${IDENT})\\s*\\(`).exec(source)
  if (fn && !source.startsWith('typedef')) return fn[1]!
  const tagged = new RegExp(`^(?:typedef )?(?:struct|union|enum) (${IDENT})`).exec(source)
  if (tagged) return tagged[1]!
  const last = new RegExp(`(${IDENT})\\s*(\\[[^\\]]*\\])*$`).exec(source)
  return last?.[1] ?? source.slice(0, 40)
}

function parseConst(name: string, value: string, macros: Map<string, string>, doc: string | undefined): CDeclaration {
  const source = `#define ${name} ${value}`
  const text = value.replace(/\/\*[\s\S]*?\*\//g, '').trim()
  const refuse = (reason: string): CDeclaration => ({ kind: 'unsupported', name, reason, fix: 'make it a number, bool or string constant, or a function returning the value', doc, source })
  if (/^(u8|u|U|L)?"/.test(text)) {
    const string = parseStringLiteral(text.replace(/^(u8|u|U|L)/, ''))
    return string === undefined ? refuse('a string constant with escapes rusty cannot read') : { kind: 'const', name, value: { kind: 'string', value: string }, doc, source }
  }
  if (text === 'true' || text === 'false') return { kind: 'const', name, value: { kind: 'bool', value: text === 'true' }, doc, source }
  const float = /^(?:\((?:float|double)\)\s*)?(-?\s*(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)[fF]?$/.exec(text)
  if (float && /[.eE]/.test(float[1]!)) return { kind: 'const', name, value: { kind: 'number', value: Number(float[1]!.replace(/\s+/g, '')) }, doc, source }
  try {
    const result = evaluateCondition(text.replace(/\b(?:u8|u|U|L)'/g, "'"), macros, new Set())
    const number = result >= BigInt(Number.MIN_SAFE_INTEGER) && result <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(result) : result
    return { kind: 'const', name, value: { kind: 'number', value: number }, doc, source }
  } catch {
    return refuse('only number, bool and string constants are supported (a struct or other constant cannot be expressed in JavaScript)')
  }
}

/** The value of a C string literal with simple escapes; undefined for anything else. */
function parseStringLiteral(text: string): string | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(text)
  if (!m) return undefined
  let ok = true
  const value = m[1]!.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" }
    if (e in simple) return simple[e]!
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16))
    ok = false
    return ''
  })
  return ok ? value : undefined
}

function parseDeclaration(body: string, doc: string | undefined, macros: Map<string, string>): CDeclaration {
  if (body.endsWith('/* unterminated */')) throw new HeaderParseError(body, 'unterminated declaration', 'write the header with cbindgen, `language = "C"`, as the koffi template does')
  const source = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').trim()
  const flat = body.replace(/\s+/g, ' ').trim()
  let m: RegExpExecArray | null
  if ((m = new RegExp(`^typedef struct (${IDENT}) (${IDENT})$`).exec(source)) && m[1] === m[2]) {
    return { kind: 'opaque', name: m[2]!, doc, source }
  }
  if ((m = new RegExp(`^struct (${IDENT})$`).exec(source))) return { kind: 'opaque', name: m[1]!, doc, source }
  if (
    (m = new RegExp(`^typedef struct (?:${IDENT} )?\\{([\\s\\S]*)\\} ?(${IDENT})$`).exec(flat)) ||
    (m = new RegExp(`^struct (${IDENT}) ?\\{([\\s\\S]*)\\}$`).exec(flat))
  ) {
    const name = flat.startsWith('typedef') ? m[2]! : m[1]!
    if (/\bunion\s*\{/.test(source)) {
      throw new HeaderParseError(
        source,
        "it is a Rust enum with data (cbindgen's tagged union), and koffi has no safe way to read which union member is live",
        'make it a `#[repr(C)]` struct with a plain enum tag and one field per kind of data, or return the data as a string (e.g. JSON)',
      )
    }
    const fields = splitMembers(bodyOf(body), ';').map((member) => parseField(member, source, macros))
    return { kind: 'struct', name, fields, doc, source }
  }
  if (
    (m = new RegExp(`^typedef enum (?:${IDENT} )?\\{([\\s\\S]*)\\} ?(${IDENT})$`).exec(flat)) ||
    (m = new RegExp(`^enum (${IDENT}) ?\\{([\\s\\S]*)\\}$`).exec(flat))
  ) {
    const name = flat.startsWith('typedef') ? m[2]! : m[1]!
    let next = 0
    const known = new Map<string, string>()
    const variants = splitMembers(bodyOf(body), ',').map(({ text, doc: variantDoc }) => {
      const v = new RegExp(`^(${IDENT})(?: = (.+))?$`).exec(text)
      if (!v) throw new HeaderParseError(source, `unsupported enum variant "${text}"`, 'give the variant a plain integer value')
      let value = next
      if (v[2] !== undefined) {
        try {
          value = Number(evaluateCondition(v[2], known, new Set()))
        } catch {
          throw new HeaderParseError(source, `cannot read the value of the enum variant "${text}"`, 'give the variant an integer literal as its value')
        }
      }
      known.set(v[1]!, String(value))
      next = value + 1
      return { name: v[1]!, value, doc: variantDoc }
    })
    return { kind: 'enum', name, repr: 'int', variants, doc, source }
  }
  if (/^(typedef )?(union|struct|enum)\b/.test(source) && source.includes('{')) {
    throw new HeaderParseError(
      source,
      'unsupported type definition (unions have no JavaScript binding: koffi cannot know which member is live)',
      'make it a `#[repr(C)]` struct with an enum tag and one field per kind of data',
    )
  }
  if (/^(template|using|namespace|class)\b/.test(source) || source.includes('::')) {
    throw new HeaderParseError(source, 'a C++ declaration in a C header', 'set `language = "C"` in rust/cbindgen.toml')
  }
  if (source.startsWith('typedef ')) {
    if (source.includes('(')) throw new HeaderParseError(source, 'function pointer (callback) types are not supported', CALLBACK_FIX)
    const field = parseField({ text: source.slice('typedef '.length) }, source, macros)
    return { kind: 'alias', name: field.name, type: field.type, doc, source }
  }
  if ((m = new RegExp(`^(.+?)\\b(${IDENT}) ?\\((.*)\\)$`).exec(source))) {
    const [, returnText, name, paramText] = m
    const params =
      paramText!.trim() === 'void' || paramText!.trim() === ''
        ? []
        : splitParams(paramText!).map((p) => parseField({ text: p.trim() }, source, macros))
    if (params.some((p) => p.name === '...')) throw new HeaderParseError(source, 'variadic functions are not supported', 'take a typed array (`values: *const T, len: usize`) instead of `...`')
    return { kind: 'function', name: name!, returns: parseType(returnText!.replace(/^extern /, ''), source), params, doc, source }
  }
  if (/^(extern )?(const )?[A-Za-z_]/.test(source) && !source.includes('(')) {
    throw new HeaderParseError(source, 'global variables (`pub static`) are not supported', 'use a `pub const`, or a function that returns the value')
  }
  throw new HeaderParseError(source, 'unrecognised declaration', 'write the header with cbindgen, `language = "C"`, as the koffi template does, or keep the item out of it')
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

/** Parameters split at top-level commas (a pointer to an array, `T (*p)[N]`, has parentheses). */
function splitParams(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++
    if (ch === ')' || ch === ']') depth--
    if (ch === ',' && depth === 0) {
      out.push(current)
      current = ''
    } else current += ch
  }
  return [...out, current]
}

const CALLBACK_FIX = 'callbacks have no binding (a JavaScript function called from Rust would need its lifetime managed by hand): return the data instead, or keep the item out of the C header'

/** The length of a fixed-size array, `81` or a `#define`d constant. */
function arrayLength(text: string, field: string, source: string, macros: Map<string, string>): number {
  try {
    const length = Number(evaluateCondition(text, macros, new Set()))
    if (length > 0) return length
  } catch {
    // Reported below.
  }
  throw new HeaderParseError(source, `cannot read the length of the array "${field}"`, 'give the array a constant length (a literal or a `pub const`)')
}

function parseField(member: { text: string; doc?: string }, source: string, macros: Map<string, string>): CField {
  const text = member.text.replace(/\s+/g, ' ').trim()
  if (text === '...') return { name: '...', type: { base: '...', pointers: 0, isConst: false, text } }
  // `const uint8_t (*cells)[81]`: cbindgen's spelling of `&[u8; 81]`.
  const toArray = new RegExp(`^(.*?)\\( ?\\* ?(${IDENT}) ?\\) ?\\[([^\\]]+)\\]$`).exec(text)
  if (toArray) {
    return { name: toArray[2]!, type: parseType(`${toArray[1]!} *`, source), array: arrayLength(toArray[3]!, text, source, macros), doc: member.doc }
  }
  if (text.includes('(')) throw new HeaderParseError(source, `function pointers (callbacks) are not supported ("${text}")`, CALLBACK_FIX)
  if (text.includes(':')) throw new HeaderParseError(source, `bit fields are not supported ("${text}")`, 'use a whole integer field and mask it in Rust')
  if (text.includes('{')) throw new HeaderParseError(source, `nested type definitions are not supported ("${text}")`, 'declare the inner type as its own `#[repr(C)]` struct')
  const dims = [...text.matchAll(/\[([^\]]*)\]/g)].map((d) => d[1]!)
  const declarator = text.replace(/\s*\[[^\]]*\]/g, '')
  if (dims.length > 1) throw new HeaderParseError(source, `arrays of arrays are not supported ("${text}")`, 'flatten it to one array (`[T; N * M]`) and index it as `i * M + j`')
  const m = new RegExp(`^(.*?)(${IDENT})$`).exec(declarator)
  if (!m || m[1]!.trim() === '' || /^(const|struct|enum|unsigned|signed)$/.test(m[1]!.trim())) {
    throw new HeaderParseError(source, `cannot read "${text}" as a type and a name (a parameter without a name?)`, 'write the header with cbindgen, `language = "C"`, as the koffi template does')
  }
  const array = dims.length === 1 ? arrayLength(dims[0]!, text, source, macros) : undefined
  return { name: m[2]!, type: parseType(m[1]!, source), ...(array !== undefined ? { array } : {}), doc: member.doc }
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
    } else if (word === 'struct' || word === 'enum' || word === 'volatile' || word === 'restrict') continue
    else if (pointers > 0) throw new HeaderParseError(source, `cannot read the type "${text.trim()}"`, 'write the header with cbindgen, `language = "C"`, as the koffi template does')
    else names.push(word)
  }
  if (names.length === 0) throw new HeaderParseError(source, `cannot read the type "${text.trim()}"`, 'write the header with cbindgen, `language = "C"`, as the koffi template does')
  const base = names.join(' ')
  return { base, pointers, isConst, text: `${isConst ? 'const ' : ''}${base}${pointers > 0 ? ` ${'*'.repeat(pointers)}` : ''}` }
}
