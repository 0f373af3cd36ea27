// Every refusal of the koffi bindings, each with its fix, all in one run
// (issue 27): a crate with several unbindable items learns all of them from
// one build, not one wave after another.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseHeader } from '../../src/backends/koffi/header.js'
import { generateBindings, UnsupportedDeclarationError } from '../../src/backends/koffi/bindings.js'

const prelude = `#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
typedef enum { RUSTY_STATUS_OK = 0, RUSTY_STATUS_ERROR = 1 } RustyStatus;
`

/** [declaration, the item named, the message (reason; fix)] */
const refusals: [string, string, RegExp][] = [
  ['void take(void *data);', 'take', /parameter `data: void \*` is untyped memory; take a typed pointer and its length/],
  ['double total(const long *values, size_t len);', 'total', /points to `long`, whose size differs between platforms, so no typed array fits it; use a fixed-size element type/],
  ['void name_of(int32_t id, char **name);', 'name_of', /`name: char \*\*` hands a string out through a pointer; return the string instead/],
  ['void join(const uint8_t **parts, size_t n);', 'join', /is a pointer to pointers .*; pass one buffer with the lengths of its parts/],
  ['void fill_name(char *name);', 'fill_name', /it looks like a function that frees a string .*; do not export it/],
  ['int32_t parse(char *text, int32_t base);', 'parse', /`text: char \*` is ambiguous .*; take `\*const c_char`/],
  ['typedef union { int32_t a; float b; } Either;', 'Either', /unions have no JavaScript binding.*; make it a `#\[repr\(C\)\]` struct with an enum tag/],
  [
    'typedef enum { Shape_Circle, Shape_Square } Shape_Tag;\ntypedef struct { Shape_Tag tag; union { struct { double r; }; struct { double side; }; }; } Shape;',
    'Shape',
    /a Rust enum with data \(cbindgen's tagged union\).*; make it a `#\[repr\(C\)\]` struct with a plain enum tag/,
  ],
  ['typedef void (*Callback)(int32_t value);', 'Callback', /callback\) types are not supported; callbacks have no binding/],
  ['void on_event(void (*cb)(int32_t));', 'on_event', /function pointers \(callbacks\) are not supported .*; callbacks have no binding/],
  ['int32_t sum_all(int32_t n, ...);', 'sum_all', /variadic functions are not supported; take a typed array/],
  ['extern const int32_t LIMIT;', 'LIMIT', /global variables .* are not supported; use a `pub const`/],
  ['typedef struct { double m[3][3]; } Mat3;', 'Mat3', /arrays of arrays are not supported .*; flatten it to one array/],
  ['typedef struct { uint32_t flag: 1; } Bits;', 'Bits', /bit fields are not supported .*; use a whole integer field/],
  ['void by_value(uint8_t cells[9]);', 'by_value', /is an array passed by value, which C passes as a pointer; take a reference to it: `cells: &\[u8; 9\]`/],
  ['typedef struct { const char *name; } Named;', 'Named', /its field `name: const char \*` .*; pass strings as parameters/],
  ['typedef struct { } Marker;', 'Marker', /an empty struct has no C layout .*; give it a field/],
  ['typedef struct Handle Handle;\nint32_t handle_len(const Handle *h);', 'handle_len', /is a Handle, which has no class \(no `handle_free`\); define .*fn handle_free/],
  ['typedef struct Db Db;\nDb *db_new(void);\nvoid db_free(Db *db);\nconst Db *default_db(void);', 'default_db', /which JavaScript cannot own .*; return an owned `\*mut Db`/],
  ['char *describe(int32_t x);', 'describe', /no `rusty_string_free` to give it back; define .*rusty_string_free/],
  ['typedef struct { int64_t *ptr; uint32_t len; } VecI64;\nVecI64 make(void);', 'make', /whose memory nothing would free; fill a typed array the caller passes/],
  ['RustyStatus lookup(int32_t key, const int32_t *out);', 'lookup', /its out parameter `out` must be a `T \*`; declare it `out: \*mut T`/],
  ['typedef struct { int32_t a; } Foo;\n#define FOO_ZERO (Foo){ .a = 0 }', 'FOO_ZERO', /only number, bool and string constants .*; make it a number, bool or string constant/],
  ['typedef enum { Mode_A, Mode_a } Mode;', 'Mode', /two variants become .*; rename one of the two variants/],
  ['int32_t delete(int32_t x);', 'delete', /reserved word .*; rename the Rust item/],
]

test('each refusal names the item, why, and the fix', () => {
  for (const [declaration, name, message] of refusals) {
    let error: unknown
    try {
      generateBindings(parseHeader(`${prelude}${declaration}`), { libraryFile: 'libdemo.so', packageName: 'demo', crateName: 'demo' })
    } catch (caught) {
      error = caught
    }
    assert.ok(error instanceof UnsupportedDeclarationError, `${name} is refused`)
    const item = error.items.find((i) => i.name === name)
    assert.ok(item, `${name} is named: ${error.message}`)
    assert.match(`${item.reason}; ${item.fix}`, message)
  }
})

test('one run lists every refusal of a header, each with a fix', () => {
  const header = `${prelude}${refusals.map(([declaration]) => declaration).join('\n')}`
  let error: unknown
  try {
    generateBindings(parseHeader(header), { libraryFile: 'libdemo.so', packageName: 'demo', crateName: 'demo' })
  } catch (caught) {
    error = caught
  }
  assert.ok(error instanceof UnsupportedDeclarationError)
  const names = new Set(error.items.map((item) => item.name))
  assert.deepEqual(
    refusals.map(([, name]) => name).filter((name) => !names.has(name)),
    [],
    error.message,
  )
  for (const item of error.items) assert.ok(item.fix.length > 10, `${item.name} has a fix`)
  assert.match(error.message, new RegExp(`^Cannot generate koffi bindings for ${names.size} Rust items of demo:\\n`))
})

test('a function with several bad parameters and a bad result has all of them named at once', () => {
  let error: unknown
  try {
    generateBindings(parseHeader(`${prelude}typedef struct Db Db;\nconst Db *mix(void *a, const long *b, size_t n, char *c);`), { libraryFile: 'l.so', packageName: 'demo', crateName: 'demo' })
  } catch (caught) {
    error = caught
  }
  assert.ok(error instanceof UnsupportedDeclarationError)
  assert.deepEqual(
    error.items.map((item) => item.reason.split(' ').slice(0, 3).join(' ')),
    ['it returns a', 'parameter `a: void', 'parameter `b: const', 'parameter `c: char'],
  )
})

test("a class's refused constructor does not hide its methods' problems", () => {
  let error: unknown
  try {
    generateBindings(parseHeader(`${prelude}typedef struct Db Db;\nDb *db_new(void *config);\nvoid db_free(Db *db);\nvoid db_load(Db *db, char **out);`), { libraryFile: 'l.so', packageName: 'demo', crateName: 'demo' })
  } catch (caught) {
    error = caught
  }
  assert.ok(error instanceof UnsupportedDeclarationError)
  assert.deepEqual(error.items.map((item) => item.name).sort(), ['db_load', 'db_new'])
})
