// Child process of calls.mjs. Loads every variant of the API given as
// `name=module` arguments (module `js` is plain JavaScript), compiles a
// separate loop per variant and operation (`new Function` with the variant's
// name in the source, which V8's compilation cache would otherwise share, so
// each loop has its own type feedback and one callee), then times them interleaved: per
// repetition every variant runs once, in rotating order. An operation that
// some variant lacks is skipped (the templates differ a little). Prints
// `{ variant: { op: median ns per call } }` as JSON.
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
  priceOrder(order) {
    const discount = order.discount_percent ?? 0
    const lines = order.items.map((item) => `${item.name} x${item.quantity} = ${(item.unit_price * item.quantity).toFixed(2)}`)
    const subtotal = order.items.reduce((sum, item) => sum + item.unit_price * item.quantity, 0)
    return { lines, subtotal, total: subtotal * (1 - discount / 100) }
  },
}

// Loop bodies: `k` calls, each result folded into `s` so no call is dead code.
// scaleInPlace uses factor -1, which keeps the values bounded.
const ops = {
  add: [2e6, 's += lib.add(i & 0xffff, 7)'],
  greet: [1e6, "s += lib.greet('Ferris').length"],
  scaleInPlace: [1e5, 's += lib.scaleInPlace(values, -1)'],
  midpoint: [5e5, 's += lib.midpoint(p, q).x'],
  priceOrder: [1e5, 's += lib.priceOrder(order).total'],
}
const reps = 5
const scale = Number(process.env.SCALE ?? 1)
const data = {
  values: new Float64Array(1000).fill(1.5),
  p: { x: 1, y: 2 },
  q: { x: 3, y: 5 },
  order: { items: [{ name: 'tea', unit_price: 3.5, quantity: 2 }, { name: 'cake', unit_price: 4.25, quantity: 1 }], discount_percent: 10 },
}

const variants = []
for (const arg of process.argv.slice(2)) {
  const [name, module] = arg.split(/=(.*)/)
  const lib = module === 'js' ? plain : await import(pathToFileURL(module).href)
  const loops = Object.fromEntries(
    Object.entries(ops).map(([op, [, body]]) => [op, new Function('lib', 'k', 'values', 'p', 'q', 'order', `// ${name}\nlet s = 0; for (let i = 0; i < k; i++) ${body}; return s`)]),
  )
  variants.push({ name, lib, loops })
}

let sink = 0
const result = Object.fromEntries(variants.map((v) => [v.name, {}]))
for (const [op, [count]] of Object.entries(ops)) {
  // A template without this operation (wasm has no midpoint, napi no priceOrder) skips it.
  if (!variants.every((v) => typeof v.lib[op] === 'function')) continue
  const k = Math.round(count * scale)
  const run = (v) => v.loops[op](v.lib, k, data.values, data.p, data.q, data.order)
  for (const v of variants) sink += run(v) // warm-up: the JIT optimises each loop
  const times = Object.fromEntries(variants.map((v) => [v.name, []]))
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + rep) % variants.length]
      const start = process.hrtime.bigint()
      sink += run(v)
      times[v.name].push(Number(process.hrtime.bigint() - start) / k)
    }
  }
  for (const v of variants) result[v.name][op] = times[v.name].sort((a, b) => a - b)[reps >> 1]
}
if (Number.isNaN(sink)) console.error('unreachable')
console.log(JSON.stringify(result))
