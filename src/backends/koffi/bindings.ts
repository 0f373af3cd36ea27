import { RustyError } from '../../errors.js'
import type { CDeclaration, CField, CType } from './header.js'

/**
 * Turns the declarations of a cbindgen header into an ES module that loads
 * the cdylib with koffi (`index.js`) and its TypeScript declarations
 * (`index.d.ts`). The conventions (README, "The koffi backend's
 * conventions") decide how each C signature becomes a JavaScript one:
 *
 * | C | JavaScript |
 * |---|---|
 * | integers (fixed-width and C's own `int`, `long`, `size_t`, ...), `float`, `double`, `bool` | `number` / `boolean`; 64-bit integers `number \| bigint`; an integer that does not fit the C type throws a RangeError |
 * | `const char *` parameter | `string` (checked: a number there would be read as an address) |
 * | returned `char *` | `string`, copied, then freed once by `rusty_string_free` (a koffi disposable type); NULL throws `rusty_last_error()` |
 * | `T *p` followed by an integer length | one typed array (e.g. `Float64Array`), shared with Rust, not copied; never NULL |
 * | `struct { T *ptr; <int> len; }` parameter, by value or pointer | one typed array too |
 * | `RustyStatus f(..., T *out)` | returns `out`; a status other than OK throws `rusty_last_error()` |
 * | `#[repr(C)]` struct by value | an interface (plain object) |
 * | `const S *` / `S *` of such a struct | the same object, copied in; for `S *` Rust's changes are copied back into it |
 * | enum (`#[repr(C)]`, `#[repr(u8)]`, ...) | a frozen object of numbers and a union type; other numbers throw |
 * | `pub const` (number, bool, string) | an exported constant |
 * | opaque `Thing *` with `thing_new` / `thing_free` | a class `Thing` with `dispose()`, `Symbol.dispose` and a FinalizationRegistry |
 *
 * Every function that cannot fail (no status, no owned string) also gets an
 * `…Async` variant that runs on koffi's worker thread and returns a Promise.
 *
 * Generated internals are named with a `$`, which no C identifier has, so
 * no Rust item can shadow them; JavaScript's globals are read through such
 * names too, so an item named `Error` or `Object` shadows nothing.
 */
export interface GeneratedBindings {
  /** The ES module, `native/index.js`. */
  js: string
  /** Its declarations, `native/index.d.ts`. */
  dts: string
}

/** Options of {@link generateBindings}. */
export interface GenerateOptions {
  /** File name of a local build beside the generated module, e.g. `libhello.so`. */
  libraryFile: string
  /** npm name of the package; its platform packages are `<packageName>-<platform>`. */
  packageName: string
  /** The crate's name (Cargo.toml `[package] name`), for messages and the generated files' header comment. */
  crateName: string
}

/** The README section that lists the supported shapes and helper functions (hints point there; also in node_modules/rusty-cli/README.md). */
export const CONVENTIONS_URL = 'https://www.npmjs.com/package/rusty-cli#the-koffi-backends-conventions'

/** One Rust item the bindings cannot express: its name, why, its C declaration, and the fix if one is known. */
export interface UnsupportedItem {
  name: string
  reason: string
  source: string
  fix?: string
}

/**
 * The error for the declarations the bindings cannot express, all of them
 * in one message: each names the Rust item, why, its C declaration and the fix.
 */
export class UnsupportedDeclarationError extends RustyError {
  constructor(
    readonly items: UnsupportedItem[],
    crateName: string,
  ) {
    const line = (item: UnsupportedItem) =>
      `\`${item.name}\`: ${item.reason}${item.fix ? `; ${item.fix}` : ''} (C: \`${clip(item.source.replace(/;$/, ''))};\`)`
    super(
      items.length === 1
        ? `Cannot generate a koffi binding for the Rust item ${line(items[0]!)}.`
        : `Cannot generate koffi bindings for ${items.length} Rust items of ${crateName}:\n${items.map((item) => `  - ${line(item)}`).join('\n')}`,
      {
        hint: `Change each item to a supported shape (README, "The koffi backend's conventions": ${CONVENTIONS_URL}), or keep it out of the C header (not \`pub extern "C"\` / \`#[no_mangle]\`).`,
      },
    )
    this.name = 'UnsupportedDeclarationError'
  }
}

/** A C declaration for a message: at most 160 characters, whitespace-normalised. */
function clip(source: string): string {
  const text = source.replace(/\s+/g, ' ').trim()
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/** A C integer or floating type and how JavaScript sees it. */
interface Numeric {
  /** koffi's name of the type. */
  koffi: string
  /** TypeScript type of a value. */
  ts: string
  /** Typed array for `T *p, <int> len`, if the element size is the same on every platform. */
  array?: string
  /** Whether it may be 64 bits wide: koffi gives a BigInt past Number.MAX_SAFE_INTEGER. */
  wide?: boolean
  /** Integer (range-checked) or floating/bool (type-checked by koffi). */
  integer?: 'signed' | 'unsigned'
}

const int = (koffi: string, integer: 'signed' | 'unsigned', array?: string, wide = false): Numeric => ({
  koffi,
  ts: wide ? 'number | bigint' : 'number',
  array,
  wide,
  integer,
})

// C scalar types (koffi docs, "Primitive types"): fixed width, and C's own
// integer types, whose size koffi takes from the platform's C data model.
const SCALARS: Record<string, Numeric> = {
  bool: { koffi: 'bool', ts: 'boolean' },
  int8_t: int('int8_t', 'signed', 'Int8Array'),
  uint8_t: int('uint8_t', 'unsigned', 'Uint8Array'),
  int16_t: int('int16_t', 'signed', 'Int16Array'),
  uint16_t: int('uint16_t', 'unsigned', 'Uint16Array'),
  int32_t: int('int32_t', 'signed', 'Int32Array'),
  uint32_t: int('uint32_t', 'unsigned', 'Uint32Array'),
  int64_t: int('int64_t', 'signed', 'BigInt64Array', true),
  uint64_t: int('uint64_t', 'unsigned', 'BigUint64Array', true),
  intptr_t: int('intptr_t', 'signed', undefined, true),
  uintptr_t: int('uintptr_t', 'unsigned', undefined, true),
  size_t: int('size_t', 'unsigned', undefined, true),
  ptrdiff_t: int('intptr_t', 'signed', undefined, true),
  ssize_t: int('intptr_t', 'signed', undefined, true),
  char: int('char', 'signed'),
  'signed char': int('int8_t', 'signed', 'Int8Array'),
  'unsigned char': int('uint8_t', 'unsigned', 'Uint8Array'),
  short: int('short', 'signed', 'Int16Array'),
  'short int': int('short', 'signed', 'Int16Array'),
  'signed short': int('short', 'signed', 'Int16Array'),
  'unsigned short': int('unsigned short', 'unsigned', 'Uint16Array'),
  'unsigned short int': int('unsigned short', 'unsigned', 'Uint16Array'),
  int: int('int', 'signed', 'Int32Array'),
  signed: int('int', 'signed', 'Int32Array'),
  'signed int': int('int', 'signed', 'Int32Array'),
  unsigned: int('unsigned int', 'unsigned', 'Uint32Array'),
  'unsigned int': int('unsigned int', 'unsigned', 'Uint32Array'),
  long: int('long', 'signed', undefined, true),
  'long int': int('long', 'signed', undefined, true),
  'signed long': int('long', 'signed', undefined, true),
  'unsigned long': int('unsigned long', 'unsigned', undefined, true),
  'unsigned long int': int('unsigned long', 'unsigned', undefined, true),
  'long long': int('long long', 'signed', 'BigInt64Array', true),
  'long long int': int('long long', 'signed', 'BigInt64Array', true),
  'unsigned long long': int('unsigned long long', 'unsigned', 'BigUint64Array', true),
  'unsigned long long int': int('unsigned long long', 'unsigned', 'BigUint64Array', true),
  char16_t: int('uint16_t', 'unsigned', 'Uint16Array'),
  char32_t: int('uint32_t', 'unsigned', 'Uint32Array'),
  float: { koffi: 'float', ts: 'number', array: 'Float32Array' },
  double: { koffi: 'double', ts: 'number', array: 'Float64Array' },
}

const STATUS_TYPE = 'RustyStatus'
const LAST_ERROR = 'rusty_last_error'
const STRING_FREE = 'rusty_string_free'

// Names a Rust item may not take in JavaScript: reserved words (ECMA-262
// 13.1, strict mode), names a module export must not have (`then` makes the
// module a thenable, so `await import()` would hang), and `globalThis`.
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface ' +
    'package private protected public await arguments eval undefined NaN Infinity globalThis then'
  ).split(' '),
)

