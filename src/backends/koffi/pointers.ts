// Pointers without a length beside them: to one value (`*const c_int`,
// what ctypes.byref passes) and to a fixed-size array (`&[u8; 81]`).
import type { CField } from './header.js'
import { rustInt, scalarOf, type Decl, type Numeric } from './c-types.js'
import { ident } from './js-names.js'
import { G, intArgument, type Context, type ParamPlan } from './plan-shapes.js'
import { refuse } from './unsupported.js'

/**
 * A pointer to one value, without a length (what Python's `ctypes.byref`
 * passes): `const T *` takes one number, copied in for the call; `T *` takes
 * a one-element typed array (or longer: Rust sees the first element), which
 * Rust's write changes in place.
 *
 * @throws Refusal for `T *` of a type whose size varies (no typed array fits)
 */
export function onePointee(f: Decl<'function'>, p: CField, element: Numeric, js: string, ctx: Context): ParamPlan {
  const t = p.type
  if (t.isConst) {
    if (element.integer) ctx.ranges.add(element.koffi)
    return {
      js,
      ts: element.ts,
      koffi: [`'${element.koffi} *'`],
      args: [`[${element.integer ? intArgument(js, element, t.base) : js}]`],
      checks: [],
      doc: p.doc,
    }
  }
  // A bool is one byte in Rust and in koffi: a Uint8Array holds it.
  const array = element.array ?? (element.koffi === 'bool' ? 'Uint8Array' : undefined)
  if (!array) {
    // No typed array fits a type whose size varies (`size_t`, `long`): a one-element array, which koffi copies in and back.
    if (element.integer) ctx.ranges.add(element.koffi)
    const value = element.integer ? `$int(${js}[0], $R_${ident(element.koffi)}, ${JSON.stringify(`${js}[0]`)}, ${JSON.stringify(t.base)})` : `${js}[0]`
    return {
      js,
      ts: `[${element.ts}]`,
      koffi: [`$koffi.inout($koffi.pointer('${element.koffi}'))`],
      args: [js],
      checks: [`if (!$Array.isArray(${js}) || ${js}.length !== 1) throw new $TypeError(${JSON.stringify(`${js} must be an array of one number (${t.base})`)})`, value],
      doc: [p.doc, `Rust reads and may change \`${js}[0]\`.`].filter(Boolean).join(' '),
    }
  }
  ctx.arrays.add(array)
  return {
    js,
    ts: `${G}${array}`,
    koffi: [`'${element.koffi === 'bool' ? 'uint8_t' : element.koffi} *'`],
    args: [js],
    checks: [
      `if (!(${js} instanceof $${array}) || ${js}.length < 1) throw new $TypeError(${JSON.stringify(`${js} must be a ${array} of at least one element`)})`,
    ],
    doc: [p.doc, `Rust reads and may change \`${js}[0]\` (a longer array passes its other elements too).`].filter(Boolean).join(' '),
  }
}

/**
 * A pointer to a fixed-size array, `const uint8_t (*cells)[81]` (Rust's
 * `&[u8; 81]`): a typed array of exactly that length, shared with Rust.
 *
 * @throws Refusal for an array passed by value (C passes a pointer; Rust expects the array) or elements without a typed array
 */
export function arrayParam(f: Decl<'function'>, p: CField, jsName: (name: string) => string, ctx: Context): ParamPlan {
  const t = p.type
  const n = p.array!
  if (t.pointers === 0) {
    refuse(f, `parameter \`${p.name}\` is an array passed by value, which C passes as a pointer`, `take a reference to it: \`${p.name}: &[${rustInt(t.base)}; ${n}]\` (or \`&mut\`)`)
  }
  const element = scalarOf({ ...t, pointers: 0 }, ctx)
  if (t.pointers !== 1 || !element?.array) {
    refuse(f, `parameter \`${p.name}\` points to an array of \`${t.base}\`, which no typed array fits`, `use an array of a fixed-size number type (\`&[u8; ${n}]\`, \`&[f64; ${n}]\`, ...)`)
  }
  const js = jsName(p.name)
  ctx.arrays.add(element.array)
  return {
    js,
    ts: `${G}${element.array}`,
    koffi: [`'${element.koffi} *'`],
    args: [js],
    // Rust reads exactly n elements: a shorter array would be read past its end.
    checks: [`if (!(${js} instanceof $${element.array}) || ${js}.length !== ${n}) throw new $TypeError(${JSON.stringify(`${js} must be a ${element.array} of length ${n}`)})`],
    doc: p.doc,
  }
}
