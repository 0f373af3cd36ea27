// Child process of calls.mjs: loads one variant of the API (`js` for plain
// JavaScript, or a module path), runs each operation in its own loop (one
// call site per operation, so the JIT sees one callee), and prints
// `{ op: ns per call }` as JSON.
import { pathToFileURL } from 'node:url'

/** Plain JavaScript versions of the template crate's functions. */
const plain = {
  add: (a, b) => (a + b) | 0,
  greet: (name) => `Hello, ${name}! (from Rust)`,
  scaleInPlace(values, factor) {
    let sum = 0
    for (let i = 0; i < values.length; i++) sum += values[i] *= factor
    return sum
  },
  midpoint: (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }),
}

const [variant, scale = '1'] = process.argv.slice(2)
const lib = variant === 'js' ? plain : await import(pathToFileURL(variant).href)
const n = (count) => Math.round(count * Number(scale))

// Each op returns something derived from every call, so no call is dead code.
const values = new Float64Array(1000).fill(1.5)
const p = { x: 1, y: 2 }
const q = { x: 3, y: 5 }
const ops = {
  add: [n(2e6), (k) => { let s = 0; for (let i = 0; i < k; i++) s += lib.add(i & 0xffff, 7); return s }],
  greet: [n(1e6), (k) => { let s = 0; for (let i = 0; i < k; i++) s += lib.greet('Ferris').length; return s }],
  // factor -1 keeps the values bounded however many calls run
  scaleInPlace: [n(1e5), (k) => { let s = 0; for (let i = 0; i < k; i++) s += lib.scaleInPlace(values, -1); return s }],
  midpoint: [n(5e5), (k) => { let s = 0; for (let i = 0; i < k; i++) s += lib.midpoint(p, q).x; return s }],
}

// Per op: a warm-up (the JIT optimises the loop), then the median of three timed runs.
const result = {}
let sink = 0
for (const [name, [count, loop]] of Object.entries(ops)) {
  sink += loop(Math.ceil(count / 10))
  const times = []
  for (let rep = 0; rep < 3; rep++) {
    const start = process.hrtime.bigint()
    sink += loop(count)
    times.push(Number(process.hrtime.bigint() - start) / count)
  }
  result[name] = times.sort((a, b) => a - b)[1]
}
if (Number.isNaN(sink)) console.error('unreachable')
console.log(JSON.stringify(result))