// Marks a global type in the declarations (see the end of generateBindings).
const G = '\u0001'

// Globals the generated code uses, read once under `$` names.
const GLOBALS = ['Error', 'TypeError', 'RangeError', 'Object', 'Number', 'BigInt', 'Set', 'Promise', 'Symbol', 'FinalizationRegistry']

type Decl<K extends CDeclaration['kind']> = Extract<CDeclaration, { kind: K }>

/** How one parameter travels from JavaScript to C. */
interface ParamPlan {
  /** JavaScript parameter name ('' for parameters the wrapper fills in). */
  js: string
  /** TypeScript type of the JavaScript parameter. */
  ts: string
  /** koffi type expressions this parameter passes (a typed array passes two: pointer and length). */
  koffi: string[]
  /** Argument expressions for the raw call. */
  args: string[]
  /** Statements checking the JavaScript value before the call. */
  checks: string[]
  doc?: string
}

/** How a function's result travels back. */
interface ResultPlan {
  koffi: string
  ts: string
  /** 'plain' returns the raw result; 'string' decodes and frees it; 'status' checks it. */
  mode: 'plain' | 'string' | 'status' | 'borrowed-string'
  /** For 'status' with an `out` parameter: the scratch typed array the value is read from. */
  out?: { array: string; type: string; wide: boolean; ts: string }
}

/** A declaration refused while planning; collected so that every one is reported. */
class Refusal extends Error {
  constructor(readonly item: UnsupportedItem) {
    super(item.reason)
  }
}

function refuse(declaration: { name: string; source: string }, reason: string, fix?: string): never {
  throw new Refusal({ name: declaration.name, reason, source: declaration.source, fix })
}

interface Context {
  structs: Map<string, Decl<'struct'>>
  enums: Map<string, Decl<'enum'>>
  opaques: Map<string, Decl<'opaque'>>
  aliases: Map<string, Decl<'alias'>>
  usesStrings: boolean
  usesStatus: boolean
  /** Fallible functions (they need rusty_last_error), for the message when it is missing. */
  fallible: string[]
  /** Integer koffi types whose range the module computes at load. */
  ranges: Set<string>
  /** Typed array constructors with an empty stand-in (never NULL for length 0). */
  empties: Set<string>
  /** Typed array constructors the module uses (read from globalThis under `$` names). */
  arrays: Set<string>
  /** Enums whose values are checked. */
  enumChecks: Set<string>
  /** Names of declared items that have no binding (refused), for the messages of items using them. */
  unbound: Set<string>
  /** `$check_<Struct>` functions (by struct name) for structs with integer or enum fields. */
  checkers: Map<string, string>
  /** Structs of a pointer and a length (by name): a typed array as a parameter. */
  lists: Map<string, { pointer: string; length: string; element: Numeric; lengthType: Numeric; lengthC: string }>
}

/**
 * Generates the koffi bindings for `declarations` (from `parseHeader`).
 *
 * @throws UnsupportedDeclarationError listing every declaration outside the
 *   conventions above, each named; never emits a binding it cannot type
 * @throws RustyError when the crate lacks a helper function the bindings need
 *   (`rusty_last_error`, `rusty_string_free`), naming the functions that need it
 */
