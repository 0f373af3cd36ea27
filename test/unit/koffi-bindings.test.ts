import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { parseHeader } from '../../src/backends/koffi/header.js'
import { standardMacros, UndecidableConditionError } from '../../src/backends/koffi/preprocess.js'
import { generateBindings, UnsupportedDeclarationError } from '../../src/backends/koffi/bindings.js'
import { execa } from 'execa'
import { repoRoot, tempDir } from '../helpers.js'
import { importWithStubLibrary, type StubCall } from '../koffi-harness.js'

const templateHeader = fs.readFileSync(path.join(repoRoot, 'test/fixtures/koffi/template.h'), 'utf8')
const options = { libraryFile: 'libdemo.so', packageName: 'demo', crateName: 'demo' }

const prelude = `
#include <stdint.h>
typedef enum { RUSTY_STATUS_OK = 0, RUSTY_STATUS_ERROR = 1, RUSTY_STATUS_PANIC = 2 } RustyStatus;
const char *rusty_last_error(void);
void rusty_string_free(char *text);
`

function generate(header: string, macros = standardMacros()) {
  return generateBindings(parseHeader(header, { macros }), options)
}

/** The refusal of `header`: every item it names. */
function refusal(header: string): UnsupportedDeclarationError {
  try {
    generate(header)
  } catch (error) {
    if (error instanceof UnsupportedDeclarationError) return error
    throw error
  }
  assert.fail('expected the header to be refused')
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
    'export declare function addAsync(a: number, b: number): Promise<number>',
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
  // Calls that need no conversion are koffi's own functions, with no wrapper in between.
  assert.match(js, /export const hypotenuse = \$raw_hypotenuse$/m)
  // Returned strings are decoded, then freed by Rust, once.
  assert.match(js, /return \$takeString\(\$raw_greet\(name\), "greet"\)/)
  assert.match(js, /const \$RustString = \$ownedString\(\$lib\)/)
  assert.match(js, /^import \{ rustErrors as \$rustErrors, ownedString as \$ownedString, wide as \$wide, intRange as \$range, checkInt as \$int \} from '\.\/ffi\.js'$/m)
  assert.ok(!/koffi\.free/.test(js), 'Rust memory is never freed by koffi or libc')
  assert.doesNotMatch(dts, /rusty_last_error|rustyLastError|rustyStringFree|RustyStatus/, 'the plumbing stays private')
  // Fallible functions have no Async variant (their message is per thread).
  assert.doesNotMatch(dts, /greetAsync|checkedDivideAsync/)
})

test('the generated module is valid JavaScript (node --check) and imports with real koffi types', async () => {
  const { js } = generate(templateHeader)
  const file = path.join(tempDir(), 'index.mjs')
  fs.writeFileSync(file, js)
  await execa(process.execPath, ['--check', file])
  const lib = await importWithStubLibrary(js)
  assert.equal(typeof lib.add, 'function')
  assert.equal(typeof lib.Counter, 'function')
})

test('enums become frozen objects and unions; aliases of numbers are followed', () => {
  const { js, dts } = generate(`${prelude}
typedef enum { COLOR_RED, COLOR_GREEN = 5, COLOR_DEEP_BLUE } Color;
typedef uint32_t Id;
Color next_color(Color c, Id id);`)
  assert.match(js, /export const Color = \$Object\.freeze\(\{ Red: 0, Green: 5, DeepBlue: 6 \}\)/)
  assert.match(dts, /export type Color = 0 \| 5 \| 6/)
  assert.match(dts, /export declare function nextColor\(c: Color, id: number\): Color/)
})

test('enum values: negative hex, expressions, and variant names keep their case', () => {
  const { js } = generate(`${prelude}
typedef enum { Flag_NegHex = -0x10, Flag_Shift = (1 << 4), Flag_Next } Flag;
typedef enum { NotFound, PermissionDenied, TIMED_OUT } IoKind;`)
  assert.match(js, /export const Flag = \$Object\.freeze\(\{ FlagNegHex: -16, FlagShift: 16, FlagNext: 17 \}\)/)
  assert.match(js, /export const IoKind = \$Object\.freeze\(\{ NotFound: 0, PermissionDenied: 1, TimedOut: 2 \}\)/)
})

