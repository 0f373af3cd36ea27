import { RustyError } from '../../errors.js'
import type { CDeclaration, CField, CType } from './header.js'

/**
 * Turns the declarations of a cbindgen header into an ES module that loads
 * the cdylib with koffi (`index.js`) and its TypeScript declarations
 * (`index.d.ts`). The conventions (documented in the koffi template's
 * lib.rs) decide how each C signature becomes a JavaScript one:
 *
 * | C | JavaScript |
 * |---|---|
 * | integers, `float`, `double`, `bool` | `number` / `boolean`; 64-bit integers `number \| bigint` (koffi gives a BigInt past 2^53) |
 * | `const char *` parameter | `string` (checked: a number there would be read as an address) |
 * | returned `char *` | `string`, copied, then freed once by `rusty_string_free` (a koffi disposable type); NULL throws `rusty_last_error()` |
 * | `T *xs, size_t xs_len` | one typed array (e.g. `Float64Array`), shared with Rust, not copied |
 * | `RustyStatus f(..., T *out)` | returns `out`; a status other than OK throws `rusty_last_error()` |
 * | `#[repr(C)]` struct by value | an interface (plain object) |
 * | `#[repr(C)]` enum | a frozen object of numbers and a union type |
 * | opaque `Thing *` with `thing_new` / `thing_free` | a class `Thing` with `dispose()`, `Symbol.dispose` and a FinalizationRegistry |
 *
 * Functions whose parameters and result need no conversion are exported as
 * the raw koffi function itself, so they cost exactly a koffi call.
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
  /** The crate's name, for the generated files' header comment. */
  crateName: string
}

/** The error for a declaration the bindings cannot express; names the C declaration and the Rust item. */
export class UnsupportedDeclarationError extends RustyError {
  constructor(declaration: CDeclaration, reason: string) {
    super(`Cannot generate a koffi binding for the Rust item \`${declaration.name}\`: ${reason} (C: \`${declaration.source};\`).`, {
      hint: 'Change the item to one of the supported shapes listed in rust/src/lib.rs, or keep it out of the C header (not pub / not extern "C").',
    })
    this.name = 'UnsupportedDeclarationError'
  }
}

interface Numeric {
  /** TypeScript type of a value. */
  ts: string
  /** Typed array for `T *xs, size_t xs_len`, if any. */
  array?: string
  /** 64-bit: koffi gives a BigInt past Number.MAX_SAFE_INTEGER. */
  wide?: boolean
}

// C scalar types koffi understands by these names (koffi docs, "Primitive types").
const SCALARS: Record<string, Numeric> = {
  bool: { ts: 'boolean' },
  int8_t: { ts: 'number', array: 'Int8Array' },
  uint8_t: { ts: 'number', array: 'Uint8Array' },
  int16_t: { ts: 'number', array: 'Int16Array' },
  uint16_t: { ts: 'number', array: 'Uint16Array' },
  int32_t: { ts: 'number', array: 'Int32Array' },
  uint32_t: { ts: 'number', array: 'Uint32Array' },
  int64_t: { ts: 'number | bigint', array: 'BigInt64Array', wide: true },
  uint64_t: { ts: 'number | bigint', array: 'BigUint64Array', wide: true },
  intptr_t: { ts: 'number | bigint', wide: true },
  uintptr_t: { ts: 'number | bigint', wide: true },
  size_t: { ts: 'number | bigint', wide: true },
  ptrdiff_t: { ts: 'number | bigint', wide: true },
  float: { ts: 'number', array: 'Float32Array' },
  double: { ts: 'number', array: 'Float64Array' },
}

const STATUS_TYPE = 'RustyStatus'
const LAST_ERROR = 'rusty_last_error'
const STRING_FREE = 'rusty_string_free'

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

interface Context {
  structs: Map<string, Decl<'struct'>>
  enums: Map<string, Decl<'enum'>>
  opaques: Map<string, Decl<'opaque'>>
  aliases: Map<string, Decl<'alias'>>
  usesStrings: boolean
  usesStatus: boolean
}

/**
 * Generates the koffi bindings for `declarations` (from `parseHeader`).
 *
 * @throws UnsupportedDeclarationError for the first declaration outside the
 *   conventions above, naming it; never emits a binding it cannot type
 */