export function generateBindings(header: CDeclaration[], options: GenerateOptions): GeneratedBindings {
  // `typedef Foo IntFoo;` of a struct or enum is the same type under a second name.
  const structOrEnum = new Set(header.filter((d) => d.kind === 'struct' || d.kind === 'enum').map((d) => d.name))
  const typeAliases = new Map(header.flatMap((d) => (d.kind === 'alias' && d.type.pointers === 0 && structOrEnum.has(d.type.base) ? [[d.name, d.type.base] as const] : [])))
  const resolve = (t: CType): CType => {
    const target = typeAliases.get(t.base)
    return target ? { ...t, base: target } : t
  }
  const declarations: CDeclaration[] = header.map((d) =>
    d.kind === 'function'
      ? { ...d, returns: resolve(d.returns), params: d.params.map((p) => ({ ...p, type: resolve(p.type) })) }
      : d.kind === 'struct'
        ? { ...d, fields: d.fields.map((f) => ({ ...f, type: resolve(f.type) })) }
        : d,
  )
  const ctx: Context = {
    structs: new Map(),
    enums: new Map(),
    opaques: new Map(),
    aliases: new Map(),
    usesStrings: false,
    usesStatus: false,
    fallible: [],
    ranges: new Set(),
    empties: new Set(),
    arrays: new Set(),
    enumChecks: new Set(),
    unbound: new Set(declarations.filter((d) => d.kind === 'unsupported').map((d) => d.name)),
    checkers: new Map(),
    lists: new Map(),
  }
  const problems: UnsupportedItem[] = []
  const attempt = (f: () => void) => {
    try {
      f()
    } catch (error) {
      if (error instanceof Refusal) problems.push(error.item)
      else throw error
    }
  }

  // The same name declared twice means the header still holds several
  // `#[cfg]` variants of one item: refuse rather than pick one.
  const seen = new Map<string, CDeclaration>()
  for (const d of declarations) {
    const before = seen.get(d.name)
    if (before && !(before.kind === 'opaque' && d.kind === 'struct')) {
      problems.push({
        name: d.name,
        reason: 'it is declared more than once in the C header (`#[cfg]` variants cbindgen wrote without conditions)',
        source: d.source,
        fix: 'map each cfg to a macro in the [defines] table of rust/cbindgen.toml, so that rusty can pick the variant of the target',
      })
    }
    seen.set(d.name, d)
  }

  for (const d of declarations) {
    if (d.kind === 'struct') ctx.structs.set(d.name, d)
    if (d.kind === 'enum') ctx.enums.set(d.name, d)
    if (d.kind === 'opaque' && !declarations.some((s) => s.kind === 'struct' && s.name === d.name)) {
      // An opaque type no function mentions has nothing to bind.
      const mentioned = declarations.some((f) => f.kind === 'function' && [f.returns, ...f.params.map((p) => p.type)].some((t) => t.base === d.name))
      if (mentioned) ctx.opaques.set(d.name, d)
    }
    if (d.kind === 'alias') ctx.aliases.set(d.name, d)
    if (d.kind === 'unsupported') problems.push({ name: d.name, reason: d.reason, source: d.source })
  }
  const functions = declarations.filter((d): d is Decl<'function'> => d.kind === 'function')
  const byName = new Map(functions.map((f) => [f.name, f]))

  const js: string[] = []
  const dts: string[] = []
  const types: string[] = []
  /** Exported JavaScript names, to refuse two items becoming one name. */
  const exported = new Map<string, string>()
  const claim = (jsName: string, item: { name: string; source: string }) => {
    if (RESERVED.has(jsName)) refuse(item, `its JavaScript name \`${jsName}\` is a reserved word or would break the module`, 'rename the Rust item')
    const other = exported.get(jsName)
    if (other !== undefined && other !== item.name) refuse(item, `it and \`${other}\` both become \`${jsName}\` in JavaScript`, 'rename one of them')
    exported.set(jsName, item.name)
  }

  for (const alias of ctx.aliases.values()) {
    attempt(() => {
      if (alias.type.pointers === 0 && alias.type.base in SCALARS) return
      if (typeAliases.has(alias.name)) {
        claim(alias.name, alias)
        dts.push(`${jsDoc(alias.doc)}export type ${alias.name} = ${alias.type.base}`)
        return
      }
      refuse(alias, 'only aliases of number types are supported')
    })
  }
  for (const c of declarations) {
    if (c.kind !== 'const') continue
    attempt(() => {
      claim(c.name, c)
      const value = c.value.kind === 'number' && typeof c.value.value === 'bigint' ? `${c.value.value}n` : JSON.stringify(c.value.value)
      const ts = c.value.kind === 'string' ? 'string' : c.value.kind === 'bool' ? 'boolean' : typeof c.value.value === 'bigint' ? 'bigint' : 'number'
      js.push(`export const ${c.name} = ${value}`)
      dts.push(`${jsDoc(c.doc)}export declare const ${c.name}: ${ts}`)
    })
  }
  for (const e of ctx.enums.values()) {
    if (e.name === STATUS_TYPE) continue
    attempt(() => {
      claim(e.name, e)
      if (!(e.repr in SCALARS) || !SCALARS[e.repr]!.integer) refuse(e, `its C type \`${e.repr}\` is not an integer type`)
      if (e.variants.length === 0) refuse(e, 'an enum without variants has no values', 'give it a variant, or keep it out of the C header')
      const prefix = `${screamingSnake(e.name)}_`
      const members = e.variants.map((v) => ({ js: variantName(v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name), ...v }))
      const clash = members.find((m, i) => members.findIndex((o) => o.js === m.js) !== i)
      if (clash) refuse(e, `two variants become \`${clash.js}\``)
      js.push(`export const ${e.name} = $Object.freeze({ ${members.map((m) => `${propertyName(m.js)}: ${m.value}`).join(', ')} })`)
      js.push(`const $values_${e.name} = new $Set(${JSON.stringify([...new Set(members.map((m) => m.value))])})`)
      dts.push(
        `${jsDoc(e.doc)}export declare const ${e.name}: {\n${members.map((m) => `${jsDoc(m.doc, '  ')}  readonly ${propertyName(m.js)}: ${m.value}`).join('\n')}\n}`,
        `export type ${e.name} = ${[...new Set(members.map((m) => m.value))].join(' | ')}`,
      )
    })
  }
  // Structs in dependency order: koffi needs a field's struct type declared first.
  const structOrder: Decl<'struct'>[] = []
  const visiting = new Set<string>()
  const visit = (s: Decl<'struct'>) => {
    if (structOrder.includes(s) || visiting.has(s.name)) return
    visiting.add(s.name)
    for (const f of s.fields) {
      const nested = f.type.pointers === 0 ? ctx.structs.get(f.type.base) : undefined
      if (nested) visit(nested)
    }
    structOrder.push(s)
  }
  for (const s of ctx.structs.values()) visit(s)
  const badStructs = new Map<string, Decl<'struct'>>()
  for (const s of structOrder) {
    attempt(() => {
      try {
        // `{ T *ptr; <int> len; }`, the C way of handing over a list: a typed array in JavaScript.
        const list = pointerAndLength(s)
        const element = list ? scalarOf({ ...list.pointer.type, pointers: 0 }, ctx) : undefined
        if (list && element?.array) {
          const length = scalarOf(list.length.type, ctx)!
          ctx.lists.set(s.name, { pointer: list.pointer.name, length: list.length.name, element, lengthType: length, lengthC: list.length.type.base })
          ctx.empties.add(element.array)
          ctx.ranges.add(length.koffi)
          const koffiFields = s.fields.map((f) => `${JSON.stringify(f.name)}: '${f === list.pointer ? `${element.koffi} *` : length.koffi}'`)
          types.push(`const $T_${s.name} = $koffi.struct({ ${koffiFields.join(', ')} })`)
          return
        }
        if (s.fields.length === 0) {
          refuse(s, 'an empty struct has no C layout (koffi refuses it)', 'give it a field, or make it opaque (no `#[repr(C)]`) and pass it by pointer')
        }
        const fields = s.fields.map((f) => {
          const scalar = f.type.pointers === 0 ? scalarOf(f.type, ctx) : undefined
          const nested = f.type.pointers === 0 && ctx.structs.has(f.type.base)
          const e = f.type.pointers === 0 ? ctx.enums.get(f.type.base) : undefined
          if (nested && badStructs.has(f.type.base)) refuse(s, `its field \`${f.name}\` is the struct \`${f.type.base}\`, which has no binding`)
          if (nested && ctx.lists.has(f.type.base)) refuse(s, `its field \`${f.name}\` is a pointer and a length (\`${f.type.base}\`), which only a parameter can be`)
          if (!scalar && !nested && !e) {
            const list = pointerAndLength(s)
            if (list) {
              refuse(
                s,
                `a struct holding a pointer and a length cannot be shared with JavaScript`,
                `pass the two as parameters instead: \`${list.pointer.name}: ${rustPointer(list.pointer.type)}, ${list.length.name}: ${rustInt(list.length.type.base)}\` (a typed array in JavaScript, changed in place)`,
              )
            }
            refuse(s, `its field \`${f.name}: ${f.type.text}\` is not a number, bool, enum or struct (pointers in structs cannot be freed safely; pass strings as parameters or JSON)`)
          }
          return {
            name: f.name,
            koffi: nested ? `$T_${f.type.base}` : e ? `'${SCALARS[e.repr]?.koffi ?? 'int'}'` : `'${scalar!.koffi}'`,
            ts: scalar?.ts ?? f.type.base,
            doc: f.doc,
          }
        })
        claim(s.name, s)
        // Integer and enum fields are checked as parameters are: koffi would truncate them.
        const fieldChecks = s.fields.flatMap((f) => {
          const at = `\`\${name}.${f.name}\``
          const scalar = scalarOf(f.type, ctx)
          if (scalar?.integer) {
            ctx.ranges.add(scalar.koffi)
            return [`  $int(value[${JSON.stringify(f.name)}], $R_${ident(scalar.koffi)}, ${at}, ${JSON.stringify(f.type.base)})`]
          }
          const e = ctx.enums.get(f.type.base)
          if (e && e.name !== STATUS_TYPE) {
            ctx.enumChecks.add(e.name)
            return [`  $enum(value[${JSON.stringify(f.name)}], $values_${e.name}, ${at}, ${JSON.stringify(e.name)})`]
          }
          if (ctx.checkers.has(f.type.base)) return [`  $check_${f.type.base}(value[${JSON.stringify(f.name)}], ${at})`]
          return []
        })
        if (fieldChecks.length > 0) {
          ctx.checkers.set(
            s.name,
            [
              `/** Throws unless \`value\` is a ${s.name} whose integers fit their C types. */`,
              `function $check_${s.name}(value, name) {`,
              `  if (typeof value !== 'object' || value === null) throw new $TypeError(\`\${name} must be an object (${s.name})\`)`,
              ...fieldChecks,
              '}',
            ].join('\n'),
          )
        }
        types.push(`const $T_${s.name} = $koffi.struct({ ${fields.map((f) => `${JSON.stringify(f.name)}: ${f.koffi}`).join(', ')} })`)
        dts.push(`${jsDoc(s.doc)}export interface ${s.name} {\n${fields.map((f) => `${jsDoc(f.doc, '  ')}  ${propertyName(f.name)}: ${f.ts}`).join('\n')}\n}`)
      } catch (error) {
        badStructs.set(s.name, s)
        throw error
      }
    })
  }
  for (const name of badStructs.keys()) ctx.structs.delete(name)

  // Every function belongs to the opaque type with the longest matching
  // prefix (`parser_options_new` to ParserOptions, not Parser).
  const owners = new Map<string, Decl<'function'>[]>()
  const ownerOf = new Map<Decl<'function'>, string>()
  const opaquesByPrefix = [...ctx.opaques.keys()].sort((a, b) => snake(b).length - snake(a).length)
  for (const f of functions) {
    const owner = opaquesByPrefix.find((o) => f.name.startsWith(`${snake(o)}_`))
    if (owner) {
      ownerOf.set(f, owner)
      owners.set(owner, [...(owners.get(owner) ?? []), f])
    }
  }
  const used = new Set<string>([LAST_ERROR, STRING_FREE])
  for (const opaque of ctx.opaques.values()) {
    attempt(() => {
      claim(opaque.name, opaque)
      const cls = generateClass(opaque, owners.get(opaque.name) ?? [], ctx, used, attempt)
      types.push(`const $P_${opaque.name} = $koffi.pointer($koffi.opaque())`)
      js.push(cls.js)
      dts.push(cls.dts)
    })
    for (const f of owners.get(opaque.name) ?? []) used.add(f.name)
  }

  for (const f of functions) {
    if (used.has(f.name)) continue
    attempt(() => {
      if (badStructs.size > 0) {
        for (const p of f.params) {
          const list = badStructs.has(p.type.base) ? pointerAndLength(badStructs.get(p.type.base)!) : undefined
          if (list && p.type.pointers === 1) {
            const flattened = f.params.map((q) =>
              q === p ? `${p.name}: ${rustPointer(list.pointer.type)}, ${p.name}_len: ${rustInt(list.length.type.base)}` : `${q.name}: ${q.type.pointers > 0 ? rustPointer(q.type) : rustInt(q.type.base)}`,
            )
            refuse(f, `parameter \`${p.name}: ${p.type.text}\` is a struct of a pointer and a length`, `pass the two as parameters instead: \`fn ${f.name}(${flattened.join(', ')})\` (a typed array in JavaScript, changed in place)`)
          }
        }
        const bad = [f.returns, ...f.params.map((p) => p.type)].find((t) => badStructs.has(t.base))
        if (bad) refuse(f, `it uses the struct \`${bad.base}\`, which has no binding`)
      }
      for (const p of f.params) {
        if (p.type.pointers > 0 && ctx.opaques.has(p.type.base)) {
          refuse(f, `it takes a \`${p.type.text}\` but is not named like a method of ${p.type.base}`, `name it \`${snake(p.type.base)}_<method>\`, with the ${p.type.base} first`)
        }
      }
      if (f.returns.pointers > 0 && ctx.opaques.has(f.returns.base)) {
        refuse(f, `only \`${snake(f.returns.base)}_new\` may return a \`${f.returns.text}\``)
      }
      const jsName = camelCase(f.name)
      claim(jsName, f)
      const fn = generateFunction(f, ctx, jsName)
      if (fn.async) claim(`${jsName}Async`, f)
      js.push([...fn.declarations, fn.code, ...(fn.async ? [fn.async.code] : [])].join('\n'))
      dts.push(fn.dts, ...(fn.async ? [fn.async.dts] : []))
    })
  }

  if (problems.length > 0) throw new UnsupportedDeclarationError(problems, options.crateName)

  const runtime: string[] = []
  if (ctx.usesStatus || ctx.usesStrings) {
    const lastError = byName.get(LAST_ERROR)
    if (!lastError || lastError.params.length !== 0 || lastError.returns.text !== 'const char *') {
      throw new RustyError(
        `The crate ${options.crateName} has functions that can fail (${ctx.fallible.map((name) => `\`${name}\``).join(', ')}) but no \`rusty_last_error\`, which the bindings call for the error message.`,
        { hint: `Define \`#[no_mangle] pub extern "C" fn rusty_last_error() -> *const c_char\` as the koffi template's lib.rs does (README, "The koffi backend's conventions": ${CONVENTIONS_URL}).` },
      )
    }
    runtime.push(
      `const $lastError = $lib.func('${LAST_ERROR}', 'const char *', [])`,
      '',
      '/** The Error for a failed call: the message Rust left in rusty_last_error(). */',
      'function $failure(status) {',
      "  const error = new $Error($lastError() ?? 'the Rust call failed without a message')",
      "  if (status === 2) error.code = 'RUST_PANIC'",
      '  return error',
      '}',
    )
  }
  if (ctx.usesStrings) {
    const free = byName.get(STRING_FREE)
    if (!free || free.params.length !== 1 || free.params[0]!.type.text !== 'char *') {
      throw new RustyError(
        `The crate ${options.crateName} returns strings (${ctx.fallible.map((name) => `\`${name}\``).join(', ')}) but has no \`rusty_string_free\`, which the bindings call to give each string back to Rust.`,
        { hint: `Define \`#[no_mangle] pub extern "C" fn rusty_string_free(text: *mut c_char)\` as the koffi template's lib.rs does (README, "The koffi backend's conventions": ${CONVENTIONS_URL}).` },
      )
    }
    runtime.push(
      `const $stringFree = $lib.func('${STRING_FREE}', 'void', ['void *'])`,
      '// A string Rust allocated: koffi copies it into a JS string, then hands the',
      '// pointer to rusty_string_free, exactly once. (koffi.decode + an explicit free',
      '// looked faster but leaks about 17 bytes a call in koffi 3.3.)',
      "const $RustString = $koffi.disposable('char *', (ptr) => $stringFree(ptr))",
      '',
      '/** The string a call returned; NULL means it failed, with the reason in rusty_last_error(). */',
      'function $takeString(text) {',
      '  if (text === null) throw $failure(1)',
      '  return text',
      '}',
    )
  }
  if (ctx.usesStatus) {
    runtime.push(
      '',
      '/** A 64-bit integer as koffi returns one: a number while it is exact, else a BigInt. */',
      'function $wide(value) {',
      '  return value >= -9007199254740991n && value <= 9007199254740991n ? $Number(value) : value',
      '}',
    )
  }
  if (ctx.ranges.size > 0) {
    runtime.push(
      '',
      '/** [min, max] of a C integer type on this platform (koffi knows its C data model). */',
      'function $range(type, signed) {',
      '  const bits = $BigInt($koffi.sizeof(type) * 8)',
      '  const [min, max] = signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n]',
      '  return bits > 32n ? [min, max] : [$Number(min), $Number(max)]',
      '}',
      '',
      '/** `value` as a C integer of `range`; a TypeError or RangeError (never a silent truncation) otherwise. */',
      'function $int(value, range, name, type) {',
      "  if (typeof value === 'number') {",
      '    if ($Number.isInteger(value) && value >= range[0] && value <= range[1]) return value',
      "  } else if (typeof value === 'bigint') {",
      "    if (value >= range[0] && value <= range[1]) return typeof range[0] === 'bigint' ? value : $Number(value)",
      '  } else {',
      '    throw new $TypeError(`${name} must be a number (${type}), got ${typeof value}`)',
      '  }',
      '  throw new $RangeError(`${name} must be an integer from ${range[0]} to ${range[1]} (${type}), got ${value}`)',
      '}',
      ...[...ctx.ranges].sort().map((type) => `const $R_${ident(type)} = $range('${type}', ${SCALARS_BY_KOFFI.get(type) === 'signed'})`),
    )
  }
  if (ctx.enumChecks.size > 0) {
    runtime.push(
      '',
      '/** `value` if it is one of the enum\'s values (any other number is undefined behaviour in Rust). */',
      'function $enum(value, values, name, type) {',
      '  if (values.has(value)) return value',
      '  throw new $RangeError(`${name} must be a ${type} (one of ${[...values].join(", ")}), got ${typeof value === "number" ? value : typeof value}`)',
      '}',
    )
  }
  for (const checker of ctx.checkers.values()) runtime.push('', checker)
  for (const array of [...ctx.empties].sort()) {
    runtime.push(`// Stands in for an empty ${array}: Rust's slices need a non-null, aligned pointer even for length 0.`, `const $empty_${array} = new $${array}(1)`)
  }

  const arrays = [...new Set([...ctx.empties, ...ctx.arrays])].sort()
  const banner = `// Generated by rusty from the C header of the crate ${options.crateName}.\n// Do not edit: \`rusty develop\` rewrites it from the Rust code on every build.`
  const moduleJs = [
    banner,
    "import $koffi from 'koffi'",
    "import { findLibrary as $findLibrary } from './platform.js'",
    '',
    '// JavaScript globals under names no Rust item can take.',
    `const { ${[...GLOBALS, ...arrays].map((g) => `${g}: $${g}`).join(', ')} } = globalThis`,
    '// A local build (rusty develop) first, else the platform package.',
    `const $lib = $koffi.load($findLibrary({ baseUrl: import.meta.url, localFile: ${JSON.stringify(options.libraryFile)}, packageName: ${JSON.stringify(options.packageName)} }))`,
    ...types,
    ...runtime,
    '',
    js.join('\n\n'),
    '',
  ].join('\n')
  // A global type the declarations use is written `globalThis.X` only where a Rust item took the name X.
  const moduleDts = [banner, '', dts.join('\n\n'), ''].join('\n').replace(new RegExp(`${G}(\\w+)`, 'g'), (_, name: string) => (exported.has(name) ? `globalThis.${name}` : name))
  return { js: moduleJs, dts: moduleDts }
}

