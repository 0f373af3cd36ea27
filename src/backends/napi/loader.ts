/**
 * rusty's additions to napi-rs's platform loader (`native/index.js`), made
 * before it re-exports the addon:
 * - `tagPanics` from `templates/runtime/panic-codes.js` (copied to
 *   `native/panic-codes.js`) gives an Error that comes from a Rust panic
 *   `code: 'RUST_PANIC'` (with the crate's `panics.rs`, see the template);
 * - `guardClasses` from `templates/runtime/classes.js` (copied to
 *   `native/classes.js`) makes calling a class without `new` throw a
 *   TypeError and `console.log` show its `toString`.
 */

/** The runtime file that tags panics, in `templates/runtime/` and `native/`. */
export const PANICS_RUNTIME = 'panic-codes.js'
/** The runtime file that guards classes, in `templates/runtime/` and `native/`. */
export const CLASSES_RUNTIME = 'classes.js'

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
 * first, and the `tagPanics(...)` / `guardClasses(...)` calls just before the
 * loader's `const { ... } = nativeBinding` line that re-exports the addon.
 *
 * @param js the text of napi-rs's ESM `index.js`
 * @param classes the class names (see {@link declaredClasses})
 * @returns the new loader, or undefined when it has no
 *   `const { ... } = nativeBinding` line (a napi-rs whose loader rusty does
 *   not know; the caller keeps it as it is)
 */
export function patchLoader(js: string, classes: string[]): PatchedLoader | undefined {
  const destructure = /^const \{[^}]*\} = nativeBinding$/m.exec(js)
  if (!destructure) return undefined
  const names = JSON.stringify(classes)
  const imports = [`import { tagPanics } from './${PANICS_RUNTIME}'`]
  const calls = [
    `// Added by rusty: an Error from a Rust panic gets code 'RUST_PANIC' (native/${PANICS_RUNTIME}).`,
    `const __rustyTagPanic = tagPanics(nativeBinding, ${names})`,
  ]
  const runtime = [PANICS_RUNTIME]
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
