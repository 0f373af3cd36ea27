import { scanRustSources } from '../../project/rust-sources.js'

/** A method wasm-bindgen would export in snake_case. */
export interface SnakeCaseMethod {
  /** The file, relative to the crate folder, `/`-separated. */
  file: string
  /** 1-based line of the `fn`. */
  line: number
  /** The JavaScript name wasm-bindgen gives it (`step_by`). */
  name: string
  /** The camelCase name rusty's rule wants (`stepBy`). */
  camel: string
}

/**
 * The methods of `#[wasm_bindgen] impl` blocks in `source` that JavaScript
 * would see in snake_case: wasm-bindgen names a method (and a getter's or
 * setter's property, without the setter's `set_`) after the Rust function
 * unless `js_name` (or `getter = x` / `setter = x`) says otherwise. Top-level
 * functions are not listed: rusty's entry adds their camelCase name itself.
 *
 * A line-based reading (attributes, then `pub fn`, inside an impl block whose
 * attribute is `#[wasm_bindgen...]`), good enough for a warning.
 *
 * @param source the text of one `.rs` file
 */
export function snakeCaseMethods(source: string): { line: number; name: string; camel: string }[] {
  const found: { line: number; name: string; camel: string }[] = []
  const lines = source.split('\n')
  let exported = false
  let depth = 0
  let implDepth = -1
  let attrs: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (trimmed.startsWith('#[')) attrs.push(trimmed)
    else if (implDepth < 0 && /^impl\b/.test(trimmed)) {
      exported = attrs.some((a) => a.startsWith('#[wasm_bindgen'))
      if (exported) implDepth = depth
    } else if (implDepth >= 0) {
      const fn = /^pub\s+(?:async\s+)?fn\s+([A-Za-z_]\w*)/.exec(trimmed)
      if (fn) {
        const options = attrs.filter((a) => a.startsWith('#[wasm_bindgen')).join(' ')
        if (!/\bconstructor\b|\bjs_name\b|\b(getter|setter)\s*=/.test(options)) {
          const name = /\bsetter\b/.test(options) ? fn[1]!.replace(/^set_/, '') : fn[1]!
          if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) {
            found.push({ line: i + 1, name, camel: name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) })
          }
        }
      }
    }
    if (!trimmed.startsWith('#[') && trimmed !== '' && !trimmed.startsWith('//')) attrs = []
    for (const ch of line.replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
      if (ch === '{') depth++
      else if (ch === '}') {
        depth--
        if (depth === implDepth) implDepth = -1
      }
    }
  }
  return found
}

/**
 * {@link snakeCaseMethods} of every `.rs` file below `<crateDir>/src`.
 *
 * @param crateDir the crate's folder (holding Cargo.toml)
 */
export function findSnakeCaseMethods(crateDir: string): SnakeCaseMethod[] {
  return scanRustSources(crateDir, snakeCaseMethods)
}
