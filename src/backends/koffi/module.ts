// The module around the items: imports, JavaScript's globals under `$`
// names, the library's loading, the koffi types, the shared helpers the
// items use, then the items; and the typings with their banner.
import { RustyError } from '../../errors.js'
import { LAST_ERROR, SCALARS_BY_KOFFI, STRING_FREE, type Decl } from './c-types.js'
import { ident } from './js-names.js'
import { G, type Context } from './plan.js'
import { CONVENTIONS_URL } from './unsupported.js'
import type { GeneratedBindings, GenerateOptions } from './bindings.js'

// Globals the generated code uses, read once under `$` names.
const GLOBALS = ['Error', 'TypeError', 'RangeError', 'Object', 'Number', 'BigInt', 'Set', 'Promise', 'Symbol', 'FinalizationRegistry']

/** The generated items, in module order, as generateBindings collected them. */
export interface ModuleParts {
  /** koffi type declarations (`const $T_Point = $koffi.struct(...)`), dependencies first. */
  types: string[]
  /** The items' JavaScript (constants, enums, classes, functions). */
  js: string[]
  /** The items' declarations for index.d.ts. */
  dts: string[]
  /** Exported JavaScript names (to the Rust item of each). */
  exported: Map<string, string>
}

/**
 * Puts the module and its typings together around `parts`.
 *
 * @param byName the header's functions by C name (for the helper functions the conventions ask for)
 * @throws RustyError when the items need `rusty_last_error` or
 *   `rusty_string_free` and the crate lacks it (or has another signature)
 */
export function emitModule(parts: ModuleParts, ctx: Context, byName: Map<string, Decl<'function'>>, options: GenerateOptions): GeneratedBindings {
  const { types, js, dts, exported } = parts
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