test('#[repr(u8)] enums: the C11 spelling cbindgen writes is one enum of that type', async () => {
  const header = `${prelude}
enum Level
#if __STDC_VERSION__ >= 202311L
  : uint8_t
#endif // __STDC_VERSION__ >= 202311L
 {
  LEVEL_LOW = 1,
  LEVEL_HIGH = 200,
};
#if __STDC_VERSION__ >= 202311L
typedef enum Level Level;
#else
typedef uint8_t Level;
#endif // __STDC_VERSION__ >= 202311L
Level raise(Level level);`
  const { js, dts } = generate(header)
  assert.match(js, /\$lib\.func\("raise", 'uint8_t', \['uint8_t'\]\)/)
  assert.match(dts, /export type Level = 1 \| 200/)
  const lib = await importWithStubLibrary(js)
  const raise = lib.raise as (level: number) => StubCall
  assert.deepEqual(raise(200).args, [200])
  assert.throws(() => raise(3), { name: 'RangeError', message: 'level must be a Level (one of 1, 200), got 3' })
})

test('#if blocks are evaluated for the target, never flattened', async () => {
  const header = `${prelude}
#if defined(PLATFORM_WIN)
typedef struct { int64_t handle; } Handle;
#endif
#if defined(PLATFORM_UNIX)
typedef struct { int32_t fd; } Handle;
#endif
#ifdef PLATFORM_WIN
int64_t handle_fd(Handle h);
#else
int32_t handle_fd(Handle h);
#endif
`
  const unix = standardMacros()
  unix.defined.set('PLATFORM_UNIX', '1')
  unix.undefined.add('PLATFORM_WIN')
  const { js, dts } = generate(header, unix)
  assert.match(js, /\$koffi\.struct\(\{ "fd": 'int32_t' \}\)/)
  assert.doesNotMatch(js, /"handle"|int64_t/)
  assert.match(dts, /export declare function handleFd\(h: Handle\): number$/m)
  // A macro rusty knows nothing about stops the build, naming the macro and the items.
  assert.throws(() => parseHeader(header), (error: unknown) => {
    assert.ok(error instanceof UndecidableConditionError)
    assert.match(error.message, /`#if defined\(PLATFORM_WIN\)` depends on the macro PLATFORM_WIN, .*`Handle`/)
    return true
  })
})

test('two unconditional variants of one item are refused, with the [defines] fix', () => {
  const error = refusal(`${prelude}
typedef struct { int64_t handle; } Handle;
typedef struct { int32_t fd; } Handle;`)
  assert.match(error.message, /`Handle`: it is declared more than once/)
  assert.match(error.message, /\[defines\] table of rust\/cbindgen\.toml/)
})

test("cbindgen's test-only preamble and a header guard are preprocessor blocks like any other", () => {
  const decls = parseHeader(`#if 0
''' '
#endif
#ifndef GUARD_H
#define GUARD_H
#include <stdint.h>
int32_t one(void);
#endif`)
  assert.deepEqual(decls.map((d) => `${d.kind} ${d.name}`), ['function one'])
})

test('CR-only and CRLF line endings read the same as LF', () => {
  const expected = generate(templateHeader)
  assert.deepEqual(generate(templateHeader.replace(/\n/g, '\r')), expected)
  assert.deepEqual(generate(templateHeader.replace(/\n/g, '\r\n')), expected)
})

test('pub consts become exported constants, keeping their own doc comments', async () => {
  const { js, dts } = generate(`${prelude}
/**
 * The largest batch.
 */
#define MAX_BATCH 64
#define GREETING "hi\\n"
#define NEGATIVE -0x10
#define RATIO 0.5
#define BIG 18446744073709551615ULL
#define CAST (uint8_t)'A'
/**
 * Doubles it.
 */
int32_t twice(int32_t x);`)
  assert.match(dts, /\/\*\* The largest batch\. \*\/\nexport declare const MAX_BATCH: number/)
  assert.match(dts, /\/\*\* Doubles it\. \*\/\nexport declare function twice/)
  const lib = await importWithStubLibrary(js)
  assert.deepEqual(
    { MAX_BATCH: lib.MAX_BATCH, GREETING: lib.GREETING, NEGATIVE: lib.NEGATIVE, RATIO: lib.RATIO, BIG: lib.BIG, CAST: lib.CAST },
    { MAX_BATCH: 64, GREETING: 'hi\n', NEGATIVE: -16, RATIO: 0.5, BIG: 18446744073709551615n, CAST: 65 },
  )
})

