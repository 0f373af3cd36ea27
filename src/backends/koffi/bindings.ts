import type { CDeclaration, CType } from './header.js'
import { SCALARS, STATUS_TYPE, LAST_ERROR, STRING_FREE, pointerAndLength, rustInt, rustPointer, type Decl } from './c-types.js'
import { generateClass } from './class.js'
import { generateFunction, jsDoc } from './functions.js'
import { RESERVED, camelCase, propertyName, screamingSnake, snake, variantName } from './js-names.js'
import { emitModule, type GeneratedBindings, type GenerateOptions } from './module.js'
import type { Context } from './plan-shapes.js'
import { emitStructs } from './structs.js'
import { Refusal, UnsupportedDeclarationError, refuse, type UnsupportedItem } from './unsupported.js'

export type { GeneratedBindings, GenerateOptions } from './module.js'
export { CONVENTIONS_URL, UnsupportedDeclarationError, type UnsupportedItem } from './unsupported.js'

/*
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
 * | `T f[N]` field of a struct | a typed array (or an array of structs / enums) of exactly N elements |
 * | `const T (*p)[N]` parameter | a typed array of exactly N elements, shared |
 * | `const T *` / `T *` without a length | one number / a one-element typed array (or `[n]` for `size_t`, `long`) |
 * | `RustyStatus f(..., S *out)` of a struct | returns a new `S` object |
 * | opaque `Thing *` with `thing_free` (and `thing_new`) | a class `Thing` with `dispose()`, `Symbol.dispose` and a FinalizationRegistry |
 * | `Thing *` result of any function / `Thing *` parameter | a new `Thing` owning it (NULL throws) / an instance, checked |
 *
 * Every function that cannot fail (no status, no owned string) also gets an
 * `…Async` variant that runs on koffi's worker thread and returns a Promise.
 *
 * Generated internals are named with a `$`, which no C identifier has, so
 * no Rust item can shadow them; JavaScript's globals are read through such
 * names too, so an item named `Error` or `Object` shadows nothing.
 */