export function generateBindings(declarations: CDeclaration[], options: GenerateOptions): GeneratedBindings {
  const ctx: Context = {
    structs: new Map(),
    enums: new Map(),
    opaques: new Map(),
    aliases: new Map(),
    usesStrings: false,
    usesStatus: false,
  }
  for (const d of declarations) {
    if (d.kind === 'struct') ctx.structs.set(d.name, d)
    if (d.kind === 'enum') ctx.enums.set(d.name, d)
    if (d.kind === 'opaque') ctx.opaques.set(d.name, d)
    if (d.kind === 'alias') ctx.aliases.set(d.name, d)
  }
  const functions = declarations.filter((d): d is Decl<'function'> => d.kind === 'function')
  const byName = new Map(functions.map((f) => [f.name, f]))

  const js: string[] = []
  const dts: string[] = []
  const types: string[] = []

  for (const alias of ctx.aliases.values()) {
    if (!(alias.type.pointers === 0 && alias.type.base in SCALARS)) {
      throw new UnsupportedDeclarationError(alias, 'only aliases of plain number types are supported')
    }
  }
  for (const e of ctx.enums.values()) {
    if (e.name === STATUS_TYPE) continue
    const prefix = `${screamingSnake(e.name)}_`
    const members = e.variants.map((v) => ({ js: pascalCase(v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name), ...v }))
    js.push(`export const ${e.name} = Object.freeze({ ${members.map((m) => `${m.js}: ${m.value}`).join(', ')} })`)
    dts.push(
      `${jsDoc(e.doc)}export declare const ${e.name}: {\n${members.map((m) => `${jsDoc(m.doc, '  ')}  readonly ${m.js}: ${m.value}`).join('\n')}\n}`,
      `export type ${e.name} = ${members.map((m) => m.value).join(' | ')}`,
    )
  }
  for (const s of ctx.structs.values()) {
    const fields = s.fields.map((f) => {
      const scalar = f.type.pointers === 0 ? scalarOf(f.type, ctx) : undefined
      const nested = f.type.pointers === 0 && ctx.structs.has(f.type.base)
      const isEnum = f.type.pointers === 0 && ctx.enums.has(f.type.base)
      if (!scalar && !nested && !isEnum) {
        throw new UnsupportedDeclarationError(s, `field \`${f.name}: ${f.type.text}\` is not a number, bool, enum or struct (pointers in structs cannot be freed safely; pass strings as parameters or JSON)`)
      }
      return { name: f.name, koffi: nested ? `T_${f.type.base}` : isEnum ? "'int'" : `'${scalarBase(f.type, ctx)}'`, ts: scalar?.ts ?? f.type.base, doc: f.doc }
    })
    types.push(`const T_${s.name} = koffi.struct({ ${fields.map((f) => `${f.name}: ${f.koffi}`).join(', ')} })`)
    dts.push(`${jsDoc(s.doc)}export interface ${s.name} {\n${fields.map((f) => `${jsDoc(f.doc, '  ')}  ${f.name}: ${f.ts}`).join('\n')}\n}`)
  }

  const used = new Set<string>([LAST_ERROR, STRING_FREE])
  for (const opaque of ctx.opaques.values()) {
    const cls = generateClass(opaque, functions, ctx, used)
    types.push(`const P_${opaque.name} = koffi.pointer(koffi.opaque())`)
    js.push(cls.js)
    dts.push(cls.dts)
  }

  for (const f of functions) {
    if (used.has(f.name)) continue
    for (const p of f.params) {
      if (p.type.pointers > 0 && ctx.opaques.has(p.type.base)) {
        throw new UnsupportedDeclarationError(f, `it takes a \`${p.type.text}\` but is not named like a method of ${p.type.base} (\`${snake(p.type.base)}_<method>\`, with the ${p.type.base} first)`)
      }
    }
    if (f.returns.pointers > 0 && ctx.opaques.has(f.returns.base)) {
      throw new UnsupportedDeclarationError(f, `only \`${snake(f.returns.base)}_new\` may return a \`${f.returns.text}\``)
    }
    const fn = generateFunction(f, ctx, camelCase(f.name))
    js.push([...fn.declarations, fn.code].join('\n'))
    dts.push(fn.dts)
  }

  const runtime: string[] = []
  if (ctx.usesStatus || ctx.usesStrings) {
    const lastError = byName.get(LAST_ERROR)
    if (!lastError || lastError.params.length !== 0 || lastError.returns.text !== 'const char *') {
      throw new RustyError(`The C header of ${options.crateName} has fallible functions but no \`const char *${LAST_ERROR}(void)\`; the koffi template's lib.rs defines it.`)
    }
    runtime.push(
      `const _lastError = lib.func('${LAST_ERROR}', 'const char *', [])`,
      '',
      '/** The Error for a failed call: the message Rust left in rusty_last_error(). */',
      'function failure(status) {',
      "  const error = new Error(_lastError() ?? 'the Rust call failed without a message')",
      "  if (status === 2) error.code = 'RUST_PANIC'",
      '  return error',
      '}',
    )
  }
  if (ctx.usesStrings) {
    const free = byName.get(STRING_FREE)
    if (!free || free.params.length !== 1 || free.params[0]!.type.text !== 'char *') {
      throw new RustyError(`The C header of ${options.crateName} returns strings but has no \`void ${STRING_FREE}(char *)\`; the koffi template's lib.rs defines it.`)
    }
    runtime.push(
      `const _stringFree = lib.func('${STRING_FREE}', 'void', ['void *'])`,
      '// A string Rust allocated: koffi copies it into a JS string, then hands the',
      '// pointer to rusty_string_free, exactly once. (koffi.decode + an explicit free',
      '// looked faster but leaks about 17 bytes a call in koffi 3.3.)',
      "const RustString = koffi.disposable('char *', (ptr) => _stringFree(ptr))",
      '',
      '/** The string a call returned; NULL means it failed, with the reason in rusty_last_error(). */',
      'function takeString(text) {',
      '  if (text === null) throw failure(1)',
      '  return text',
      '}',
    )
  }
  if (ctx.usesStatus) {
    runtime.push(
      '',
      '/** A 64-bit integer as koffi returns one: a number while it is exact, else a BigInt. */',
      'function wide(value) {',
      '  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value',
      '}',
    )
  }

  const banner = `// Generated by rusty from the C header of the crate ${options.crateName}.\n// Do not edit: \`rusty develop\` rewrites it from the Rust code on every build.`
  const moduleJs = [
    banner,
    "import koffi from 'koffi'",
    "import { findLibrary } from './platform.js'",
    '',
    '// A local build (rusty develop) first, else the platform package.',
    `const lib = koffi.load(findLibrary({ baseUrl: import.meta.url, localFile: ${JSON.stringify(options.libraryFile)}, packageName: ${JSON.stringify(options.packageName)} }))`,
    ...types,
    ...runtime,
    '',
    js.join('\n\n'),
    '',
  ].join('\n')
  const moduleDts = [banner, '', dts.join('\n\n'), ''].join('\n')
  return { js: moduleJs, dts: moduleDts }
}

