// The `#[repr(C)]` structs: a koffi struct type each (dependencies first), an
// interface in the typings, and a `$check_<Struct>` for those with integer or
// enum fields; a `{ T *ptr; <int> len; }` struct becomes a typed array
// parameter instead.
import { SCALARS, STATUS_TYPE, pointerAndLength, rustInt, rustPointer, scalarOf, type Decl } from './c-types.js'
import type { CField } from './header.js'
import { jsDoc } from './functions.js'
import { ident, propertyName } from './js-names.js'
import { G, type Context } from './plan-shapes.js'
import { refuse } from './unsupported.js'

/** Where {@link emitStructs} puts its output, and how it reports refusals. */
export interface StructSink {
  /** Claims an exported JavaScript name for an item (refusing clashes and reserved words). */
  claim: (jsName: string, item: { name: string; source: string }) => void
  /** Runs one item's emission; a refusal inside is collected, not thrown. */
  attempt: (f: () => void) => void
  /** koffi type declarations of the module. */
  types: string[]
  /** The typings' declarations. */
  dts: string[]
}

/**
 * Emits every struct of `ctx.structs` in dependency order (koffi needs a
 * field's struct declared first), recording pointer-and-length structs in
 * `ctx.lists` and checkers in `ctx.checkers`. Structs that are refused (or
 * contain a refused one) are removed from `ctx.structs`.
 *
 * @returns the refused structs by name, for the messages of functions that use them
 */
export function emitStructs(ctx: Context, { claim, attempt, types, dts }: StructSink): Map<string, Decl<'struct'>> {
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
          if (nested && badStructs.has(f.type.base)) refuse(s, `its field \`${f.name}\` is the struct \`${f.type.base}\`, which has no binding`, `make \`${f.type.base}\` bind (see it in this list)`)
          if (nested && ctx.lists.has(f.type.base)) {
            refuse(s, `its field \`${f.name}\` is a pointer and a length (\`${f.type.base}\`), which only a parameter can be`, 'pass the list as a parameter (a typed array), or hold a fixed-size array (`[T; N]`) in the struct')
          }
          if (!scalar && !nested && !e) {
            const list = pointerAndLength(s)
            if (list) {
              refuse(
                s,
                `a struct holding a pointer and a length cannot be shared with JavaScript`,
                `pass the two as parameters instead: \`${list.pointer.name}: ${rustPointer(list.pointer.type)}, ${list.length.name}: ${rustInt(list.length.type.base)}\` (a typed array in JavaScript, changed in place)`,
              )
            }
            refuse(
              s,
              `its field \`${f.name}: ${f.type.text}\` is not a number, bool, enum or struct (pointers in structs cannot be freed safely)`,
              f.type.pointers > 0 && f.type.base === 'char' ? 'pass strings as parameters, or return them (or JSON) from a function' : 'hold the data itself (a number, struct or fixed-size array `[T; N]`), or make the struct opaque (no `#[repr(C)]`) with accessor functions',
            )
          }
          const koffi = nested ? `$T_${f.type.base}` : e ? `'${SCALARS[e.repr]?.koffi ?? 'int'}'` : `'${scalar!.koffi}'`
          const ts = scalar?.ts ?? f.type.base
          if (f.array === undefined) return { name: f.name, koffi, ts, doc: f.doc }
          // A fixed-size array: a typed array where one fits (koffi's 'Typed' hint), else an array of numbers, enums or objects.
          const typed = scalar?.array
          return {
            name: f.name,
            koffi: `$koffi.array(${koffi}, ${f.array}, '${typed ? 'Typed' : 'Array'}')`,
            ts: typed ? `${G}${typed}` : `${ts.includes('|') ? `(${ts})` : ts}[]`,
            doc: [f.doc, `${f.array} elements.`].filter(Boolean).join(' '),
          }
        })
        claim(s.name, s)
        // Integer and enum fields are checked as parameters are: koffi would truncate them.
        const fieldChecks = s.fields.flatMap((f) => {
          const at = `\`\${name}.${f.name}\``
          const scalar = scalarOf(f.type, ctx)
          if (f.array !== undefined) {
            // koffi would pad a short array with zeros and drop the rest of a long one: the length is checked, and each element as a field is.
            const typed = scalar?.array
            if (typed) {
              ctx.arrays.add(typed)
              // Inline the common case (the right typed array): a call per field would cost more than the check.
              const field = `value[${JSON.stringify(f.name)}]`
              return [`  if (!(${field} instanceof $${typed}) || ${field}.length !== ${f.array}) $array(${field}, ${f.array}, ${at}, $${typed})`]
            }
            const each = elementCheck(f, ctx)
            return [`  $array(value[${JSON.stringify(f.name)}], ${f.array}, ${at}, undefined${each ? `, (item, at) => ${each}` : ''})`]
          }
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
        if (fieldChecks.some((line) => line.includes('$array('))) ctx.usesArrays = true
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
  return badStructs
}

/** The check of one element of an array field (`item`, named `at`), or undefined when koffi's own type check suffices. */
function elementCheck(f: CField, ctx: Context): string | undefined {
  const scalar = scalarOf(f.type, ctx)
  if (scalar?.integer) {
    ctx.ranges.add(scalar.koffi)
    return `$int(item, $R_${ident(scalar.koffi)}, at, ${JSON.stringify(f.type.base)})`
  }
  const e = ctx.enums.get(f.type.base)
  if (e && e.name !== STATUS_TYPE) {
    ctx.enumChecks.add(e.name)
    return `$enum(item, $values_${e.name}, at, ${JSON.stringify(e.name)})`
  }
  if (ctx.checkers.has(f.type.base)) return `$check_${f.type.base}(item, at)`
  return undefined
}