const SCALARS_BY_KOFFI = new Map(Object.values(SCALARS).flatMap((s) => (s.integer ? [[s.koffi, s.integer] as const] : [])))

/** A generated function: module-level declarations, the exported (or method) code, its typing. */
interface GeneratedFunction {
  /** Module-level lines: the raw koffi function and any scratch array. */
  declarations: string[]
  /** The `export ...` statement, or the method's code (indented for a class body). */
  code: string
  dts: string
  /** The `…Async` variant, for exported functions that cannot fail. */
  async?: { code: string; dts: string }
}

function generateFunction(f: Decl<'function'>, ctx: Context, jsName: string, self?: string): GeneratedFunction {
  const result = planResult(f, ctx)
  const params = planParams(f, ctx, result, self ? 1 : 0)
  const raw = `$raw_${f.name}`
  const koffiParams = [...(self ? [`$P_${self}`] : []), ...params.flatMap((p) => p.koffi)]
  const declarations = [`const ${raw} = $lib.func(${JSON.stringify(f.name)}, ${result.koffi}, [${koffiParams.join(', ')}])`]
  if (result.out) declarations.push(`const ${result.out.array} = new $${result.out.type}(1)`)
  if (result.out) ctx.arrays.add(result.out.type)
  const jsParams = params.filter((p) => p.js !== '')
  const args = [...(self ? ['this.#live()'] : []), ...params.flatMap((p) => p.args)]
  const checks = params.flatMap((p) => p.checks)
  const signature = `(${jsParams.map((p) => `${p.js}: ${p.ts}`).join(', ')}): ${result.ts}`
  const docs = jsDoc(withParamDocs(f.doc, jsParams))
  if (!self && checks.length === 0 && result.mode === 'plain' && params.every((p) => p.args.length === 1 && p.args[0] === p.js)) {
    // Nothing to convert: export koffi's own function, at no extra cost.
    return {
      declarations,
      code: `export const ${jsName} = ${raw}`,
      dts: `${docs}export declare function ${jsName}${signature}`,
      async: asyncVariant(jsName, raw, jsParams, [], args, result, docs),
    }
  }
  const body = [...checks, ...resultStatements(`${raw}(${args.join(', ')})`, result)]
  const paramList = jsParams.map((p) => p.js).join(', ')
  if (self) {
    return {
      declarations,
      code: [`  ${jsName}(${paramList}) {`, ...body.map((line) => `    ${line}`), '  }'].join('\n'),
      dts: `${jsDoc(withParamDocs(f.doc, jsParams), '  ')}  ${jsName}${signature}`,
    }
  }
  return {
    declarations,
    code: [`export function ${jsName}(${paramList}) {`, ...body.map((line) => `  ${line}`), '}'].join('\n'),
    dts: `${docs}export declare function ${jsName}${signature}`,
    async: asyncVariant(jsName, raw, jsParams, checks, args, result, docs),
  }
}