/** A generated function: module-level declarations, the exported (or method) code, its typing. */
interface GeneratedFunction {
  /** Module-level lines: the raw koffi function and any scratch array. */
  declarations: string[]
  /** The `export ...` statement, or the method's code (indented for a class body). */
  code: string
  dts: string
}

function generateFunction(f: Decl<'function'>, ctx: Context, jsName: string, self?: string): GeneratedFunction {
  const result = planResult(f, ctx)
  const params = planParams(f, ctx, result, self ? 1 : 0)
  const raw = `_${f.name}`
  const koffiParams = [...(self ? [`P_${self}`] : []), ...params.flatMap((p) => p.koffi)]
  const declarations = [`const ${raw} = lib.func(${JSON.stringify(f.name)}, ${result.koffi}, [${koffiParams.join(', ')}])`]
  if (result.out) declarations.push(`const ${result.out.array} = new ${result.out.type}(1)`)
  const jsParams = params.filter((p) => p.js !== '')
  const args = [...(self ? ['this.#live()'] : []), ...params.flatMap((p) => p.args)]
  const checks = params.flatMap((p) => p.checks)
  const signature = `(${jsParams.map((p) => `${p.js}: ${p.ts}`).join(', ')}): ${result.ts}`
  const docs = jsDoc(withParamDocs(f.doc, jsParams))
  if (!self && checks.length === 0 && result.mode === 'plain' && params.every((p) => p.args.length === 1 && p.args[0] === p.js)) {
    // Nothing to convert: export koffi's own function, at no extra cost.
    return { declarations, code: `export const ${jsName} = ${raw}`, dts: `${docs}export declare function ${jsName}${signature}` }
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
  }
}

