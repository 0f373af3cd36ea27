/**
 * The package's public API. Everything the Rust crate exports
 * (rust/src/lib.rs) comes from the binding that `rusty develop` generates in
 * native/, with its TypeScript declarations; add TypeScript-only code here.
 *
 * This file names no Rust item, so it keeps compiling whatever lib.rs
 * exports. To build on a Rust export, import it by name, e.g.
 * `import { Counter } from '../native/index.js'`.
 */
export * from '../native/index.js'

/** A point in the plane (structurally the same as the Rust `Point` object). */
export interface XY {
  x: number
  y: number
}

/** Distance between two points: plain TypeScript next to the Rust functions. */
export function distance(a: XY, b: XY): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}