/**
 * `fooAsync(...)`: the same call on koffi's worker thread, as a Promise. Only
 * for functions that cannot fail: the message of a failure lives in a
 * thread-local (`rusty_last_error`) of the worker thread, out of reach.
 */
function asyncVariant(
  jsName: string,
  raw: string,
  jsParams: ParamPlan[],
  checks: string[],
  args: string[],
  result: ResultPlan,
  docs: string,
): GeneratedFunction['async'] {
  if (result.mode === 'string' || result.mode === 'status') return undefined
  const name = `${jsName}Async`
  const paramList = jsParams.map((p) => p.js).join(', ')
  const code = [
    `export function ${name}(${paramList}) {`,
    ...checks.map((line) => `  ${line}`),
    `  return new $Promise(($resolve, $reject) => ${raw}.async(${[...args, '($error, $value) => ($error ? $reject($error) : $resolve($value))'].join(', ')}))`,
    '}',
  ].join('\n')
  const signature = `(${jsParams.map((p) => `${p.js}: ${p.ts}`).join(', ')}): ${G}Promise<${result.ts}>`
  const note = 'Runs on a worker thread; the Promise settles with the result. Leave any typed array passed in untouched until then.'
  const asyncDocs = docs ? docs.replace(/\*\/\n$/, `*\n * ${note}\n */\n`).replace(/^\/\*\* (.*) \*\n/, '/**\n * $1\n *\n') : `/** ${note} */\n`
  return { code, dts: `${asyncDocs}export declare function ${name}${signature}` }
}

function resultStatements(call: string, result: ResultPlan): string[] {
  switch (result.mode) {
    case 'plain':
      return [`return ${call}`]
    case 'borrowed-string':
      return [`return ${call}`]
    case 'string':
      return [`return $takeString(${call})`]
    case 'status': {
      const lines = [`const $status = ${call}`, 'if ($status !== 0) throw $failure($status)']
      if (result.out) lines.push(`return ${result.out.wide ? '$wide(' : ''}${result.out.array}[0]${result.out.wide ? ')' : ''}`)
      return lines
    }
  }
}

