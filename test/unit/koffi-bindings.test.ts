import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { parseHeader, HeaderParseError } from '../../src/backends/koffi/header.js'
import { generateBindings, UnsupportedDeclarationError } from '../../src/backends/koffi/bindings.js'
import { execa } from 'execa'
import { repoRoot, tempDir } from '../helpers.js'

const templateHeader = fs.readFileSync(path.join(repoRoot, 'test/fixtures/koffi/template.h'), 'utf8')
const options = { libraryFile: 'libdemo.so', packageName: 'demo', crateName: 'demo' }

const prelude = `
#include <stdint.h>
typedef enum { RUSTY_STATUS_OK = 0, RUSTY_STATUS_ERROR = 1, RUSTY_STATUS_PANIC = 2 } RustyStatus;
const char *rusty_last_error(void);
void rusty_string_free(char *text);
`

function generate(header: string) {
  return generateBindings(parseHeader(header), options)
}

test("parses the koffi template's cbindgen header", () => {
  const decls = parseHeader(templateHeader)
  const byName = new Map(decls.map((d) => [d.name, d]))
  assert.equal(byName.get('RustyStatus')?.kind, 'enum')
  assert.equal(byName.get('Counter')?.kind, 'opaque')
  const point = byName.get('Point')
  assert.ok(point?.kind === 'struct')
  assert.deepEqual(point.fields.map((f) => `${f.type.text} ${f.name}`), ['double x', 'double y'])
  const scale = byName.get('scale_in_place')
  assert.ok(scale?.kind === 'function')
  assert.deepEqual(scale.params.map((p) => p.type.text), ['double *', 'uintptr_t', 'double'])
  const lastError = byName.get('rusty_last_error')
  assert.ok(lastError?.kind === 'function')
  assert.equal(lastError.returns.text, 'const char *')
  assert.deepEqual(lastError.params, [])
  assert.match(byName.get('add')?.doc ?? '', /Adds two 32-bit integers/)
})

test('generates typed declarations for every template pattern', () => {
  const { js, dts } = generate(templateHeader)
  for (const line of [
    'export declare function add(a: number, b: number): number',
    'export declare function fibonacci(n: number): number | bigint',
    'export declare function greet(name: string): string',
    'export declare function scaleInPlace(values: Float64Array, factor: number): number',
    'export declare function midpoint(a: Point, b: Point): Point',
    'export declare function checkedDivide(a: number | bigint, b: number | bigint): number | bigint',
    'export declare function explode(message: string): void',
    'export declare class Counter implements Disposable {',
    '  constructor(start: number | bigint)',
    '  get value(): number | bigint',
    '  set step(value: number | bigint)',
    '  increment(): number | bigint',
  ]) {
    assert.ok(dts.includes(line), `index.d.ts has: ${line}\n---\n${dts}`)
  }
  // Plain calls are koffi's own functions, with no wrapper in between.
  assert.match(js, /export const add = _add$/m)
  // Returned strings are decoded, then freed by Rust, once.
  assert.match(js, /return takeString\(_greet\(name\)\)/)
  assert.match(js, /const RustString = koffi\.disposable\('char \*', \(ptr\) => _stringFree\(ptr\)\)/)
  assert.match(js, /const _greet = lib\.func\("greet", RustString, \['const char \*'\]\)/)
  assert.ok(!/koffi\.free/.test(js), 'Rust memory is never freed by koffi or libc')
  assert.doesNotMatch(dts, /rusty_last_error|rustyLastError|rustyStringFree|RustyStatus/, 'the plumbing stays private')
})

test('the generated module is valid JavaScript (node --check)', async () => {
  const { js } = generate(templateHeader)
  const file = path.join(tempDir(), 'index.mjs')
  fs.writeFileSync(file, js)
  await execa(process.execPath, ['--check', file])
})

test('enums become frozen objects and unions; aliases of numbers are followed', () => {
  const { js, dts } = generate(`${prelude}
typedef enum { COLOR_RED, COLOR_GREEN = 5, COLOR_DEEP_BLUE } Color;
typedef uint32_t Id;
Color next_color(Color c, Id id);`)
  assert.match(js, /export const Color = Object\.freeze\(\{ Red: 0, Green: 5, DeepBlue: 6 \}\)/)
  assert.match(dts, /export type Color = 0 \| 5 \| 6/)
  assert.match(dts, /export declare function nextColor\(c: Color, id: number\): Color/)
})

const unsupported: [string, string, RegExp][] = [
  ['a function pointer parameter', 'void on_event(void (*callback)(int32_t));', /on_event|function pointers/],
  ['a mutable char* parameter', 'void fill(char *buffer);', /Rust item `fill`.*char \*/],
  ['a void* parameter', 'void take(void *data);', /Rust item `take`.*`data: void \*`/],
  ['a pointer without a length', 'double sum(const double *values);', /Rust item `sum`.*`values: const double \*`/],
  ['a struct with a pointer field', 'typedef struct { const char *name; } Named;', /Rust item `Named`.*field `name/],
  ['an opaque type without new/free', 'typedef struct Handle Handle;', /Rust item `Handle`.*handle_new/],
  ['a union', 'typedef union { int32_t a; float b; } Either;', /unsupported type definition/],
  ['a variadic function', 'int32_t sum_all(int32_t n, ...);', /variadic/],
  ['an array field', 'typedef struct { double v[3]; } Vec3;', /arrays are not supported/],
  ['a global', 'extern const int32_t LIMIT;', /global variables/],
  ['an opaque returned by a non-constructor', 'typedef struct Db Db;\nDb *db_new(void);\nvoid db_free(Db *db);\nDb *open_db(void);', /Rust item `open_db`.*only `db_new`/],
]

for (const [what, declaration, message] of unsupported) {
  test(`refuses ${what}, naming it`, () => {
    assert.throws(
      () => generate(`${prelude}\n${declaration}`),
      (error: unknown) => {
        assert.ok(error instanceof UnsupportedDeclarationError || error instanceof HeaderParseError, String(error))
        assert.match((error as Error).message, message)
        return true
      },
    )
  })
}

test('fallible functions without rusty_last_error are refused', () => {
  assert.throws(
    () => generate('typedef enum { RUSTY_STATUS_OK } RustyStatus;\nRustyStatus go(void);'),
    /no `const char \*rusty_last_error\(void\)`/,
  )
})
