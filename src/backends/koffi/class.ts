// The JavaScript class of an opaque Rust type: `<type>_new` is the
// constructor, `<type>_free` runs from dispose(), Symbol.dispose or a
// FinalizationRegistry, `<type>_get_x` / `<type>_set_x` are accessors and
// the other `<type>_*` functions are methods.
import type { Decl } from './c-types.js'
import { generateFunction, jsDoc, withParamDocs } from './functions.js'
import { camelCase, snake } from './js-names.js'
import { G, planParams, planResult, type Context } from './plan.js'
import { refuse } from './unsupported.js'

/**
 * The class of `opaque` from its functions (`members`); marks the ones it
 * binds in `used`. Members are tried one by one through `attempt`, so each
 * refusal is reported.
 *
 * @throws Refusal when the type lacks a proper `_new` / `_free`
 */
export function generateClass(
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