test('names that clash with JavaScript: globals, reserved words, the generated helpers', async () => {
  const { js, dts } = generate(`${prelude}
typedef enum { ERROR_NOT_FOUND = 1 } Error;
typedef enum { OBJECT_A = 0 } Object;
typedef struct { int32_t value; } Promise;
int32_t failure(int32_t function, int32_t status);
const char *describe(Error error);
Promise make_promise(Object object);
char *take_string(const char *lib);`)
  assert.match(dts, /export declare function failure\(function_: number, status: number\): number/)
  const lib = await importWithStubLibrary(js)
  assert.deepEqual(lib.Error, { NotFound: 1 })
  assert.deepEqual((lib.failure as (a: number, b: number) => StubCall)(1, 2).args, [1, 2])
  assert.deepEqual((lib.describe as (e: number) => StubCall)(1).args, [1])
  assert.deepEqual((lib.takeString as (s: string) => unknown)('x'), { name: 'take_string', args: ['x'] })
  assert.throws(() => (lib.describe as (e: number) => unknown)(7), RangeError)
})

test('two items with one JavaScript name, and reserved export names, are refused naming both', () => {
  const error = refusal(`${prelude}
int32_t get_value(void);
int32_t get__value(void);
void delete(void);
void then(void);`)
  assert.match(error.message, /`get__value`: it and `get_value` both become `getValue`/)
  assert.match(error.message, /`delete`: its JavaScript name `delete` is a reserved word/)
  assert.match(error.message, /`then`: its JavaScript name `then`/)
})

test('an empty #[repr(C)] struct is refused naming it', () => {
  const error = refusal(`${prelude}\ntypedef struct { } Marker;\nvoid mark(Marker m);`)
  assert.match(error.message, /`Marker`: an empty struct has no C layout/)
  assert.match(error.message, /`mark`: it uses the struct `Marker`, which has no binding/)
})

test('integers that do not fit the C type throw instead of being truncated', async () => {
  const { js } = generate(`${prelude}
int32_t print_int(int32_t x);
uint8_t small(uint8_t x);
uint64_t wide(uint64_t x);
int c_int(int x, unsigned int y, long z, size_t n);`)
  const lib = await importWithStubLibrary(js)
  const printInt = lib.printInt as (x: unknown) => StubCall
  assert.throws(() => printInt(2 ** 40), { name: 'RangeError', message: 'x must be an integer from -2147483648 to 2147483647 (int32_t), got 1099511627776' })
  assert.throws(() => printInt(2.7), RangeError)
  assert.throws(() => printInt('3'), { name: 'TypeError', message: 'x must be a number (int32_t), got string' })
  assert.deepEqual(printInt(-5).args, [-5])
  assert.throws(() => (lib.small as (x: number) => unknown)(256), RangeError)
  const wide = lib.wide as (x: unknown) => StubCall
  assert.deepEqual(wide(2n ** 64n - 1n).args, [2n ** 64n - 1n])
  assert.throws(() => wide(-1), RangeError)
  assert.throws(() => wide(2n ** 64n), RangeError)
  assert.deepEqual((lib.cInt as (...a: number[]) => StubCall)(-1, 1, -2, 3).args, [-1, 1, -2, 3])
})

test('a pointer followed by an integer length is one typed array, whatever the names; never NULL when empty', async () => {
  const { js, dts } = generate(`${prelude}
void scale(double *p, uintptr_t n, double k);
int64_t sum(const int64_t *xs, uint32_t count);
int32_t first(const int32_t *a, int32_t len);
RustyStatus fill(double *out, uintptr_t out_len);`)
  assert.match(dts, /export declare function scale\(p: Float64Array, k: number\): void/)
  assert.match(dts, /export declare function sum\(xs: BigInt64Array\): number \| bigint/)
  assert.match(dts, /export declare function fill\(out: Float64Array\): void/)
  const lib = await importWithStubLibrary(js)
  const scale = lib.scale as (p: Float64Array, k: number) => StubCall
  const values = new Float64Array([1, 2])
  assert.deepEqual(scale(values, 2).args, [values, 2, 2])
  const empty = scale(new Float64Array(0), 2).args
  assert.ok(empty[0] instanceof Float64Array && (empty[0] as Float64Array).length > 0, 'an empty array passes a real buffer')
  assert.equal(empty[1], 0)
  assert.throws(() => scale([1, 2] as unknown as Float64Array, 2), { name: 'TypeError', message: 'p must be a Float64Array' })
  assert.deepEqual((lib.first as (a: Int32Array) => StubCall)(new Int32Array([4])).args[1], 1)
})