function planResult(f: Decl<'function'>, ctx: Context): ResultPlan {
  const t = f.returns
  if (t.pointers === 0 && t.base === 'void') return { koffi: "'void'", ts: 'void', mode: 'plain' }
  if (t.pointers === 0 && t.base === STATUS_TYPE && ctx.enums.has(STATUS_TYPE)) {
    ctx.usesStatus = true
    ctx.fallible.push(f.name)
    const last = f.params.at(-1)
    if (last && last.type.pointers > 0 && /^out(_|$)/.test(last.name)) {
      if (last.type.pointers !== 1 || last.type.isConst) {
        refuse(f, `its out parameter \`${last.name}\` must be a \`T *\``)
      }
      const scalar = scalarOf({ ...last.type, pointers: 0 }, ctx)
      const array = scalar?.array ?? (scalar?.koffi === 'bool' ? 'Uint8Array' : undefined)
      if (!scalar || !array) {
        refuse(f, `its out parameter \`${last.name}: ${last.type.text}\` must point to a number or bool of a fixed size`, 'use i32, u64, f64, ... (not a C type whose size varies)')
      }
      return { koffi: "'int'", ts: scalar.ts, mode: 'status', out: { array: `$out_${f.name}`, type: array, wide: scalar.wide === true, ts: scalar.ts } }
    }
    return { koffi: "'int'", ts: 'void', mode: 'status' }
  }
  if (ctx.lists.has(t.base)) {
    refuse(f, `it returns a pointer and a length (\`${t.text}\`), whose memory nothing would free`, 'fill a typed array the caller passes (`out: *mut T, out_len: usize`), or return a string (e.g. JSON)')
  }
  if (t.pointers === 0) {
    const scalar = scalarOf(t, ctx)
    if (scalar) return { koffi: `'${scalar.koffi}'`, ts: scalar.ts, mode: 'plain' }
    if (ctx.structs.has(t.base)) return { koffi: `$T_${t.base}`, ts: t.base, mode: 'plain' }
    const e = ctx.enums.get(t.base)
    if (e) return { koffi: `'${SCALARS[e.repr]?.koffi ?? 'int'}'`, ts: t.base, mode: 'plain' }
  }
  if (t.pointers === 1 && t.base === 'char') {
    if (t.isConst) return { koffi: "'const char *'", ts: 'string | null', mode: 'borrowed-string' }
    ctx.usesStrings = true
    ctx.fallible.push(f.name)
    return { koffi: '$RustString', ts: 'string', mode: 'string' }
  }
  return refuse(f, `its result type \`${t.text}\` is not supported`, t.pointers > 0 ? 'return a number, bool, enum, struct, string, or an opaque object from `<type>_new`' : undefined)
}

function planParams(f: Decl<'function'>, ctx: Context, result: ResultPlan, skip: number): ParamPlan[] {
  const params = f.params.slice(skip)
  const plans: ParamPlan[] = []
  const taken = new Set<string>()
  const jsName = (name: string) => {
    let js = camelCase(name)
    if (RESERVED.has(js)) js = `${js}_`
    while (taken.has(js)) js = `${js}_`
    taken.add(js)
    return js
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    const t = p.type
    if (result.out && i === params.length - 1) {
      plans.push({ js: '', ts: '', koffi: [`'${scalarOf({ ...t, pointers: 0 }, ctx)!.koffi} *'`], args: [result.out.array], checks: [] })
      continue
    }
    if (t.pointers === 0) {
      const scalar = scalarOf(t, ctx)
      if (scalar) {
        const js = jsName(p.name)
        if (scalar.integer) {
          ctx.ranges.add(scalar.koffi)
          plans.push({ js, ts: scalar.ts, koffi: [`'${scalar.koffi}'`], args: [intArgument(js, scalar, t.base)], checks: [], doc: p.doc })
        } else {
          plans.push({ js, ts: scalar.ts, koffi: [`'${scalar.koffi}'`], args: [js], checks: [], doc: p.doc })
        }
        continue
      }
      if (ctx.lists.has(t.base)) {
        plans.push(listParam(jsName(p.name), t, ctx))
        continue
      }
      if (ctx.structs.has(t.base)) {
        const js = jsName(p.name)
        const checks = ctx.checkers.has(t.base) ? [`$check_${t.base}(${js}, ${JSON.stringify(js)})`] : []
        plans.push({ js, ts: t.base, koffi: [`$T_${t.base}`], args: [js], checks, doc: p.doc })
        continue
      }
      const e = ctx.enums.get(t.base)
      if (e) {
        const js = jsName(p.name)
        ctx.enumChecks.add(e.name)
        plans.push({ js, ts: t.base, koffi: [`'${SCALARS[e.repr]?.koffi ?? 'int'}'`], args: [`$enum(${js}, $values_${e.name}, ${JSON.stringify(js)}, ${JSON.stringify(e.name)})`], checks: [], doc: p.doc })
        continue
      }
    }
    if (t.pointers === 1 && t.base === 'char') {
      if (!t.isConst) {
        if (params.length === 1 && f.returns.base === 'void' && f.returns.pointers === 0) {
          refuse(
            f,
            `it looks like a function that frees a string (\`${p.name}: *mut c_char\`): the bindings already give every returned string back to Rust through \`rusty_string_free\`, exactly once, and a second free would crash the process`,
            'do not export it (remove `#[no_mangle]` / `pub extern "C"`); the template\'s `rusty_string_free` is the only free function the bindings need',
          )
        }
        refuse(f, `parameter \`${p.name}: char *\` is ambiguous (a string to read, or a buffer to fill?)`, 'take `*const c_char` for a string Rust reads during the call, or `*mut u8` plus a length for a buffer Rust fills (a Uint8Array)')
      }
      const js = jsName(p.name)
      plans.push({
        js,
        ts: 'string',
        koffi: ["'const char *'"],
        args: [js],
        // koffi would read a number as an address and crash the process.
        checks: [`if (typeof ${js} !== 'string') throw new $TypeError(${JSON.stringify(`${js} must be a string`)})`],
        doc: p.doc,
      })
      continue
    }
    const next = params[i + 1]
    const element = t.pointers === 1 ? scalarOf({ ...t, pointers: 0 }, ctx) : undefined
    const length = next && next.type.pointers === 0 ? scalarOf(next.type, ctx) : undefined
    if (element && length?.integer && !(result.out && i + 1 === params.length - 1)) {
      if (!element.array) {
        refuse(f, `parameter \`${p.name}: ${t.text}\` points to \`${t.base}\`, whose size differs between platforms, so no typed array fits it`, 'use a fixed-size element type (i32, i64, u64, f64, ...)')
      }
      const js = jsName(p.name)
      jsName(next!.name)
      ctx.empties.add(element.array)
      // A length fits any type that is 64 bits wide on 64-bit platforms (`long` is 32 bits on Windows).
      const lengthFits = length.wide === true && !/^(unsigned )?long$/.test(length.koffi)
      if (!lengthFits) ctx.ranges.add(length.koffi)
      plans.push({
        js,
        ts: `${G}${element.array}`,
        koffi: [`'${element.koffi} *'`, `'${length.koffi}'`],
        // koffi passes NULL for an empty array, and Rust's from_raw_parts(NULL, 0) aborts.
        args: [
          `${js}.length === 0 ? $empty_${element.array} : ${js}`,
          lengthFits ? `${js}.length` : `$int(${js}.length, $R_${ident(length.koffi)}, ${JSON.stringify(`${js}.length`)}, ${JSON.stringify(next!.type.base)})`,
        ],
        checks: [`if (!(${js} instanceof $${element.array})) throw new $TypeError(${JSON.stringify(`${js} must be a ${element.array}`)})`],
        doc: p.doc,
      })
      i++
      continue
    }
    if (element) {
      refuse(f, `parameter \`${p.name}: ${t.text}\` is a pointer without a length`, `a length must follow the pointer: \`${p.name}: ${rustPointer(t)}, ${p.name}_len: usize\` (a typed array in JavaScript)`)
    }
    if (t.pointers === 1 && ctx.lists.has(t.base)) {
      plans.push(listParam(jsName(p.name), t, ctx))
      continue
    }
    if (t.pointers > 0 && ctx.structs.has(t.base)) {
      const list = pointerAndLength(ctx.structs.get(t.base)!)
      if (list) {
        refuse(f, `parameter \`${p.name}: ${t.text}\` is a struct of a pointer and a length`, `pass the two as parameters instead: \`${list.pointer.name}: ${rustPointer(list.pointer.type)}, ${list.length.name}: ${rustInt(list.length.type.base)}\` (a typed array in JavaScript, changed in place)`)
      }
      if (t.pointers === 1) {
        // `const S *`: the object is copied in for the call; `S *`: copied in, and Rust's changes copied back into it.
        const js = jsName(p.name)
        const check = ctx.checkers.has(t.base)
          ? `$check_${t.base}(${js}, ${JSON.stringify(js)})`
          : `if (typeof ${js} !== 'object' || ${js} === null) throw new $TypeError(${JSON.stringify(`${js} must be an object (${t.base})`)})`
        plans.push({
          js,
          ts: t.base,
          koffi: [t.isConst ? `$koffi.pointer($T_${t.base})` : `$koffi.inout($koffi.pointer($T_${t.base}))`],
          args: [js],
          checks: [check],
          doc: [p.doc, t.isConst ? undefined : `Rust's changes are copied back into \`${js}\`.`].filter(Boolean).join(' ') || undefined,
        })
        continue
      }
      refuse(f, `parameter \`${p.name}: ${t.text}\` is a pointer to a pointer to a struct`, `pass \`${t.base}\` by value or by one pointer`)
    }
    if (ctx.unbound.has(t.base)) refuse(f, `parameter \`${p.name}: ${t.text}\` uses \`${t.base}\`, which has no binding`)
    refuse(f, `parameter \`${p.name}: ${t.text}\` is not supported`)
  }
  return plans
}

