// The helpers every generated koffi module imports (templates/runtime/ffi.js,
// copied to native/ffi.js), tested as the code that ships.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../helpers.js'

type Range = [number, number] | [bigint, bigint]
type FakeLib = { func: (name: string, result: unknown, params: unknown[]) => (...args: unknown[]) => unknown }
const ffi = (await import(pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'ffi.js')).href)) as {
  rustErrors(lib: FakeLib, hasLastError?: boolean): { failure(status: number, name?: string): Error & { code?: string }; takeString(text: string | null, name?: string): string }
  ownedString(lib: FakeLib): unknown
  wide(value: bigint): number | bigint
  intRange(type: string, signed: boolean): Range
  checkInt(value: unknown, range: Range, name: string, type: string): number | bigint
  checkEnum(value: unknown, values: Set<number>, name: string, type: string): number
  checkArray(value: unknown, length: number, name: string, Typed?: unknown, check?: (item: unknown, name: string) => unknown): unknown
}

test('intRange: numbers up to 32 bits, BigInts above', () => {
  assert.deepEqual(ffi.intRange('int8_t', true), [-128, 127])
  assert.deepEqual(ffi.intRange('uint16_t', false), [0, 65535])
  assert.deepEqual(ffi.intRange('int', true), [-(2 ** 31), 2 ** 31 - 1])
  assert.deepEqual(ffi.intRange('int64_t', true), [-(2n ** 63n), 2n ** 63n - 1n])
  assert.deepEqual(ffi.intRange('uint64_t', false), [0n, 2n ** 64n - 1n])
})

test('checkInt passes integers in range, converts BigInts for narrow types, and throws TypeError / RangeError', () => {
  const int = ffi.intRange('int32_t', true)
  const u64 = ffi.intRange('uint64_t', false)
  assert.equal(ffi.checkInt(5, int, 'n', 'int32_t'), 5)
  assert.equal(ffi.checkInt(5n, int, 'n', 'int32_t'), 5)
  assert.equal(ffi.checkInt(2n ** 63n, u64, 'n', 'uint64_t'), 2n ** 63n)
  assert.equal(ffi.checkInt(7, u64, 'n', 'uint64_t'), 7)
  assert.throws(() => ffi.checkInt('5', int, 'n', 'int32_t'), { name: 'TypeError', message: 'n must be a number (int32_t), got string' })
  assert.throws(() => ffi.checkInt(1.5, int, 'n', 'int32_t'), { name: 'RangeError', message: 'n must be an integer from -2147483648 to 2147483647 (int32_t), got 1.5' })
  assert.throws(() => ffi.checkInt(-1n, u64, 'n', 'uint64_t'), { name: 'RangeError', message: 'n must be an integer from 0 to 18446744073709551615 (uint64_t), got -1' })
})

test('checkEnum passes the values and names them otherwise', () => {
  const values = new Set([1, 200])
  assert.equal(ffi.checkEnum(200, values, 'level', 'Level'), 200)
  assert.throws(() => ffi.checkEnum(3, values, 'level', 'Level'), { name: 'RangeError', message: 'level must be a Level (one of 1, 200), got 3' })
  assert.throws(() => ffi.checkEnum('x', values, 'level', 'Level'), { name: 'RangeError', message: 'level must be a Level (one of 1, 200), got string' })
})

test('wide: a number while exact, else the BigInt', () => {
  assert.equal(ffi.wide(42n), 42)
  assert.equal(ffi.wide(-(2n ** 53n) + 1n), -(2 ** 53) + 1)
  assert.equal(ffi.wide(2n ** 53n), 2n ** 53n)
})

test("rustErrors: the failure carries rusty_last_error's message, a panic (status 2) code RUST_PANIC; takeString throws for NULL", () => {
  let message: string | null = 'division by zero'
  const declared: string[] = []
  const lib: FakeLib = {
    func: (name, result, params) => {
      declared.push(`${name}: ${String(result)} (${params.join(', ')})`)
      return () => message
    },
  }
  const { failure, takeString } = ffi.rustErrors(lib)
  assert.deepEqual(declared, ['rusty_last_error: const char * ()'])
  const error = failure(1)
  assert.equal(error.message, 'division by zero')
  assert.equal(error.code, undefined)
  assert.equal(failure(2).code, 'RUST_PANIC')
  message = null
  assert.equal(failure(1).message, 'the Rust call failed without a message')
  assert.equal(takeString('text'), 'text')
  message = 'bad input'
  assert.throws(() => takeString(null), { message: 'bad input' })
  message = null
  assert.equal(failure(1, 'sudoku_new').message, 'sudoku_new failed (it returned NULL or an error status)')
})

test('rustErrors without rusty_last_error: nothing declared, the message names the function', () => {
  const lib: FakeLib = { func: () => assert.fail('no function may be declared') }
  const { failure, takeString } = ffi.rustErrors(lib, false)
  assert.equal(failure(1, 'rure_compile_must').message, 'rure_compile_must failed (it returned NULL or an error status)')
  assert.equal(failure(2, 'solve').code, 'RUST_PANIC')
  assert.throws(() => takeString(null, 'describe'), { message: 'describe failed (it returned NULL or an error status)' })
})

test('checkArray: exactly the C length, the typed array the field takes, each element checked', () => {
  const cells = new Uint8Array(81)
  assert.equal(ffi.checkArray(cells, 81, 's._0', Uint8Array), cells)
  assert.throws(() => ffi.checkArray(new Uint8Array(80), 81, 's._0', Uint8Array), { name: 'RangeError', message: 's._0 must have 81 elements, got 80' })
  assert.throws(() => ffi.checkArray(Array.from(cells), 81, 's._0', Uint8Array), { name: 'TypeError', message: 's._0 must be a Uint8Array of 81 elements, got object' })
  assert.throws(() => ffi.checkArray(null, 2, 't.ms'), { name: 'TypeError', message: 't.ms must be an array of 2 elements, got null' })
  const seen: string[] = []
  ffi.checkArray([1, 2], 2, 't.v', undefined, (item, at) => seen.push(`${at}=${String(item)}`))
  assert.deepEqual(seen, ['t.v[0]=1', 't.v[1]=2'])
})

test('ownedString declares rusty_string_free and makes a koffi type for returned strings', async () => {
  const koffi = (await import('koffi')).default
  const declared: string[] = []
  const type = ffi.ownedString({ func: (name) => (declared.push(name), () => undefined) })
  assert.deepEqual(declared, ['rusty_string_free'])
  // A type koffi accepts as a function's result.
  koffi.proto(type as never, [])
})
