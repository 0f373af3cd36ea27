// How each C signature becomes a JavaScript one: a plan per parameter and
// per result (koffi types, TypeScript types, checks, argument expressions),
// or a refusal saying why not (README, "The koffi backend's conventions").
import type { CType } from './header.js'
import { SCALARS, STATUS_TYPE, STRING_FREE, pointerAndLength, rustInt, rustPointer, scalarOf, type Decl } from './c-types.js'
import { RESERVED, camelCase, ident, snake } from './js-names.js'
import { Refusal, refuse, type UnsupportedItem } from './unsupported.js'
import { arrayParam, onePointee } from './pointers.js'
import { G, intArgument, type Context, type ParamPlan, type ResultPlan } from './plan-shapes.js'

/**
 * How `f`'s result travels back (a status and `out` parameter, an owned
 * string, a plain value); records in `ctx` what the module needs for it.
 *
 * @throws Refusal for a result the conventions do not cover
 */
export function planResult(f: Decl<'function'>, ctx: Context): ResultPlan {
  const t = f.returns
  if (t.pointers === 0 && t.base === 'void') return { koffi: "'void'", ts: 'void', mode: 'plain' }
  if (t.pointers === 0 && t.base === STATUS_TYPE && ctx.enums.has(STATUS_TYPE)) {
    ctx.usesStatus = true
    ctx.fallible.push(f.name)
    const last = f.params.at(-1)
    if (last && last.type.pointers > 0 && /^out(_|$)/.test(last.name)) {
      if (last.type.pointers !== 1 || last.type.isConst) {
        refuse(f, `its out parameter \`${last.name}\` must be a \`T *\``, `declare it \`${last.name}: *mut T\``)
      }
      if (ctx.structs.has(last.type.base) && !ctx.lists.has(last.type.base)) {
        // koffi fills a fresh object from the struct Rust wrote.
        return { koffi: "'int'", ts: last.type.base, mode: 'status', out: { array: '$out', type: '', wide: false, ts: last.type.base, struct: last.type.base } }
      }
      const scalar = scalarOf({ ...last.type, pointers: 0 }, ctx)
      const array = scalar?.array ?? (scalar?.koffi === 'bool' ? 'Uint8Array' : undefined)
      if (!scalar || !array) {
        refuse(f, `its out parameter \`${last.name}: ${last.type.text}\` must point to a number, bool or struct of a fixed size`, 'use i32, u64, f64, ... (not a C type whose size varies), or a `#[repr(C)]` struct')
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
    if (!ctx.stringFree) {
      refuse(
        f,
        `it returns a \`char *\` (a string Rust allocated) but the crate has no \`${STRING_FREE}\` to give it back`,
        `define \`#[no_mangle] pub extern "C" fn ${STRING_FREE}(text: *mut c_char)\` as the koffi template's lib.rs does, or return a \`*const c_char\` Rust keeps alive`,
      )
    }
    ctx.usesStrings = true
    ctx.fallible.push(f.name)
    return { koffi: '$RustString', ts: 'string', mode: 'string' }
  }
  if (t.pointers === 1 && ctx.opaques.has(t.base)) {
    if (!ctx.classes.has(t.base)) {
      refuse(f, `it returns a \`${t.text}\`, and ${t.base} has no \`${snake(t.base)}_free\` that would free it`, `define \`#[no_mangle] pub extern "C" fn ${snake(t.base)}_free(p: *mut ${t.base})\``)
    }
    if (t.isConst) {
      refuse(f, `it returns a \`${t.text}\`, which JavaScript cannot own (a borrowed object)`, `return an owned \`*mut ${t.base}\` (freed by \`${snake(t.base)}_free\`), or a number or struct`)
    }
    ctx.usesObjects = true
    return { koffi: `$P_${t.base}`, ts: t.base, mode: 'object' }
  }
  return refuse(
    f,
    `its result type \`${t.text}\` is not supported`,
    t.pointers > 0
      ? 'return a number, bool, enum, struct, string, or an owned opaque object (`*mut T` with a `<t>_free`)'
      : `return a number, bool, enum or \`#[repr(C)]\` struct${ctx.unbound.has(t.base) ? ` (\`${t.base}\` has no binding: see it in this list)` : ''}`,
  )
}

/**
 * How each parameter of `f` after the first `skip` (a method's object)
 * travels to C; a pointer and the integer after it become one typed array.
 *
 * @throws Refusal for a parameter the conventions do not cover
 */
export function planParams(f: Decl<'function'>, ctx: Context, result: ResultPlan, skip: number): ParamPlan[] {
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
  const problems: UnsupportedItem[] = []
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!
    const t = p.type
    // Each parameter is planned on its own, so that one run reports every bad one.
    try {
      if (result.out && i === params.length - 1) {
        const koffi = result.out.struct ? `$koffi.out($koffi.pointer($T_${result.out.struct}))` : `'${scalarOf({ ...t, pointers: 0 }, ctx)!.koffi} *'`
        plans.push({ js: '', ts: '', koffi: [koffi], args: [result.out.array], checks: [] })
        continue
      }
      if (p.array !== undefined) {
        plans.push(arrayParam(f, p, jsName, ctx))
        continue
      }
      if (t.pointers === 1 && ctx.opaques.has(t.base)) {
        if (!ctx.classes.has(t.base)) {
          refuse(f, `parameter \`${p.name}: ${t.text}\` is a ${t.base}, which has no class (no \`${snake(t.base)}_free\`)`, `define \`#[no_mangle] pub extern "C" fn ${snake(t.base)}_free(p: *mut ${t.base})\` (and \`${snake(t.base)}_new\` or a function returning \`*mut ${t.base}\`)`)
        }
        // The other object's live pointer; a wrong object or a disposed one throws.
        const js = jsName(p.name)
        plans.push({ js, ts: t.base, koffi: [`$P_${t.base}`], args: [`$ptr_${t.base}(${js}, ${JSON.stringify(js)})`], checks: [], doc: p.doc })
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
        plans.push(onePointee(f, p, element, jsName(p.name), ctx))
        continue
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
      if (ctx.unbound.has(t.base)) refuse(f, `parameter \`${p.name}: ${t.text}\` uses \`${t.base}\`, which has no binding`, `make \`${t.base}\` bind (see it in this list)`)
      if (t.pointers === 2 && t.base === 'char' && !t.isConst) {
      refuse(f, `parameter \`${p.name}: ${t.text}\` hands a string out through a pointer`, 'return the string instead (`-> *mut c_char`, freed by `rusty_string_free`), with `RustyStatus` and `rusty_last_error` for failures')
    }
    if (t.pointers === 2) {
      refuse(f, `parameter \`${p.name}: ${t.text}\` is a pointer to pointers (a list of buffers or strings)`, 'pass one buffer with the lengths of its parts (two typed arrays), or one string (e.g. JSON or newline-separated)')
    }
    if (t.base === 'void') {
        refuse(f, `parameter \`${p.name}: ${t.text}\` is untyped memory`, `take a typed pointer and its length (\`${p.name}: *const u8, ${p.name}_len: usize\`), a \`#[repr(C)]\` struct, or an opaque object of a class`)
      }
      refuse(f, `parameter \`${p.name}: ${t.text}\` is not supported`, 'take a number, bool, enum, string (`*const c_char`), `#[repr(C)]` struct, a typed array (pointer and length), or an object of a class')
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      problems.push(...error.items)
    }
  }
  if (problems.length > 0) throw new Refusal(problems)
  return plans
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