// Integer types whose range a 32-bit bit operation checks, with that operation (`V` is the value).
const FAST_CHECKS: Record<string, string> = {
  int8_t: '(V << 24 >> 24)',
  uint8_t: '(V & 0xff)',
  int16_t: '(V << 16 >> 16)',
  short: '(V << 16 >> 16)',
  uint16_t: '(V & 0xffff)',
  'unsigned short': '(V & 0xffff)',
  int32_t: '(V | 0)',
  int: '(V | 0)',
  uint32_t: '(V >>> 0)',
  'unsigned int': '(V >>> 0)',
}

/**
 * The argument expression passing the integer parameter `js`: an inline
 * check for a number of a type up to 32 bits (a bit operation gives the
 * value back only when it is an integer in range; this keeps a call within
 * a few ns of the raw koffi call), else `$int`, which also takes BigInts and
 * throws the TypeError or RangeError.
 */
function intArgument(js: string, scalar: Numeric, cType: string): string {
  const full = `$int(${js}, $R_${ident(scalar.koffi)}, ${JSON.stringify(js)}, ${JSON.stringify(cType)})`
  const fast = FAST_CHECKS[scalar.koffi]
  if (!fast) return full
  return `(typeof ${js} === 'number' && ${fast.replaceAll('V', js)} === ${js} ? ${js} : ${full})`
}

/**
 * A `{ T *ptr; <int> len; }` parameter, by value or by pointer: one typed
 * array, shared (Rust's changes to the elements are visible in JavaScript;
 * its length is read-only), never a NULL pointer.
 */
function listParam(js: string, t: CType, ctx: Context): ParamPlan {
  const list = ctx.lists.get(t.base)!
  const array = list.element.array!
  const struct = `{ ${JSON.stringify(list.pointer)}: ${js}.length === 0 ? $empty_${array} : ${js}, ${JSON.stringify(list.length)}: $int(${js}.length, $R_${ident(list.lengthType.koffi)}, ${JSON.stringify(`${js}.length`)}, ${JSON.stringify(list.lengthC)}) }`
  return {
    js,
    ts: `${G}${array}`,
    koffi: [t.pointers === 0 ? `$T_${t.base}` : `$koffi.pointer($T_${t.base})`],
    args: [struct],
    checks: [`if (!(${js} instanceof $${array})) throw new $TypeError(${JSON.stringify(`${js} must be a ${array}`)})`],
  }
}

/** `{ T *ptr; <int> len; }`: a list handed over C-style. */
function pointerAndLength(s: Decl<'struct'>): { pointer: CField; length: CField } | undefined {
  const [a, b] = s.fields
  if (s.fields.length !== 2 || !a || !b) return undefined
  const isPointer = (f: CField) => f.type.pointers === 1 && f.type.base in SCALARS
  const isLength = (f: CField) => f.type.pointers === 0 && SCALARS[f.type.base]?.integer !== undefined
  if (isPointer(a) && isLength(b)) return { pointer: a, length: b }
  if (isPointer(b) && isLength(a)) return { pointer: b, length: a }
  return undefined
}

const RUST_INTS: Record<string, string> = {
  int8_t: 'i8', uint8_t: 'u8', int16_t: 'i16', uint16_t: 'u16', int32_t: 'i32', uint32_t: 'u32', int64_t: 'i64', uint64_t: 'u64',
  intptr_t: 'isize', uintptr_t: 'usize', size_t: 'usize', float: 'f32', double: 'f64', bool: 'bool',
  int: 'c_int', 'unsigned int': 'c_uint', long: 'c_long', 'unsigned long': 'c_ulong', char: 'c_char',
}

function rustInt(base: string): string {
  return RUST_INTS[base] ?? base
}

function rustPointer(t: CType): string {
  return `${t.isConst ? '*const' : '*mut'} ${rustInt(t.base)}`
}

