// Child process of memory.mjs (run with --expose-gc): loads the package (or
// `js` for a plain JavaScript greet), makes `batches` x 1,000,000 `greet`
// round trips, and prints the RSS in MiB before, after each batch, and after
// a full GC following each batch, as JSON.
import { pathToFileURL } from 'node:url'

const [variant, batches = '2'] = process.argv.slice(2)
const lib = variant === 'js' ? { greet: (name) => `Hello, ${name}! (from Rust)` } : await import(pathToFileURL(variant).href)
const rss = () => process.memoryUsage.rss() / 2 ** 20

function roundTrips(count) {
  let length = 0
  for (let i = 0; i < count; i++) length += lib.greet(i % 2 ? 'Ferris' : 'Corro').length
  return length
}

roundTrips(1000) // load and optimise everything first
globalThis.gc()
const result = { before: rss(), batches: [] }
for (let b = 0; b < Number(batches); b++) {
  roundTrips(1e6)
  const after = rss()
  globalThis.gc()
  result.batches.push({ after, afterGc: rss() })
}
console.log(JSON.stringify(result))
