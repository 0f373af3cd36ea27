// What the planners (plan.ts, pointers.ts) and the emitters (functions.ts,
// class.ts, structs.ts, module.ts) share: the shapes of a plan, the context
// planning fills, and the pieces of generated code more than one writes.
import { FAST_CHECKS, type Decl, type Numeric } from './c-types.js'
import { ident } from './js-names.js'

// Marks a global type in the declarations: emitModule (module.ts) writes it
// `globalThis.X` where a Rust item took the name X, else plain `X`.
export const G = '\u0001'

/** How one parameter travels from JavaScript to C. */
export interface ParamPlan {
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
export interface ResultPlan {
  koffi: string
  ts: string
  /**
   * 'plain' returns the raw result; 'string' decodes and frees it; 'status'
   * checks it; 'object' wraps an owned opaque pointer in its class (NULL throws).
   */
  mode: 'plain' | 'string' | 'status' | 'borrowed-string' | 'object'
  /**
   * For 'status' with an `out` parameter: a number is read from a scratch
   * typed array (`array`, of `type`); a struct (`struct`, its name) is an
   * object koffi fills, made per call.
   */
  out?: { array: string; type: string; wide: boolean; ts: string; struct?: string }
}

/** What planning learns about the whole header, and what the module then needs (helpers, ranges, arrays). */
export interface Context {
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
  /** Opaque types that become classes (they have `<type>_free`): their objects can be results and parameters. */
  classes: Set<string>
  /** Whether the crate defines `rusty_last_error` (the message of a failure); without it a failure's message is generic, naming the function. */
  lastError: boolean
  /** Whether the crate defines `rusty_string_free`, which owned strings need. */
  stringFree: boolean
  /** Whether a struct has an array field (checked by ffi.js's checkArray). */
  usesArrays: boolean
  /** Whether some function returns an object or constructs one (a NULL then throws). */
  usesObjects: boolean
  /** The JavaScript names of the functions returning each class's objects other than its constructor, for the message of a class without one. */
  factories: Map<string, string[]>
  /** Structs of a pointer and a length (by name): a typed array as a parameter. */
  lists: Map<string, { pointer: string; length: string; element: Numeric; lengthType: Numeric; lengthC: string }>
}

/**
 * The argument expression passing the integer parameter `js`: an inline
 * check for a number of a type up to 32 bits (a bit operation gives the
 * value back only when it is an integer in range; this keeps a call within
 * a few ns of the raw koffi call), else `$int`, which also takes BigInts and
 * throws the TypeError or RangeError.
 */
export function intArgument(js: string, scalar: Numeric, cType: string): string {
  const full = `$int(${js}, $R_${ident(scalar.koffi)}, ${JSON.stringify(js)}, ${JSON.stringify(cType)})`
  const fast = FAST_CHECKS[scalar.koffi]
  if (!fast) return full
  return `(typeof ${js} === 'number' && ${fast.replaceAll('V', js)} === ${js} ? ${js} : ${full})`
}
