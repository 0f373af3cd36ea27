/**
 * rusty's addition to napi-rs's platform loader (`native/index.js`): the
 * classes the crate exports go through `guardClasses` from
 * `templates/runtime/classes.js` (copied to `native/classes.js`), so calling
 * one without `new` throws a TypeError and `console.log` shows its
 * `toString`.
 */

/** The file name of the runtime helper in `native/`. */
export const CLASSES_RUNTIME = 'classes.js'

/**
 * The classes napi-rs's typings declare (`export declare class X`), in order.
 *
 * @param dts the text of napi-rs's `index.d.ts`
 */
export function declaredClasses(dts: string): string[] {
  return [...dts.matchAll(/^export declare class ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!)
}

/**
 * napi-rs's ESM loader with the class guard added: an import of
 * `./classes.js` first, and a `guardClasses(nativeBinding, [...])` call just
 * before the loader's `const { ... } = nativeBinding` line that re-exports
 * the addon. The loader is returned unchanged when there is no class.
 *
 * @param js the text of napi-rs's ESM `index.js`
 * @param classes the class names (see {@link declaredClasses})
 * @returns the new text, or undefined when the loader has no
 *   `const { ... } = nativeBinding` line (a napi-rs whose loader rusty does
 *   not know; the caller keeps it as it is)
 */
export function guardLoader(js: string, classes: string[]): string | undefined {
  if (classes.length === 0) return js
  const destructure = /^const \{[^}]*\} = nativeBinding$/m.exec(js)
  if (!destructure) return undefined
  const call = `// Added by rusty: classes throw a TypeError without \`new\` and print their toString() (native/${CLASSES_RUNTIME}).\nguardClasses(nativeBinding, ${JSON.stringify(classes)})\n`
  const withCall = js.slice(0, destructure.index) + call + js.slice(destructure.index)
  return `import { guardClasses } from './${CLASSES_RUNTIME}'\n${withCall}`
}
