// The C shapes real crates' APIs have (issue 27): fixed-size arrays in
// structs and pointers to arrays, objects of another class as parameters,
// functions returning objects, a library prefix equal to a type's name, a
// pointer to one value, struct out-parameters. Generated from C headers and
// imported with real koffi types (test/koffi-harness.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseHeader } from '../../src/backends/koffi/header.js'
import { generateBindings } from '../../src/backends/koffi/bindings.js'
import { importWithStubLibrary, type StubCall } from '../koffi-harness.js'

const options = { libraryFile: 'libdemo.so', packageName: 'demo', crateName: 'demo' }
const generate = (header: string) => generateBindings(parseHeader(`#include <stdint.h>\n#include <stddef.h>\n#include <stdbool.h>\n${header}`), options)
type Fn = (...args: unknown[]) => unknown

test('a fixed-size array in a struct is a typed array of that length (or an array of objects), checked on the way in', async () => {
  const { js, dts } = generate(`
typedef struct { uint8_t _0[81]; } Sudoku;
typedef struct { int32_t x; } Cell;
typedef struct { double b[3]; Cell cells[2]; int flags[2]; } Board;
Sudoku sudoku_solve(Sudoku s);
double board_sum(const Board *b);`)
  assert.match(dts, /export interface Sudoku \{\n {2}\/\*\* 81 elements\. \*\/\n {2}_0: Uint8Array\n\}/)
  assert.match(dts, /b: Float64Array\n.*\n {2}cells: Cell\[\]\n.*\n {2}flags: Int32Array/)
  assert.match(js, /\$koffi\.array\('uint8_t', 81, 'Typed'\)/)
  assert.match(js, /\$koffi\.array\(\$T_Cell, 2, 'Array'\)/)
  const lib = await importWithStubLibrary(js)
  const solve = lib.sudokuSolve as Fn
  const cells = new Uint8Array(81)
  assert.deepEqual((solve({ _0: cells }) as StubCall).args, [{ _0: cells }])
  assert.throws(() => solve({ _0: new Uint8Array(80) }), { name: 'RangeError', message: 's._0 must have 81 elements, got 80' })
  assert.throws(() => solve({ _0: Array.from(cells) }), { name: 'TypeError', message: 's._0 must be a Uint8Array of 81 elements, got object' })
  const sum = lib.boardSum as Fn
  const board = { b: new Float64Array(3), cells: [{ x: 1 }, { x: 2 }], flags: new Int32Array(2) }
  assert.deepEqual((sum(board) as StubCall).args, [board])
  assert.throws(() => sum({ ...board, cells: [{ x: 1 }] }), { name: 'RangeError', message: 'b.cells must have 2 elements, got 1' })
  assert.throws(() => sum({ ...board, cells: [{ x: 1 }, { x: 2 ** 40 }] }), { name: 'RangeError', message: /^b\.cells\[1\]\.x must be an integer/ })
})

test('a pointer to a fixed-size array is a typed array of exactly that length', async () => {
  const { js, dts } = generate('uint8_t first(const uint8_t (*cells)[81]);\nvoid fill(uint8_t (*cells)[4], uint8_t value);')
  assert.match(dts, /export declare function first\(cells: Uint8Array\): number/)
  const lib = await importWithStubLibrary(js)
  const cells = new Uint8Array(81)
  assert.deepEqual((lib.first as Fn)(cells), { name: 'first', args: [cells] })
  assert.throws(() => (lib.first as Fn)(new Uint8Array(4)), { name: 'TypeError', message: 'cells must be a Uint8Array of length 81' })
  assert.throws(() => (lib.fill as Fn)(new Uint8Array(81), 1), { name: 'TypeError', message: 'cells must be a Uint8Array of length 4' })
})

const regexHeader = `
typedef struct rure rure;
typedef struct rure_iter rure_iter;
typedef struct { size_t start; size_t end; } rure_match;
rure *rure_compile_must(const char *pattern);
void rure_free(rure *re);
bool rure_is_match(rure *re, const uint8_t *haystack, size_t length, size_t start);
rure_iter *rure_iter_new(rure *re);
void rure_iter_free(rure_iter *it);
bool rure_iter_next(rure_iter *it, const uint8_t *haystack, size_t length, rure_match *match);
size_t count_both(const rure *a, const rure *b);
`

