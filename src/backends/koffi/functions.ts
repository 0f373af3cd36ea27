// The JavaScript of one function: koffi's declaration, the exported wrapper
// (or a class's method) that checks and converts, its typing, and the
// …Async variant.
import { planParams, planResult } from './plan.js'
import { G, type Context, type ParamPlan, type ResultPlan } from './plan-shapes.js'
import type { Decl } from './c-types.js'
import { Refusal, type UnsupportedItem } from './unsupported.js'

/** A generated function: module-level declarations, the exported (or method) code, its typing. */
export interface GeneratedFunction {
  /** Module-level lines: the raw koffi function and any scratch array. */
  declarations: string[]
  /** The `export ...` statement, or the method's code (indented for a class body). */
  code: string
  dts: string
  /** The `…Async` variant, for exported functions that cannot fail. */
  async?: { code: string; dts: string }
}

/**
 * The code of `f` under the JavaScript name `jsName`: an exported function,
 * or with `self` (an opaque type's name) a method of its class.
 *
 * @throws Refusal when a parameter or the result is not supported
 */
export function generateFunction(f: Decl<'function'>, ctx: Context, jsName: string, self?: string): GeneratedFunction {
  // The result and every parameter are planned even after a refusal, so that one run names all their problems.
  const problems: UnsupportedItem[] = []
  let result: ResultPlan = { koffi: "'void'", ts: 'void', mode: 'plain' }
  try {
    result = planResult(f, ctx)
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    problems.push(...error.items)
  }
  let params: ParamPlan[] = []
  try {
    params = planParams(f, ctx, result, self ? 1 : 0)
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    problems.push(...error.items)
  }
  if (problems.length > 0) throw new Refusal(problems)
  const raw = `$raw_${f.name}`
  const koffiParams = [...(self ? [`$P_${self}`] : []), ...params.flatMap((p) => p.koffi)]
  const declarations = [`const ${raw} = $lib.func(${JSON.stringify(f.name)}, ${result.koffi}, [${koffiParams.join(', ')}])`]
  if (result.out && !result.out.struct) {
    declarations.push(`const ${result.out.array} = new $${result.out.type}(1)`)
    ctx.arrays.add(result.out.type)
  }
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
  const body = [...checks, ...resultStatements(`${raw}(${args.join(', ')})`, result, f.name)]
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
  if (result.mode === 'string' || result.mode === 'status' || result.mode === 'object') return undefined
  // An object could be disposed (its Rust memory freed) while the call still runs on the worker thread.
  if (args.some((arg) => arg.startsWith('$ptr_'))) return undefined
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

/** The statements that make the call and return its result; `name` is the C function's, for a NULL's message. */
function resultStatements(call: string, result: ResultPlan, name: string): string[] {
  switch (result.mode) {
    case 'object':
      return [`return $object_${result.ts}(${call}, ${JSON.stringify(name)})`]
    case 'plain':
      return [`return ${call}`]
    case 'borrowed-string':
      return [`return ${call}`]
    case 'string':
      return [`return $takeString(${call}, ${JSON.stringify(name)})`]
    case 'status': {
      const lines = [`const $status = ${call}`, `if ($status !== 0) throw $failure($status, ${JSON.stringify(name)})`]
      if (result.out?.struct) return ['const $out = {}', ...lines, 'return $out']
      if (result.out) lines.push(`return ${result.out.wide ? '$wide(' : ''}${result.out.array}[0]${result.out.wide ? ')' : ''}`)
      return lines
    }
  }
}

/** `doc` with an `@param` line for each documented parameter. */
export function withParamDocs(doc: string | undefined, params: { js: string; doc?: string }[]): string | undefined {
  const lines = params.filter((p) => p.js && p.doc).map((p) => `@param ${p.js} ${p.doc}`)
  return [doc, ...lines].filter(Boolean).join('\n') || undefined
}

/** `doc` as a JSDoc comment (one line, or a block) ending in a newline; '' without a doc. */
export function jsDoc(doc: string | undefined, indent = ''): string {
  if (!doc) return ''
  const body = doc.replace(/\*\//g, '*\\/').split('\n')
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`
  return `${indent}/**\n${body.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`
}