function resultStatements(call: string, result: ResultPlan): string[] {
  switch (result.mode) {
    case 'plain':
      return [`return ${call}`]
    case 'borrowed-string':
      return [`return ${call}`]
    case 'string':
      return [`return takeString(${call})`]
    case 'status': {
      const lines = [`const status = ${call}`, 'if (status !== 0) throw failure(status)']
      if (result.out) lines.push(`return ${result.out.wide ? 'wide(' : ''}${result.out.array}[0]${result.out.wide ? ')' : ''}`)
      return lines
    }
  }
}

function planResult(f: Decl<'function'>, ctx: Context): ResultPlan {
  const t = f.returns
  if (t.pointers === 0 && t.base === 'void') return { koffi: "'void'", ts: 'void', mode: 'plain' }
  if (t.pointers === 0 && t.base === STATUS_TYPE && ctx.enums.has(STATUS_TYPE)) {
    ctx.usesStatus = true
    const last = f.params.at(-1)
    if (last && /^out(_|$)/.test(last.name)) {
      if (last.type.pointers !== 1 || last.type.isConst) {
        throw new UnsupportedDeclarationError(f, `its out parameter \`${last.name}\` must be a \`T *\``)
      }
      const scalar = scalarOf({ ...last.type, pointers: 0 }, ctx)
      const array = scalar?.array ?? (scalarBase({ ...last.type, pointers: 0 }, ctx) === 'bool' ? 'Uint8Array' : undefined)
      if (!scalar || !array) {
        throw new UnsupportedDeclarationError(f, `its out parameter \`${last.name}: ${last.type.text}\` must point to a number or bool`)
      }
      return { koffi: "'int'", ts: scalar.ts, mode: 'status', out: { array: `_out_${f.name}`, type: array, wide: scalar.wide === true, ts: scalar.ts } }
    }
    return { koffi: "'int'", ts: 'void', mode: 'status' }
  }
  if (t.pointers === 0) {
    const scalar = scalarOf(t, ctx)
    if (scalar) return { koffi: `'${scalarBase(t, ctx)}'`, ts: scalar.ts, mode: 'plain' }
    if (ctx.structs.has(t.base)) return { koffi: `T_${t.base}`, ts: t.base, mode: 'plain' }
    if (ctx.enums.has(t.base)) return { koffi: "'int'", ts: t.base, mode: 'plain' }
  }
  if (t.pointers === 1 && t.base === 'char') {
    if (t.isConst) return { koffi: "'const char *'", ts: 'string | null', mode: 'borrowed-string' }
    ctx.usesStrings = true
    return { koffi: 'RustString', ts: 'string', mode: 'string' }
  }
  throw new UnsupportedDeclarationError(f, `its result type \`${t.text}\` is not supported`)
}

