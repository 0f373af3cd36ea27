// The JavaScript class of an opaque Rust type: `<type>_new` is the
// constructor, `<type>_free` runs from dispose(), Symbol.dispose or a
// FinalizationRegistry, `<type>_get_x` / `<type>_set_x` are accessors and
// the other `<type>_*` functions taking the object first are methods.
// Other functions returning a `<Type> *` get an instance of the class, and
// those taking one get its live pointer (through `$object_<Type>` and
// `$ptr_<Type>`, set in the class's static block, which alone can read #ptr).
import type { Decl } from './c-types.js'
import { generateFunction, jsDoc, withParamDocs } from './functions.js'
import { camelCase, snake } from './js-names.js'
import { planParams, planResult } from './plan.js'
import { G, type Context, type ParamPlan } from './plan-shapes.js'
import { Refusal, refuse } from './unsupported.js'

/**
 * The class of `opaque` from its functions (`members`: `_new`, `_free` and
 * those taking the object first); marks the ones it binds in `used`. Members
 * are tried one by one through `attempt`, so each refusal is reported.
 * Without `_new` the class has no public constructor: its objects come from
 * functions returning a `<Type> *`.
 *
 * @throws Refusal when the type lacks a proper `_free`, or `_new` returns another type
 */
export function generateClass(
  opaque: Decl<'opaque'>,
  members: Decl<'function'>[],
  ctx: Context,
  used: Set<string>,
  attempt: (f: () => void) => void,
): { js: string; dts: string } {
  const prefix = `${snake(opaque.name)}_`
  const ctor = members.find((f) => f.name === `${prefix}new`)
  const free = members.find((f) => f.name === `${prefix}free`)!
  if (ctor) used.add(ctor.name)
  used.add(free.name)
  // A refused constructor is reported after the members, so that one run names their problems too.
  let ctorRefusal: Refusal | undefined
  let ctorParams: ParamPlan[] = []
  try {
    if (ctor && !(ctor.returns.pointers === 1 && ctor.returns.base === opaque.name && !ctor.returns.isConst)) {
      refuse(ctor, `it must return \`${opaque.name} *\``, `declare it \`-> *mut ${opaque.name}\``)
    }
    if (ctor) ctorParams = planParams(ctor, ctx, { koffi: '', ts: '', mode: 'plain' }, 0)
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    ctorRefusal = error
  }
  const adopt = `$adopt_${opaque.name}`
  const js: string[] = [
    ...(ctor ? [`const $raw_${ctor.name} = $lib.func(${JSON.stringify(ctor.name)}, $P_${opaque.name}, [${ctorParams.flatMap((p) => p.koffi).join(', ')}])`] : []),
    `const $raw_${free.name} = $lib.func(${JSON.stringify(free.name)}, 'void', [$P_${opaque.name}])`,
    `// Passed to the constructor with a pointer a function returned, which the new object then owns.`,
    `const ${adopt} = $Symbol(${JSON.stringify(`adopt ${opaque.name}`)})`,
    `let $ptr_${opaque.name}, $object_${opaque.name}`,
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
        if (get.params.length !== 1) refuse(get, 'a getter takes only the object', `declare it \`fn ${get.name}(p: *const ${opaque.name}) -> T\`, or rename it (not \`get_\`) to make it a method`)
        const plan = planResult(get, ctx)
        if (plan.mode !== 'plain') refuse(get, 'a getter must return a number, bool, enum or struct', `return one of those, or rename it (not \`get_\`) to make it a method`)
        claimMember(prop, get)
        js.push(`const $raw_${get.name} = $lib.func(${JSON.stringify(get.name)}, ${plan.koffi}, [$P_${opaque.name}])`)
        methodsJs.push(`  get ${prop}() {\n    return $raw_${get.name}(this.#live())\n  }`)
        getterTs = plan.ts
        methodsDts.push(`${jsDoc(get.doc, '  ')}  get ${prop}(): ${plan.ts}`)
      })
    }
    if (set) {
      attempt(() => {
        if (set.params.length !== 2) refuse(set, 'a setter takes the object and one value', `declare it \`fn ${set.name}(p: *mut ${opaque.name}, value: T)\`, or rename it (not \`set_\`) to make it a method`)
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

  if (ctorRefusal) throw ctorRefusal
  ctx.usesObjects = true
  const factories = ctx.factories.get(opaque.name) ?? []
  const ctorArgs = ctorParams.map((p) => p.js)
  const create = ctor
    ? [
        ...ctorParams.flatMap((p) => p.checks),
        `const $ptr = $raw_${ctor.name}(${ctorParams.flatMap((p) => p.args).join(', ')})`,
        // The reason from rusty_last_error() when the crate has it, else a message naming the function.
        `if ($ptr === null) throw $failure(1, ${JSON.stringify(ctor.name)})`,
        'this.#ptr = $ptr',
      ]
    : [
        `throw new $TypeError(${JSON.stringify(`${opaque.name} has no constructor (the crate has no ${prefix}new)${factories.length > 0 ? `: get one from ${factories.join(', ')}` : ''}`)})`,
      ]
  const classJs = [
    `${jsDoc(opaque.doc)}export class ${opaque.name} {`,
    '  #ptr',
    '',
    '  static {',
    `    $ptr_${opaque.name} = (object, name) => {`,
    `      if (!(object instanceof ${opaque.name})) throw new $TypeError(\`\${name} must be a ${opaque.name}\`)`,
    '      return object.#live()',
    '    }',
    `    $object_${opaque.name} = (ptr, name) => {`,
    '      if (ptr === null) throw $failure(1, name)',
    `      return new ${opaque.name}(${adopt}, ptr)`,
    '    }',
    '  }',
    '',
    `  constructor(${ctorArgs.join(', ')}) {`,
    `    if (arguments[0] === ${adopt}) {`,
    '      this.#ptr = arguments[1]',
    '    } else {',
    ...create.map((line) => `      ${line}`),
    '    }',
    `    $registry_${opaque.name}.register(this, this.#ptr, this)`,
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
    ctor ? `${jsDoc(withParamDocs(ctor.doc, ctorParams), '  ')}  constructor(${ctorSignature})` : `  /** No constructor: the crate has no \`${prefix}new\`${factories.length > 0 ? `; get one from ${factories.join(', ')}` : ''}. */\n  private constructor()`,
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
