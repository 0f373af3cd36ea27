// Call overhead of the koffi shapes of issue 27 (release build): the
// generated bindings against hand-written koffi declarations of the same
// functions ("raw"), for arrays in structs (both ways), a pointer to an
// array, a pointer to one value and another class's object as a parameter.
// The crate is the koffi template plus test/fixtures/koffi/published-shapes.rs.
// Prints ns per call (median of the children's medians) and package/raw
// (median of the per-child ratios); target: package/raw <= 1.1x.
//
// Usage: node bench/koffi-shapes.mjs   (CHILDREN=7 by default)
import fs from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { median, repoRoot, title, withProject } from './lib.mjs'

const children = Number(process.env.CHILDREN ?? 7)

// The same functions declared by hand with koffi, as a user of koffi would.
const raw = `import koffi from 'koffi'
const lib = koffi.load(process.env.BENCH_LIBRARY)
const Row = koffi.struct({ _0: koffi.array('uint8_t', 9, 'Typed') })
const Ring = koffi.pointer(koffi.opaque())
const Counter = koffi.pointer(koffi.opaque())
export const rowSum = lib.func('row_sum', 'uint32_t', [Row])
export const rowReversed = lib.func('row_reversed', Row, [Row])
export const firstCell = lib.func('first_cell', 'uint8_t', ['uint8_t *'])
const printIntRaw = lib.func('print_int', 'int', ['int *'])
export const printInt = (value) => printIntRaw([value])
export const ringNew = lib.func('ring_new', Ring, ['uint32_t'])
export const counterNew = lib.func('counter_new', Counter, ['int64_t'])
export const ringPushCounter = lib.func('ring_push_counter', 'void', [Ring, Counter])
`

// Loop bodies per variant: [calls, package body, raw body].
const ops = {
  'row in': [1e6, 's += lib.rowSum(row)', 's += lib.rowSum(row)'],
  'row in+out': [5e5, 's += lib.rowReversed(row)._0[0]', 's += lib.rowReversed(row)._0[0]'],
  '&[u8; 9]': [2e6, 's += lib.firstCell(cells)', 's += lib.firstCell(cells)'],
  '*const c_int': [2e6, 's += lib.printInt(i & 0xff)', 's += lib.printInt(i & 0xff)'],
  'object param': [2e6, 'ring.pushCounter(counter); s++', 'lib.ringPushCounter(ring, counter); s++'],
}

if (process.argv[2] === '--child') {
  const [pkgModule, rawModule] = process.argv.slice(3)
  const pkg = await import(pkgModule)
  const rawLib = await import(rawModule)
  const data = { row: { _0: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, cells: new Uint8Array(9).fill(3) }
  const setups = {
    package: { lib: pkg, ring: new pkg.Ring(4), counter: new pkg.Counter(1) },
    raw: { lib: rawLib, ring: rawLib.ringNew(4), counter: rawLib.counterNew(1) },
  }
  const result = { package: {}, raw: {} }
  let sink = 0
  for (const [op, [k, pkgBody, rawBody]] of Object.entries(ops)) {
    const loops = Object.fromEntries(
      Object.entries({ package: pkgBody, raw: rawBody }).map(([variant, body]) => [
        variant,
        new Function('lib', 'k', 'row', 'cells', 'ring', 'counter', `// ${variant} ${op}\nlet s = 0; for (let i = 0; i < k; i++) ${body}; return s`),
      ]),
    )
    const run = (variant) => loops[variant](setups[variant].lib, k, data.row, data.cells, setups[variant].ring, setups[variant].counter)
    sink += run('package') + run('raw')
    const times = { package: [], raw: [] }
    for (let rep = 0; rep < 5; rep++) {
      for (const variant of rep % 2 ? ['raw', 'package'] : ['package', 'raw']) {
        const start = process.hrtime.bigint()
        sink += run(variant)
        times[variant].push(Number(process.hrtime.bigint() - start) / k)
      }
    }
    for (const variant of ['package', 'raw']) result[variant][op] = median(times[variant])
  }
  if (Number.isNaN(sink)) console.error('unreachable')
  console.log(JSON.stringify(result))
} else {
  title('koffi: call overhead of the shapes of published C APIs (release; ns per call)')
  const backend = {
    name: 'koffi',
    setup: (root) => fs.appendFileSync(path.join(root, 'rust', 'src', 'lib.rs'), fs.readFileSync(path.join(repoRoot, 'test/fixtures/koffi/published-shapes.rs'), 'utf8')),
  }
  await withProject(backend, ['--release'], async (root) => {
    const library = path.join(root, 'native', fs.readdirSync(path.join(root, 'native')).find((f) => /\.(so|dylib|dll)$/.test(f)))
    const rawFile = path.join(root, 'native', 'raw-koffi.mjs')
    fs.writeFileSync(rawFile, raw)
    const samples = []
    for (let i = 0; i < children; i++) {
      const args = ['--child', new URL(`file://${path.join(root, 'native', 'index.js')}`).href, new URL(`file://${rawFile}`).href]
      const { stdout } = await execa(process.execPath, [new URL(import.meta.url).pathname, ...args], { cwd: root, stdin: 'ignore', env: { BENCH_LIBRARY: library } })
      samples.push(JSON.parse(stdout))
    }
    console.log(`  ${'op'.padEnd(16)}${'package'.padStart(10)}${'raw'.padStart(10)}   package/raw`)
    for (const op of Object.keys(ops)) {
      const pkg = median(samples.map((s) => s.package[op]))
      const rawNs = median(samples.map((s) => s.raw[op]))
      const ratio = median(samples.map((s) => s.package[op] / s.raw[op]))
      console.log(`  ${op.padEnd(16)}${pkg.toFixed(1).padStart(10)}${rawNs.toFixed(1).padStart(10)}   ${ratio.toFixed(2).padStart(9)}x`)
    }
    console.log('  target: package/raw <= 1.1x')
  })
}