function planParams(f: Decl<'function'>, ctx: Context, result: ResultPlan, skip: number): ParamPlan[] {
  const params = f.params.slice(skip)
  const plans: ParamPlan[] = []
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    const js = camelCase(p.name)
    const t = p.type
    if (result.out && i === params.length - 1) {
      plans.push({ js: '', ts: '', koffi: [`'${scalarBase({ ...t, pointers: 0 }, ctx)} *'`], args: [result.out.array], checks: [] })
      continue
    }
    if (t.pointers === 0) {
      const scalar = scalarOf(t, ctx)
      if (scalar) {
        plans.push({ js, ts: scalar.ts, koffi: [`'${scalarBase(t, ctx)}'`], args: [js], checks: [], doc: p.doc })
        continue
      }
      if (ctx.structs.has(t.base)) {
        plans.push({ js, ts: t.base, koffi: [`T_${t.base}`], args: [js], checks: [], doc: p.doc })
        continue
      }
      if (ctx.enums.has(t.base)) {
        plans.push({ js, ts: t.base, koffi: ["'int'"], args: [js], checks: [], doc: p.doc })
        continue
      }
    }
    if (t.pointers === 1 && t.base === 'char') {
      if (!t.isConst) throw new UnsupportedDeclarationError(f, `parameter \`${p.name}: char *\` is ambiguous; take \`*const c_char\` for a string`)
      plans.push({
        js,
        ts: 'string',
        koffi: ["'const char *'"],
        args: [js],
        // koffi would read a number as an address and crash the process.
        checks: [`if (typeof ${js} !== 'string') throw new TypeError(${JSON.stringify(`${js} must be a string`)})`],
        doc: p.doc,
      })
      continue
    }
    const next = params[i + 1]
    const element = t.pointers === 1 ? scalarOf({ ...t, pointers: 0 }, ctx) : undefined
    if (element?.array && next && next.type.pointers === 0 && ['size_t', 'uintptr_t'].includes(scalarBase(next.type, ctx) ?? '') && [`${p.name}_len`, 'len', 'length', `${p.name}_length`].includes(next.name)) {
      plans.push({
        js,
        ts: element.array,
        koffi: [`'${scalarBase({ ...t, pointers: 0 }, ctx)} *'`, `'${scalarBase(next.type, ctx)}'`],
        args: [js, `${js}.length`],
        checks: [`if (!(${js} instanceof ${element.array})) throw new TypeError(${JSON.stringify(`${js} must be a ${element.array}`)})`],
        doc: p.doc,
      })
      i++
      continue
    }
    throw new UnsupportedDeclarationError(f, `parameter \`${p.name}: ${t.text}\` is not supported`)
  }
  return plans
}