function generateClass(
  opaque: Decl<'opaque'>,
  members: Decl<'function'>[],
  ctx: Context,
  used: Set<string>,
  attempt: (f: () => void) => void,
): { js: string; dts: string } {
  const prefix = `${snake(opaque.name)}_`
  const isSelf = (f: Decl<'function'>) => f.params[0]?.type.pointers === 1 && f.params[0].type.base === opaque.name
  const ctor = members.find((f) => f.name === `${prefix}new`)
  const free = members.find((f) => f.name === `${prefix}free`)
  if (!ctor || !free) {
    refuse(opaque, `an opaque type needs \`${prefix}new\` (returning \`${opaque.name} *\`) and \`${prefix}free(${opaque.name} *)\` to become a class`)
  }
  if (!(ctor.returns.pointers === 1 && ctor.returns.base === opaque.name)) {
    refuse(ctor, `it must return \`${opaque.name} *\``)
  }
  if (!(free.params.length === 1 && isSelf(free) && free.returns.base === 'void')) {
    refuse(free, `it must be \`void ${prefix}free(${opaque.name} *)\``)
  }
  used.add(ctor.name)
  used.add(free.name)

  const ctorParams = planParams(ctor, ctx, { koffi: '', ts: '', mode: 'plain' }, 0)
  const js: string[] = [
    `const $raw_${ctor.name} = $lib.func(${JSON.stringify(ctor.name)}, $P_${opaque.name}, [${ctorParams.flatMap((p) => p.koffi).join(', ')}])`,
    `const $raw_${free.name} = $lib.func(${JSON.stringify(free.name)}, 'void', [$P_${opaque.name}])`,
    `// Frees what a forgotten ${opaque.name} still holds; dispose() is the way to free it on time.`,
    `const $registry_${opaque.name} = new $FinalizationRegistry((ptr) => $raw_${free.name}(ptr))`,
  ]
  const methodsJs: string[] = []
  const methodsDts: string[] = []
  const memberNames = new Map<string, string>([
    ['constructor', 'the constructor'],
    ['dispose', 'dispose()'],
    ['disposed', 'the disposed property'],
  ])
  const claimMember = (name: string, f: Decl<'function'>) => {
    const other = memberNames.get(name)
    if (other !== undefined && other !== f.name) refuse(f, `it becomes \`${opaque.name}.${name}\`, which ${other.includes('_') ? `\`${other}\`` : other} already is`, 'rename it')
    memberNames.set(name, f.name)
  }
  const accessors = new Map<string, { get?: Decl<'function'>; set?: Decl<'function'> }>()
  for (const f of members) {
    if (f === ctor || f === free) continue
    attempt(() => {
      if (!isSelf(f)) {
        refuse(f, `a function named \`${prefix}…\` must take the \`${opaque.name} *\` first`)
      }
      const rest = f.name.slice(prefix.length)
      const accessor = /^(get|set)_(.+)$/.exec(rest)
      if (accessor) {
        const entry = accessors.get(accessor[2]!) ?? {}
        entry[accessor[1] as 'get' | 'set'] = f
        accessors.set(accessor[2]!, entry)
        return
      }
      const name = camelCase(rest)
      claimMember(name, f)
      const method = generateFunction(f, ctx, name, opaque.name)
      js.push(...method.declarations)
      methodsJs.push(method.code)
      methodsDts.push(method.dts)
    })
  }
  for (const [name, { get, set }] of accessors) {
    const prop = camelCase(name)
    let getterTs: string | undefined
    if (get) {
      attempt(() => {
        if (get.params.length !== 1) refuse(get, 'a getter takes only the object')
        const plan = planResult(get, ctx)
        if (plan.mode !== 'plain') refuse(get, 'a getter must return a number, bool, enum or struct')
        claimMember(prop, get)
        js.push(`const $raw_${get.name} = $lib.func(${JSON.stringify(get.name)}, ${plan.koffi}, [$P_${opaque.name}])`)
        methodsJs.push(`  get ${prop}() {\n    return $raw_${get.name}(this.#live())\n  }`)
        getterTs = plan.ts
        methodsDts.push(`${jsDoc(get.doc, '  ')}  get ${prop}(): ${plan.ts}`)
      })
    }
    if (set) {
      attempt(() => {
        if (set.params.length !== 2) refuse(set, 'a setter takes the object and one value')
        if (!get) claimMember(prop, set)
        const method = generateFunction(set, ctx, `set ${prop}`, opaque.name)
        js.push(...method.declarations)
        // A setter's value is never returned, whatever the status plan says.
        methodsJs.push(method.code.replace(/\n    return (.*)\n  }$/, '\n    $1\n  }'))
        const valueTs = planParams(set, ctx, { koffi: '', ts: '', mode: 'plain' }, 1)[0]!.ts
        methodsDts.push(`${jsDoc(set.doc, '  ')}  set ${prop}(value: ${getterTs ?? valueTs})`)
      })
    }
  }

  const ctorArgs = ctorParams.map((p) => p.js)
  const classJs = [
    `${jsDoc(opaque.doc)}export class ${opaque.name} {`,
    '  #ptr',
    `  constructor(${ctorArgs.join(', ')}) {`,
    ...ctorParams.flatMap((p) => p.checks).map((line) => `    ${line}`),
    `    const $ptr = $raw_${ctor.name}(${ctorParams.flatMap((p) => p.args).join(', ')})`,
    `    if ($ptr === null) throw new $Error(${JSON.stringify(`${ctor.name} returned NULL`)})`,
    '    this.#ptr = $ptr',
    `    $registry_${opaque.name}.register(this, $ptr, this)`,
    '  }',
    '',
    '  /** The live pointer; using a disposed object throws instead of crashing. */',
    '  #live() {',
    `    if (this.#ptr === null) throw new $Error(${JSON.stringify(`This ${opaque.name} was disposed and cannot be used any more`)})`,
    '    return this.#ptr',
    '  }',
    '',
    '  /** Frees the Rust object now. Safe to call twice; any later use throws. */',
    '  dispose() {',
    '    if (this.#ptr === null) return',
    `    $registry_${opaque.name}.unregister(this)`,
    `    $raw_${free.name}(this.#ptr)`,
    '    this.#ptr = null',
    '  }',
    '',
    '  /** `using x = new ' + opaque.name + '(...)` disposes it at the end of the block. */',
    '  [$Symbol.dispose]() {',
    '    this.dispose()',
    '  }',
    '',
    '  /** Whether dispose() has run. */',
    '  get disposed() {',
    '    return this.#ptr === null',
    '  }',
    ...methodsJs.map((m) => `\n${m}`),
    '}',
  ]
  const ctorSignature = ctorParams.map((p) => `${p.js}: ${p.ts}`).join(', ')
  const dts = [
    `${jsDoc(opaque.doc)}export declare class ${opaque.name} implements ${G}Disposable {`,
    `${jsDoc(withParamDocs(ctor.doc, ctorParams), '  ')}  constructor(${ctorSignature})`,
    '  /** Frees the Rust object now. Safe to call twice; any later use throws. */',
    '  dispose(): void',
    `  [${G}Symbol.dispose](): void`,
    '  /** Whether dispose() has run. */',
    '  readonly disposed: boolean',
    ...methodsDts,
    '}',
  ].join('\n')
  return { js: [...js, classJs.join('\n')].join('\n'), dts }
}

function scalarOf(t: CType, ctx: Context): Numeric | undefined {
  if (t.pointers !== 0) return undefined
  if (t.base in SCALARS) return SCALARS[t.base]
  const alias = ctx.aliases.get(t.base)
  return alias && alias.type.pointers === 0 && alias.type.base in SCALARS ? SCALARS[alias.type.base] : undefined
}

function withParamDocs(doc: string | undefined, params: { js: string; doc?: string }[]): string | undefined {
  const lines = params.filter((p) => p.js && p.doc).map((p) => `@param ${p.js} ${p.doc}`)
  return [doc, ...lines].filter(Boolean).join('\n') || undefined
}

function jsDoc(doc: string | undefined, indent = ''): string {
  if (!doc) return ''
  const body = doc.replace(/\*\//g, '*\\/').split('\n')
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`
  return `${indent}/**\n${body.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`
}

/** A property name as TypeScript accepts it (quoted when it is not an identifier). */
function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)
}

/** A koffi type name as part of an identifier: `unsigned long` is `unsigned_long`. */
function ident(type: string): string {
  return type.replace(/\W+/g, '_')
}

function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** An enum variant's JavaScript name: `NOT_FOUND` and `NotFound` both become `NotFound`. */
function variantName(name: string): string {
  if (!name.includes('_') && /[a-z]/.test(name)) return name[0]!.toUpperCase() + name.slice(1)
  const words = name.split('_').filter(Boolean)
  if (words.length === 0) return name
  return words.map((w) => (/[a-z]/.test(w) ? w[0]!.toUpperCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

function screamingSnake(name: string): string {
  return snake(name).toUpperCase()
}
