/**
 * The package's public API. Everything the Rust crate exports
 * (rust/src/lib.rs) comes from the binding that `rusty develop` generates in
 * native/, with its TypeScript declarations; add TypeScript-only code here.
 */
import { Counter, type Point } from '../native/index.js'

export * from '../native/index.js'

/** Distance between two points: plain TypeScript next to the Rust functions. */
export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

/** A Counter that has already been incremented `times` times by `step`. */
export function countTo(times: number, step = 1): Counter {
  const counter = new Counter(0)
  counter.step = step
  for (let i = 0; i < times; i++) counter.increment()
  return counter
}