function generateClass(opaque: Decl<'opaque'>, functions: Decl<'function'>[], ctx: Context, used: Set<string>): { js: string; dts: string } {
  const prefix = `${snake(opaque.name)}_`
  const isSelf = (f: Decl<'function'>) => f.params[0]?.type.pointers === 1 && f.params[0].type.base === opaque.name
  const members = functions.filter((f) => f.name.startsWith(prefix))
  const ctor = members.find((f) => f.name === `${prefix}new`)
  const free = members.find((f) => f.name === `${prefix}free`)
  if (!ctor || !free) {
    throw new UnsupportedDeclarationError(opaque, `an opaque type needs \`${prefix}new\` (returning \`${opaque.name} *\`) and \`${prefix}free(${opaque.name} *)\` to become a class`)
  }
  if (!(ctor.returns.pointers === 1 && ctor.returns.base === opaque.name)) {
    throw new UnsupportedDeclarationError(ctor, `it must return \`${opaque.name} *\``)
  }
  if (!(free.params.length === 1 && isSelf(free) && free.returns.base === 'void')) {
    throw new UnsupportedDeclarationError(free, `it must be \`void ${prefix}free(${opaque.name} *)\``)
  }
  used.add(ctor.name)
  used.add(free.name)

  const ctorParams = planParams(ctor, ctx, { koffi: '', ts: '', mode: 'plain' }, 0)
  const js: string[] = [
    `const _${ctor.name} = lib.func(${JSON.stringify(ctor.name)}, P_${opaque.name}, [${ctorParams.flatMap((p) => p.koffi).join(', ')}])`,
    `const _${free.name} = lib.func(${JSON.stringify(free.name)}, 'void', [P_${opaque.name}])`,
    `// Frees what a forgotten ${opaque.name} still holds; dispose() is the way to free it on time.`,
    `const _registry_${opaque.name} = new FinalizationRegistry((ptr) => _${free.name}(ptr))`,
  ]
  const methodsJs: string[] = []
  const methodsDts: string[] = []
  const accessors = new Map<string, { get?: Decl<'function'>; set?: Decl<'function'> }>()
  for (const f of members) {
    if (f === ctor || f === free) continue
    if (!isSelf(f)) {
      throw new UnsupportedDeclarationError(f, `a function named \`${prefix}…\` must take the \`${opaque.name} *\` first`)
    }
    used.add(f.name)
    const rest = f.name.slice(prefix.length)
    const accessor = /^(get|set)_(.+)$/.exec(rest)
    if (accessor) {
      const entry = accessors.get(accessor[2]!) ?? {}
      entry[accessor[1] as 'get' | 'set'] = f
      accessors.set(accessor[2]!, entry)
      continue
    }
    const method = generateFunction(f, ctx, camelCase(rest), opaque.name)
    js.push(...method.declarations)
    methodsJs.push(method.code)
    methodsDts.push(method.dts)
  }
  for (const [name, { get, set }] of accessors) {
    const prop = camelCase(name)
    let getterTs: string | undefined
    if (get) {
      if (get.params.length !== 1) throw new UnsupportedDeclarationError(get, 'a getter takes only the object')
      const plan = planResult(get, ctx)
      if (plan.mode !== 'plain') throw new UnsupportedDeclarationError(get, 'a getter must return a number, bool, enum or struct')
      js.push(`const _${get.name} = lib.func(${JSON.stringify(get.name)}, ${plan.koffi}, [P_${opaque.name}])`)
      methodsJs.push(`  get ${prop}() {\n    return _${get.name}(this.#live())\n  }`)
      getterTs = plan.ts
      methodsDts.push(`${jsDoc(get.doc, '  ')}  get ${prop}(): ${plan.ts}`)
    }
    if (set) {
      if (set.params.length !== 2) throw new UnsupportedDeclarationError(set, 'a setter takes the object and one value')
      const method = generateFunction(set, ctx, `set ${prop}`, opaque.name)
      js.push(...method.declarations)
      // A setter's value is never returned, whatever the status plan says.
      methodsJs.push(method.code.replace(/\n    return (.*)\n  }$/, '\n    $1\n  }'))
      const valueTs = planParams(set, ctx, { koffi: '', ts: '', mode: 'plain' }, 1)[0]!.ts
      methodsDts.push(`${jsDoc(set.doc, '  ')}  set ${prop}(value: ${getterTs ?? valueTs})`)
    }
  }

  const ctorArgs = ctorParams.map((p) => p.js)
  const classJs = [
    `${jsDoc(opaque.doc)}export class ${opaque.name} {`,
    '  #ptr',
    `  constructor(${ctorArgs.join(', ')}) {`,
    ...ctorParams.flatMap((p) => p.checks).map((line) => `    ${line}`),
    `    const ptr = _${ctor.name}(${ctorParams.flatMap((p) => p.args).join(', ')})`,
    `    if (ptr === null) throw new Error(${JSON.stringify(`${ctor.name} returned NULL`)})`,
    '    this.#ptr = ptr',
    `    _registry_${opaque.name}.register(this, ptr, this)`,
    '  }',
    '',
    '  /** The live pointer; using a disposed object throws instead of crashing. */',
    '  #live() {',
    `    if (this.#ptr === null) throw new Error(${JSON.stringify(`This ${opaque.name} was disposed and cannot be used any more`)})`,
    '    return this.#ptr',
    '  }',
    '',
    '  /** Frees the Rust object now. Safe to call twice; any later use throws. */',
    '  dispose() {',
    '    if (this.#ptr === null) return',
    `    _registry_${opaque.name}.unregister(this)`,
    `    _${free.name}(this.#ptr)`,
    '    this.#ptr = null',
    '  }',
    '',
    '  /** `using x = new ' + opaque.name + '(...)` disposes it at the end of the block. */',
    '  [Symbol.dispose]() {',
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
    `${jsDoc(opaque.doc)}export declare class ${opaque.name} implements Disposable {`,
    `${jsDoc(withParamDocs(ctor.doc, ctorParams), '  ')}  constructor(${ctorSignature})`,
    '  /** Frees the Rust object now. Safe to call twice; any later use throws. */',
    '  dispose(): void',
    '  [Symbol.dispose](): void',
    '  /** Whether dispose() has run. */',
    '  readonly disposed: boolean',
    ...methodsDts,
    '}',
  ].join('\n')
  return { js: [...js, classJs.join('\n')].join('\n'), dts }
}

function scalarBase(t: CType, ctx: Context): string | undefined {
  if (t.pointers !== 0) return undefined
  if (t.base in SCALARS) return t.base
  const alias = ctx.aliases.get(t.base)
  return alias && alias.type.base in SCALARS ? alias.type.base : undefined
}

function scalarOf(t: CType, ctx: Context): Numeric | undefined {
  const base = scalarBase(t, ctx)
  return base ? SCALARS[base] : undefined
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

function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

function pascalCase(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

function screamingSnake(name: string): string {
  return snake(name).toUpperCase()
}