/**
 * Generates the koffi bindings for `declarations` (from `parseHeader`).
 *
 * `rusty_last_error` is used when the crate defines it (else a failure's
 * message names the function); a function returning an owned string needs
 * `rusty_string_free` and is refused without it.
 *
 * @throws UnsupportedDeclarationError listing every declaration outside the
 *   conventions above (every bad parameter of a function too), each named with
 *   its fix; never emits a binding it cannot type
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
    classes: new Set(),
    lastError: false,
    stringFree: false,
    usesObjects: false,
    usesArrays: false,
    factories: new Map(),
  }
  const problems: UnsupportedItem[] = []
  const attempt = (f: () => void) => {
    try {
      f()
    } catch (error) {
      if (error instanceof Refusal) problems.push(...error.items)
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
    if (d.kind === 'unsupported') problems.push({ name: d.name, reason: d.reason, source: d.source, fix: d.fix })
  }
  const functions = declarations.filter((d): d is Decl<'function'> => d.kind === 'function')
  const byName = new Map(functions.map((f) => [f.name, f]))

  // The conventions' helpers: used when the crate has them (with their signatures), else the bindings do without.
  const lastError = byName.get(LAST_ERROR)
  ctx.lastError = lastError !== undefined && lastError.params.length === 0 && lastError.returns.text === 'const char *'
  if (lastError && !ctx.lastError) {
    problems.push({ name: LAST_ERROR, reason: 'it is not `const char *rusty_last_error(void)`', source: lastError.source, fix: `declare it \`#[no_mangle] pub extern "C" fn ${LAST_ERROR}() -> *const c_char\` as the koffi template's lib.rs does` })
  }
  const stringFree = byName.get(STRING_FREE)
  ctx.stringFree = stringFree !== undefined && stringFree.params.length === 1 && stringFree.params[0]!.type.text === 'char *' && stringFree.returns.text === 'void'
  if (stringFree && !ctx.stringFree) {
    problems.push({ name: STRING_FREE, reason: 'it is not `void rusty_string_free(char *text)`', source: stringFree.source, fix: `declare it \`#[no_mangle] pub extern "C" fn ${STRING_FREE}(text: *mut c_char)\` as the koffi template's lib.rs does` })
  }
  // An opaque type with `<type>_free(<Type> *)` is a class: its objects can be results and parameters.
  for (const opaque of ctx.opaques.values()) {
    const free = byName.get(`${snake(opaque.name)}_free`)
    if (!free) continue
    const t = free.params[0]?.type
    if (free.params.length === 1 && t?.pointers === 1 && t.base === opaque.name && free.returns.text === 'void') ctx.classes.add(opaque.name)
    else problems.push({ name: free.name, reason: `it must be \`void ${free.name}(${opaque.name} *)\` to free a ${opaque.name}`, source: free.source, fix: `declare it \`#[no_mangle] pub extern "C" fn ${free.name}(p: *mut ${opaque.name})\`` })
  }
  for (const f of functions) {
    const t = f.returns
    if (t.pointers === 1 && ctx.classes.has(t.base) && f.name !== `${snake(t.base)}_new`) {
      ctx.factories.set(t.base, [...(ctx.factories.get(t.base) ?? []), `${camelCase(f.name)}()`])
    }
  }

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
      refuse(alias, 'only aliases of number types are supported', 'use the aliased type directly (`pub type` aliases of pointers and arrays have no JavaScript type)')
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
      if (!(e.repr in SCALARS) || !SCALARS[e.repr]!.integer) refuse(e, `its C type \`${e.repr}\` is not an integer type`, 'give it an integer `#[repr]` (`#[repr(C)]`, `#[repr(u8)]`, `#[repr(i32)]`, ...)')
      if (e.variants.length === 0) refuse(e, 'an enum without variants has no values', 'give it a variant, or keep it out of the C header')
      const prefix = `${screamingSnake(e.name)}_`
      const members = e.variants.map((v) => ({ js: variantName(v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name), ...v }))
      const clash = members.find((m, i) => members.findIndex((o) => o.js === m.js) !== i)
      if (clash) refuse(e, `two variants become \`${clash.js}\``, 'rename one of the two variants')
      js.push(`export const ${e.name} = $Object.freeze({ ${members.map((m) => `${propertyName(m.js)}: ${m.value}`).join(', ')} })`)
      js.push(`const $values_${e.name} = new $Set(${JSON.stringify([...new Set(members.map((m) => m.value))])})`)
      dts.push(
        `${jsDoc(e.doc)}export declare const ${e.name}: {\n${members.map((m) => `${jsDoc(m.doc, '  ')}  readonly ${propertyName(m.js)}: ${m.value}`).join('\n')}\n}`,
        `export type ${e.name} = ${[...new Set(members.map((m) => m.value))].join(' | ')}`,
      )
    })
  }
  const badStructs = emitStructs(ctx, { claim, attempt, types, dts })

  // A class's members are its `_new`, its `_free`, and the functions with
  // its prefix that take it first; a function belongs to the class with the
  // longest matching prefix (`parser_options_new` to ParserOptions, not
  // Parser). Other functions with the prefix (`rure_compile_must`, where the
  // library's prefix is also a type's name) are free functions.
  const owners = new Map<string, Decl<'function'>[]>()
  const classesByPrefix = [...ctx.classes].sort((a, b) => snake(b).length - snake(a).length)
  for (const f of functions) {
    const owner = classesByPrefix.find((o) => f.name.startsWith(`${snake(o)}_`))
    const first = f.params[0]?.type
    if (owner && (f.name === `${snake(owner)}_new` || f.name === `${snake(owner)}_free` || (first?.pointers === 1 && first.base === owner))) {
      owners.set(owner, [...(owners.get(owner) ?? []), f])
    }
  }
  const used = new Set<string>([LAST_ERROR, STRING_FREE])
  for (const name of ctx.classes) {
    const opaque = ctx.opaques.get(name)!
    types.push(`const $P_${opaque.name} = $koffi.pointer($koffi.opaque())`)
    attempt(() => {
      claim(opaque.name, opaque)
      const cls = generateClass(opaque, owners.get(opaque.name) ?? [], ctx, used, attempt)
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
        if (bad) refuse(f, `it uses the struct \`${bad.base}\`, which has no binding`, `make \`${bad.base}\` bind (see it in this list)`)
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

  return emitModule({ types, js, dts, exported }, ctx, options)
}