test('opaque types match the longest prefix (Parser and ParserOptions)', async () => {
  const { dts } = generate(`${prelude}
typedef struct Parser Parser;
typedef struct ParserOptions ParserOptions;
ParserOptions *parser_options_new(void);
void parser_options_free(ParserOptions *o);
void parser_options_set_strict(ParserOptions *o, bool strict);
Parser *parser_new(void);
void parser_free(Parser *p);
int32_t parser_parse(Parser *p, const char *text);`)
  assert.match(dts, /export declare class ParserOptions implements Disposable/)
  assert.match(dts, /set strict\(value: boolean\)/)
  assert.match(dts, /parse\(text: string\): number/)
})

test('Async variants run on the worker thread and return a Promise', async () => {
  const { js } = generate(templateHeader)
  const lib = await importWithStubLibrary(js)
  const result = await (lib.addAsync as (a: number, b: number) => Promise<StubCall>)(2, 3)
  assert.deepEqual(result, { name: 'add', args: [2, 3] })
  await assert.rejects(async () => (lib.addAsync as (a: number, b: number) => Promise<unknown>)(2 ** 40, 3), RangeError)
})

const unsupported: [string, string, RegExp][] = [
  ['a function pointer parameter', 'void on_event(void (*callback)(int32_t));', /`on_event`: function pointers/],
  ['a mutable char* parameter', 'void fill(char *buffer, int32_t n);', /`fill`: parameter `buffer: char \*` is ambiguous.*\*mut u8/],
  ['a void* parameter', 'void take(void *data);', /`take`: parameter `data: void \*`/],
  ['an array of a C type whose size varies', 'void grow(long *values, size_t n);', /`grow`: parameter `values: long \*` points to `long`, whose size differs between platforms.*; use a fixed-size element type/],
  ['a struct with a pointer field', 'typedef struct { const char *name; } Named;', /`Named`: its field `name/],
  ['an opaque type without a free function', 'typedef struct Handle Handle;\nint32_t handle_len(const Handle *h);', /`handle_len`: parameter `h: const Handle \*` is a Handle, which has no class \(no `handle_free`\); define `#\[no_mangle\] pub extern "C" fn handle_free/],
  ['a union', 'typedef union { int32_t a; float b; } Either;', /`Either`: unsupported type definition/],
  ['a variadic function', 'int32_t sum_all(int32_t n, ...);', /`sum_all`: variadic/],
  ['an array of arrays', 'typedef struct { double v[3][3]; } Mat3;', /`Mat3`: arrays of arrays are not supported .*; flatten it to one array/],
  ['a global', 'extern const int32_t LIMIT;', /`LIMIT`: global variables/],
  ['a borrowed opaque object', 'typedef struct Db Db;\nDb *db_new(void);\nvoid db_free(Db *db);\nconst Db *default_db(void);', /`default_db`: it returns a `const Db \*`, which JavaScript cannot own.*; return an owned `\*mut Db`/],
  ['a struct constant', 'typedef struct { int32_t a; } Foo;\n#define FOO_ZERO (Foo){ .a = 0 }', /`FOO_ZERO`: only number, bool and string constants/],
  [
    'a struct of a pointer whose size varies and a length',
    'typedef struct { long *ptr; uint32_t len; } Vec_long;\nvoid double_all(Vec_long *v);',
    /`double_all`: parameter `v: Vec_long \*` is a struct of a pointer and a length; pass the two as parameters instead: `fn double_all\(v: \*mut c_long, v_len: u32\)`/,
  ],
  [
    'a returned struct of pointer and length',
    'typedef struct { int64_t *ptr; uint32_t len; } Vec_i64;\nVec_i64 make(void);',
    /`make`: it returns a pointer and a length .*whose memory nothing would free/,
  ],
  [
    'a free function written the tutorial way',
    'void free_mem(char *c);',
    /`free_mem`: it looks like a function that frees a string .*rusty_string_free.*do not export it/,
  ],
]

for (const [what, declaration, message] of unsupported) {
  test(`refuses ${what}, naming it`, () => {
    const error = refusal(`${prelude}\n${declaration}`)
    assert.match(error.message, message)
    assert.match(error.hint ?? '', /README, "The koffi backend's conventions"/)
  })
}

test('every unsupported item is reported in one run', () => {
  const error = refusal(`${prelude}\nvoid take(void *data);\ndouble sum(long *values, size_t n);\ntypedef struct { } Marker;`)
  assert.equal(error.items.length, 3)
  assert.match(error.message, /^Cannot generate koffi bindings for 3 Rust items of demo:\n {2}- `Marker`/)
})

test('without rusty_last_error, fallible functions still bind, and a failure names the function', () => {
  const { js } = generate('typedef enum { RUSTY_STATUS_OK } RustyStatus;\n#include <stdint.h>\nRustyStatus go(void);\nRustyStatus stop(int32_t x);')
  assert.match(js, /= \$rustErrors\(\$lib, false\)$/m)
  assert.match(js, /if \(\$status !== 0\) throw \$failure\(\$status, "stop"\)/)
})

test('constant expressions wrap to the type they are cast to, as in C', async () => {
  const { js } = generate(`${prelude}
#define LARGE_SHIFT (uint64_t)(1ull << 44)
#define INVERTED (uint64_t)~LARGE_SHIFT
#define TOP (uint32_t)(1 << 31)
#define MINUS_ONE (uint8_t)-1`)
  const lib = await importWithStubLibrary(js)
  assert.deepEqual(
    { LARGE_SHIFT: lib.LARGE_SHIFT, INVERTED: lib.INVERTED, TOP: lib.TOP, MINUS_ONE: lib.MINUS_ONE },
    { LARGE_SHIFT: 2 ** 44, INVERTED: 2n ** 64n - 1n - 2n ** 44n, TOP: 2 ** 31, MINUS_ONE: 255 },
  )
})

test('a cpp_compat header binds like a plain C one', () => {
  const header = `#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

int32_t add(int32_t a, int32_t b);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus
`
  assert.match(generate(header).dts, /export declare function add\(a: number, b: number\): number/)
})

test('a refusal quotes at most a short excerpt of the C declaration', () => {
  const fields = Array.from({ length: 40 }, (_, i) => `  float f${i}[2][2];`).join('\n')
  const error = refusal(`${prelude}\ntypedef struct {\n${fields}\n} Big;`)
  assert.ok(error.message.length < 500, error.message)
  assert.match(error.message, /`Big`: arrays of arrays are not supported/)
})

test('integer and enum fields of a struct parameter are checked like parameters', async () => {
  const { js } = generate(`${prelude}
typedef enum { MODE_A = 1 } Mode;
typedef struct { uint8_t r; Mode mode; } Pixel;
typedef struct { Pixel pixel; double weight; } Sample;
void draw(Sample s);`)
  const lib = await importWithStubLibrary(js)
  const draw = lib.draw as (s: unknown) => StubCall
  const ok = { pixel: { r: 255, mode: 1 }, weight: 0.5 }
  assert.deepEqual(draw(ok).args, [ok])
  assert.throws(() => draw({ pixel: { r: 256, mode: 1 }, weight: 0.5 }), { name: 'RangeError', message: 's.pixel.r must be an integer from 0 to 255 (uint8_t), got 256' })
  assert.throws(() => draw({ pixel: { r: 1, mode: 2 }, weight: 0.5 }), { name: 'RangeError', message: 's.pixel.mode must be a Mode (one of 1), got 2' })
  assert.throws(() => draw(null), { name: 'TypeError', message: 's must be an object (Sample)' })
})

test('index.d.ts type-checks when Rust items take the names of the global types it uses', async () => {
  const ts = (await import('typescript')).default
  const { dts } = generate(`${prelude}
typedef struct { int32_t value; } Promise;
typedef enum { SYMBOL_A = 0 } Symbol;
typedef struct { double x; } Float64Array;
typedef struct Disposable Disposable;
Disposable *disposable_new(void);
void disposable_free(Disposable *d);
double sum(const double *xs, uintptr_t xs_len);
Promise make(Symbol s, Float64Array f);`)
  assert.match(dts, /export declare function sumAsync\(xs: globalThis\.Float64Array\): globalThis\.Promise<number>/)
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'index.d.ts'), dts)
  fs.writeFileSync(path.join(dir, 'use.ts'), "import { sum, sumAsync, Disposable } from './index.js'\nconst n: number = sum(new Float64Array(1))\nconst p: Promise<number> = sumAsync(new Float64Array(1))\nnew Disposable()[Symbol.dispose]()\nvoid n, p\n")
  const program = ts.createProgram([path.join(dir, 'use.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ['lib.esnext.d.ts'], types: [] })
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  assert.deepEqual(diagnostics, [])
})

test('the target is asked (rustc --print cfg) only for an #if on a macro beyond C and the header', async () => {
  const { needsTargetMacros } = await import('../../src/backends/koffi/target.js')
  assert.equal(needsTargetMacros(templateHeader), false)
  assert.equal(needsTargetMacros('#if __STDC_VERSION__ >= 202311L\n#endif\n#ifdef __cplusplus\n#endif'), false)
  assert.equal(needsTargetMacros('#if !defined(RUSTY_CFG_WINDOWS)\n#endif'), true)
})

test("the [defines] of cbindgen.toml are decided by the target's cfg and the enabled features", async () => {
  const { targetMacros } = await import('../../src/backends/koffi/target.js')
  const crate = tempDir()
  fs.writeFileSync(
    path.join(crate, 'cbindgen.toml'),
    '[defines]\n"unix" = "D_UNIX"\n"windows" = "D_WINDOWS"\n"target_os = linux" = "D_LINUX"\n"feature = fast" = "D_FAST"\n"feature = slow" = "D_SLOW"\n"feature = simd" = "D_SIMD"\n',
  )
  fs.writeFileSync(path.join(crate, 'Cargo.toml'), '[package]\nname = "x"\n\n[features]\ndefault = ["fast"]\nfast = ["simd"]\nsimd = []\nslow = []\n')
  const macros = await targetMacros(crate, undefined, [], [])
  const is = (holds: boolean) => (holds ? 'defined' : 'undefined')
  assert.deepEqual(
    ['D_UNIX', 'D_WINDOWS', 'D_LINUX', 'D_FAST', 'D_SLOW', 'D_SIMD', '__linux__', '_WIN32'].map((m) => [m, macros.defined.has(m) ? 'defined' : macros.undefined.has(m) ? 'undefined' : 'unknown']),
    [
      ['D_UNIX', is(process.platform !== 'win32')],
      ['D_WINDOWS', is(process.platform === 'win32')],
      ['D_LINUX', is(process.platform === 'linux')],
      ['D_FAST', 'defined'],
      ['D_SLOW', 'undefined'],
      ['D_SIMD', 'defined'],
      ['__linux__', is(process.platform === 'linux')],
      ['_WIN32', is(process.platform === 'win32')],
    ],
  )
  const noDefaults = await targetMacros(crate, undefined, ['slow'], ['--no-default-features'])
  assert.ok(noDefaults.defined.has('D_SLOW') && noDefaults.undefined.has('D_FAST'))
})

test('a #[repr(C)] struct of a pointer and a length is one typed array, by value or by pointer', async () => {
  const { js, dts } = generate(`${prelude}
typedef struct { int64_t *ptr; uint32_t len; } Vec_i64;
void double_all(Vec_i64 *v);
int64_t total(Vec_i64 v);`)
  assert.match(dts, /export declare function doubleAll\(v: BigInt64Array\): void/)
  assert.match(dts, /export declare function total\(v: BigInt64Array\): number \| bigint/)
  const lib = await importWithStubLibrary(js)
  const values = new BigInt64Array([1n, 2n])
  assert.deepEqual((lib.doubleAll as (v: BigInt64Array) => StubCall)(values).args, [{ ptr: values, len: 2 }])
  const empty = (lib.total as (v: BigInt64Array) => StubCall)(new BigInt64Array(0)).args[0] as { ptr: BigInt64Array; len: number }
  assert.ok(empty.ptr.length > 0 && empty.len === 0, 'an empty array passes a real buffer')
  assert.throws(() => (lib.total as (v: unknown) => unknown)([1n]), { name: 'TypeError', message: 'v must be a BigInt64Array' })
})

test("a pointer to a #[repr(C)] struct takes the object; a mutable one gets Rust's changes back", async () => {
  const { js, dts } = generate(`${prelude}
typedef struct { double x; int32_t n; } P;
typedef struct { double x; } Q;
void bump(P *p);
double get_x(const Q *q);`)
  assert.match(js, /\$lib\.func\("bump", 'void', \[\$koffi\.inout\(\$koffi\.pointer\(\$T_P\)\)\]\)/)
  assert.match(js, /\$lib\.func\("get_x", 'double', \[\$koffi\.pointer\(\$T_Q\)\]\)/)
  assert.match(dts, /export declare function bump\(p: P\): void/)
  const lib = await importWithStubLibrary(js)
  assert.throws(() => (lib.getX as (q: unknown) => unknown)(null), { name: 'TypeError', message: 'q must be an object (Q)' })
  assert.throws(() => (lib.bump as (p: unknown) => unknown)({ x: 1, n: 2 ** 40 }), RangeError)
})
