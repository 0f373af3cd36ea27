/**
 * rusty's additions to napi-rs's platform loader (`native/index.js`), made
 * before it re-exports the addon:
 * - `tagPanics` from `templates/runtime/panic-codes.js` (copied to
 *   `native/panic-codes.js`) gives an Error that comes from a Rust panic
 *   `code: 'RUST_PANIC'` (with the crate's `panics.rs`, see the template);
 * - `guardClasses` from `templates/runtime/classes.js` (copied to
 *   `native/classes.js`) makes calling a class without `new` throw a
 *   TypeError and `console.log` show its `toString`;
 * - `throwIfRefused` from `templates/runtime/load-error.js` (copied with the
 *   ELF reader it uses, `elf.js`) turns napi-rs's "Cannot find native
 *   binding" for a `.node` that exists but that the system refuses (glibc
 *   too old, other C library, other CPU) into an error that says which.
 */

/** The runtime file that tags panics, in `templates/runtime/` and `native/`. */
export const PANICS_RUNTIME = 'panic-codes.js'
/** The runtime file that guards classes, in `templates/runtime/` and `native/`. */
export const CLASSES_RUNTIME = 'classes.js'
/** The runtime files that explain a library the system refuses, in `templates/runtime/` and `native/` (the first imports the second). */
export const LOAD_ERROR_RUNTIME = ['load-error.js', 'elf.js'] as const

/**
 * The classes napi-rs's typings declare (`export declare class X`), in order.
 *
 * @param dts the text of napi-rs's `index.d.ts`
 */
export function declaredClasses(dts: string): string[] {
  return [...dts.matchAll(/^export declare class ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!)
}

/** napi-rs's loader with rusty's additions, and the runtime files it now imports. */
export interface PatchedLoader {
  /** The new text of `index.js`. */
  js: string
  /** File names in `templates/runtime/` that must sit beside it in `native/`. */
  runtime: string[]
}

/**
 * napi-rs's ESM loader with rusty's additions: imports of the runtime files
 * first; the `throwIfRefused(...)` call just before napi-rs's
 * `if (!nativeBinding) {` / `if (loadErrors.length > 0) {` block that throws
 * "Cannot find native binding" (left out when napi-rs's loader has no such
 * block); and the `tagPanics(...)` / `guardClasses(...)` calls just before
 * the loader's `const { ... } = nativeBinding` line that re-exports the addon.
 *
 * @param js the text of napi-rs's ESM `index.js`
 * @param classes the class names (see {@link declaredClasses})
 * @param packageName the package's name, for the load error's message
 * @returns the new loader, or undefined when it has no
 *   `const { ... } = nativeBinding` line (a napi-rs whose loader rusty does
 *   not know; the caller keeps it as it is)
 */
export function patchLoader(js: string, classes: string[], packageName: string): PatchedLoader | undefined {
  let destructure = /^const \{[^}]*\} = nativeBinding$/m.exec(js)
  if (!destructure) return undefined
  const failure = /^if \(!nativeBinding\) \{\n {2}if \(loadErrors\.length > 0\) \{$/m.exec(js)
  let explain: string[] = []
  if (failure && failure.index < destructure.index) {
    const check = [
      `// Added by rusty: a .node that exists but that the system refuses says why (native/${LOAD_ERROR_RUNTIME[0]}).`,
      `if (!nativeBinding) throwIfRefused(loadErrors, ${JSON.stringify(packageName)})`,
      '',
    ].join('\n')
    js = `${js.slice(0, failure.index)}${check}${js.slice(failure.index)}`
    destructure = /^const \{[^}]*\} = nativeBinding$/m.exec(js)!
    explain = [`import { throwIfRefused } from './${LOAD_ERROR_RUNTIME[0]}'`]
  }
  const names = JSON.stringify(classes)
  const imports = [`import { tagPanics } from './${PANICS_RUNTIME}'`, ...explain]
  const calls = [
    `// Added by rusty: an Error from a Rust panic gets code 'RUST_PANIC' (native/${PANICS_RUNTIME}).`,
    `const __rustyTagPanic = tagPanics(nativeBinding, ${names})`,
  ]
  const runtime: string[] = [PANICS_RUNTIME, ...(explain.length > 0 ? LOAD_ERROR_RUNTIME : [])]
  if (classes.length > 0) {
    imports.push(`import { guardClasses } from './${CLASSES_RUNTIME}'`)
    calls.push(
      `// Added by rusty: classes throw a TypeError without \`new\` and print their toString() (native/${CLASSES_RUNTIME}).`,
      `guardClasses(nativeBinding, ${names}, __rustyTagPanic)`,
    )
    runtime.push(CLASSES_RUNTIME)
  }
  const text = `${imports.join('\n')}\n${js.slice(0, destructure.index)}${calls.join('\n')}\n${js.slice(destructure.index)}`
  return { js: text, runtime }
}
