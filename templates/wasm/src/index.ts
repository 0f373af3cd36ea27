/**
 * The package's public API. `#native` is the wasm-bindgen binding that
 * `rusty develop` generates in native/; package.json "imports" points it at
 * the Node entry (which loads the .wasm synchronously) or, for browsers and
 * bundlers, at the browser entry (which fetches it). Add TypeScript here.
 */
import { Counter } from '#native'

export * from '#native'

/** A Counter that has already been incremented `times` times by `step`. */
export function countTo(times: number, step = 1): Counter {
  const counter = new Counter(0)
  counter.step = step
  for (let i = 0; i < times; i++) counter.increment()
  return counter
}
