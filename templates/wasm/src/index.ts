/**
 * The package's public API. `#native` is the wasm-bindgen binding that
 * `rusty develop` generates in native/; package.json "imports" points it at
 * the Node entry (which loads the .wasm synchronously) or, for browsers and
 * bundlers, at the browser entry (which fetches it). Add TypeScript here.
 *
 * This file names no Rust item, so it keeps compiling whatever lib.rs
 * exports. To build on a Rust export, import it by name, e.g.
 * `import { Counter } from '#native'`.
 */
export * from '#native'

/** A point in the plane. */
export interface XY {
  x: number
  y: number
}

/** Distance between two points: plain TypeScript next to the Rust functions. */
export function distance(a: XY, b: XY): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}