test('a library prefix equal to a type name: functions not taking the object are free functions; objects of another class are parameters', async () => {
  const { js, dts } = generate(regexHeader)
  assert.match(dts, /export declare function rureCompileMust\(pattern: string\): rure/)
  assert.match(dts, /export declare class rure implements Disposable \{\n.*no `rure_new`; get one from rureCompileMust\(\)\. \*\/\n {2}private constructor\(\)/)
  assert.match(dts, /export declare class rure_iter implements Disposable \{\n {2}constructor\(re: rure\)/)
  assert.match(dts, /next\(haystack: Uint8Array, match: rure_match\): boolean/)
  assert.match(dts, /export declare function countBoth\(a: rure, b: rure\): number \| bigint/)
  assert.doesNotMatch(dts, /countBothAsync/, 'no Async variant: the object could be disposed during the call')
  const lib = await importWithStubLibrary(js)
  const Rure = lib.rure as new () => { dispose(): void; isMatch(h: Uint8Array, s: number): StubCall }
  const Iter = lib.rure_iter as new (re: unknown) => { dispose(): void }
  assert.throws(() => new Rure(), { name: 'TypeError', message: 'rure has no constructor (the crate has no rure_new): get one from rureCompileMust()' })
  const re = (lib.rureCompileMust as Fn)('a+') as InstanceType<typeof Rure>
  assert.ok(re instanceof Rure)
  const pointer = re.isMatch(new Uint8Array(1), 0).args[0]
  assert.deepEqual(pointer, { name: 'rure_compile_must', args: ['a+'] }, "the object holds the pointer the factory returned")
  // Another class's instance: its live pointer is passed; anything else is refused before the call.
  const it = new Iter(re)
  assert.ok(it instanceof Iter)
  assert.deepEqual((lib.countBoth as Fn)(re, re), { name: 'count_both', args: [pointer, pointer] })
  assert.throws(() => new Iter({}), { name: 'TypeError', message: 're must be a rure' })
  assert.throws(() => (lib.countBoth as Fn)(re, it), { name: 'TypeError', message: 'b must be a rure' })
  re.dispose()
  assert.throws(() => new Iter(re), { message: 'This rure was disposed and cannot be used any more' })
  assert.throws(() => (lib.countBoth as Fn)(re, re), { message: 'This rure was disposed and cannot be used any more' })
})

test('a pointer to one value: `const T *` takes a number, `T *` a one-element typed array (or array, for a type whose size varies)', async () => {
  const { js, dts } = generate('void print_int(const int *c_int_ptr);\nvoid bump(int32_t *v);\nvoid scale(double *x);\nbool shortest(size_t *end);\nvoid flags(bool *matches);')
  assert.match(dts, /export declare function printInt\(cIntPtr: number\): void/)
  assert.match(dts, /export declare function bump\(v: Int32Array\): void/)
  const lib = await importWithStubLibrary(js)
  assert.deepEqual((lib.printInt as Fn)(2), { name: 'print_int', args: [[2]] })
  assert.throws(() => (lib.printInt as Fn)(2 ** 40), RangeError)
  const v = new Int32Array(1)
  assert.deepEqual((lib.bump as Fn)(v), { name: 'bump', args: [v] })
  assert.throws(() => (lib.bump as Fn)(new Int32Array(0)), { name: 'TypeError', message: 'v must be a Int32Array of at least one element' })
  assert.throws(() => (lib.scale as Fn)(1.5), { name: 'TypeError', message: 'x must be a Float64Array of at least one element' })
  assert.match(dts, /export declare function shortest\(end: \[number \| bigint\]\): boolean/)
  assert.match(js, /\$lib\.func\("shortest", 'bool', \[\$koffi\.inout\(\$koffi\.pointer\('size_t'\)\)\]\)/)
  const end = [0]
  assert.deepEqual((lib.shortest as Fn)(end), { name: 'shortest', args: [end] })
  assert.throws(() => (lib.shortest as Fn)([-1]), RangeError)
  assert.throws(() => (lib.shortest as Fn)(0), { name: 'TypeError', message: 'end must be an array of one number (size_t)' })
  assert.match(dts, /export declare function flags\(matches: Uint8Array\): void/)
})

test('a struct out-parameter of a fallible function is returned as an object', async () => {
  const { js, dts } = generate(`
typedef enum { RUSTY_STATUS_OK = 0, RUSTY_STATUS_ERROR = 1 } RustyStatus;
const char *rusty_last_error(void);
typedef struct { size_t start; size_t end; } Span;
RustyStatus find_span(const char *text, Span *out);`)
  assert.match(dts, /export declare function findSpan\(text: string\): Span/)
  assert.match(js, /\$lib\.func\("find_span", 'int', \['const char \*', \$koffi\.out\(\$koffi\.pointer\(\$T_Span\)\)\]\)/)
  assert.match(js, /const \$out = \{\}\n {2}const \$status = \$raw_find_span\(text, \$out\)\n {2}if \(\$status !== 0\) throw \$failure\(\$status, "find_span"\)\n {2}return \$out/)
})

test('a constructor or factory returning NULL throws the failure of rusty_last_error, or one naming the function', () => {
  const withLastError = generate('const char *rusty_last_error(void);\ntypedef struct Db Db;\nDb *db_new(const char *path);\nvoid db_free(Db *db);').js
  assert.match(withLastError, /= \$rustErrors\(\$lib, true\)/)
  assert.match(withLastError, /if \(\$ptr === null\) throw \$failure\(1, "db_new"\)/)
  const without = generate('typedef struct Db Db;\nDb *db_new(const char *path);\nvoid db_free(Db *db);').js
  assert.match(without, /= \$rustErrors\(\$lib, false\)/)
})
