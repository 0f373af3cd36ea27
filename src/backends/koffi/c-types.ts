// The C side of the mapping: C's scalar types and how JavaScript sees each
// (koffi's name, the TypeScript type, a typed array, range checks), the
// conventions' fixed names, and the Rust spelling of C types for hints.
import type { CDeclaration, CField, CType } from './header.js'

/** A declaration of one kind, e.g. `Decl<'struct'>`. */
export type Decl<K extends CDeclaration['kind']> = Extract<CDeclaration, { kind: K }>

/** A C integer or floating type and how JavaScript sees it. */
export interface Numeric {
  /** koffi's name of the type. */
  koffi: string
  /** TypeScript type of a value. */
  ts: string
  /** Typed array for `T *p, <int> len`, if the element size is the same on every platform. */
  array?: string
  /** Whether it may be 64 bits wide: koffi gives a BigInt past Number.MAX_SAFE_INTEGER. */
  wide?: boolean
  /** Integer (range-checked) or floating/bool (type-checked by koffi). */
  integer?: 'signed' | 'unsigned'
}

const int = (koffi: string, integer: 'signed' | 'unsigned', array?: string, wide = false): Numeric => ({
  koffi,
  ts: wide ? 'number | bigint' : 'number',
  array,
  wide,
  integer,
})

// C scalar types (koffi docs, "Primitive types"): fixed width, and C's own
// integer types, whose size koffi takes from the platform's C data model.
export const SCALARS: Record<string, Numeric> = {
  bool: { koffi: 'bool', ts: 'boolean' },
  int8_t: int('int8_t', 'signed', 'Int8Array'),
  uint8_t: int('uint8_t', 'unsigned', 'Uint8Array'),
  int16_t: int('int16_t', 'signed', 'Int16Array'),
  uint16_t: int('uint16_t', 'unsigned', 'Uint16Array'),
  int32_t: int('int32_t', 'signed', 'Int32Array'),
  uint32_t: int('uint32_t', 'unsigned', 'Uint32Array'),
  int64_t: int('int64_t', 'signed', 'BigInt64Array', true),
  uint64_t: int('uint64_t', 'unsigned', 'BigUint64Array', true),
  intptr_t: int('intptr_t', 'signed', undefined, true),
  uintptr_t: int('uintptr_t', 'unsigned', undefined, true),
  size_t: int('size_t', 'unsigned', undefined, true),
  ptrdiff_t: int('intptr_t', 'signed', undefined, true),
  ssize_t: int('intptr_t', 'signed', undefined, true),
  char: int('char', 'signed'),
  'signed char': int('int8_t', 'signed', 'Int8Array'),
  'unsigned char': int('uint8_t', 'unsigned', 'Uint8Array'),
  short: int('short', 'signed', 'Int16Array'),
  'short int': int('short', 'signed', 'Int16Array'),
  'signed short': int('short', 'signed', 'Int16Array'),
  'unsigned short': int('unsigned short', 'unsigned', 'Uint16Array'),
  'unsigned short int': int('unsigned short', 'unsigned', 'Uint16Array'),
  int: int('int', 'signed', 'Int32Array'),
  signed: int('int', 'signed', 'Int32Array'),
  'signed int': int('int', 'signed', 'Int32Array'),
  unsigned: int('unsigned int', 'unsigned', 'Uint32Array'),
  'unsigned int': int('unsigned int', 'unsigned', 'Uint32Array'),
  long: int('long', 'signed', undefined, true),
  'long int': int('long', 'signed', undefined, true),
  'signed long': int('long', 'signed', undefined, true),
  'unsigned long': int('unsigned long', 'unsigned', undefined, true),
  'unsigned long int': int('unsigned long', 'unsigned', undefined, true),
  'long long': int('long long', 'signed', 'BigInt64Array', true),
  'long long int': int('long long', 'signed', 'BigInt64Array', true),
  'unsigned long long': int('unsigned long long', 'unsigned', 'BigUint64Array', true),
  'unsigned long long int': int('unsigned long long', 'unsigned', 'BigUint64Array', true),
  char16_t: int('uint16_t', 'unsigned', 'Uint16Array'),
  char32_t: int('uint32_t', 'unsigned', 'Uint32Array'),
  float: { koffi: 'float', ts: 'number', array: 'Float32Array' },
  double: { koffi: 'double', ts: 'number', array: 'Float64Array' },
}

/** The status enum of fallible functions (README, "The koffi backend's conventions"). */
export const STATUS_TYPE = 'RustyStatus'
/** The function that returns the message of the last failure on this thread. */
export const LAST_ERROR = 'rusty_last_error'
/** The function that frees a string Rust returned. */
export const STRING_FREE = 'rusty_string_free'

/** Whether each integer koffi type is signed or unsigned. */
export const SCALARS_BY_KOFFI = new Map(Object.values(SCALARS).flatMap((s) => (s.integer ? [[s.koffi, s.integer] as const] : [])))

// Integer types whose range a 32-bit bit operation checks, with that operation (`V` is the value).
export const FAST_CHECKS: Record<string, string> = {
  int8_t: '(V << 24 >> 24)',
  uint8_t: '(V & 0xff)',
  int16_t: '(V << 16 >> 16)',
  short: '(V << 16 >> 16)',
  uint16_t: '(V & 0xffff)',
  'unsigned short': '(V & 0xffff)',
  int32_t: '(V | 0)',
  int: '(V | 0)',
  uint32_t: '(V >>> 0)',
  'unsigned int': '(V >>> 0)',
}

/** `{ T *ptr; <int> len; }`: a list handed over C-style. */
export function pointerAndLength(s: Decl<'struct'>): { pointer: CField; length: CField } | undefined {
  const [a, b] = s.fields
  if (s.fields.length !== 2 || !a || !b) return undefined
  const isPointer = (f: CField) => f.type.pointers === 1 && f.type.base in SCALARS && f.array === undefined
  const isLength = (f: CField) => f.type.pointers === 0 && SCALARS[f.type.base]?.integer !== undefined && f.array === undefined
  if (isPointer(a) && isLength(b)) return { pointer: a, length: b }
  if (isPointer(b) && isLength(a)) return { pointer: b, length: a }
  return undefined
}

const RUST_INTS: Record<string, string> = {
  int8_t: 'i8', uint8_t: 'u8', int16_t: 'i16', uint16_t: 'u16', int32_t: 'i32', uint32_t: 'u32', int64_t: 'i64', uint64_t: 'u64',
  intptr_t: 'isize', uintptr_t: 'usize', size_t: 'usize', float: 'f32', double: 'f64', bool: 'bool',
  int: 'c_int', 'unsigned int': 'c_uint', long: 'c_long', 'unsigned long': 'c_ulong', char: 'c_char',
}

/** The Rust spelling of a C type for a hint: `uint32_t` is `u32`, `int` is `c_int`. */
export function rustInt(base: string): string {
  return RUST_INTS[base] ?? base
}

/** The Rust spelling of a C pointer type for a hint, e.g. `*mut f64`. */
export function rustPointer(t: CType): string {
  return `${t.isConst ? '*const' : '*mut'} ${rustInt(t.base)}`
}

/**
 * The scalar type `t` is, directly or through a `typedef` of a scalar in
 * `aliases`; undefined for pointers and everything else.
 */
export function scalarOf(t: CType, ctx: { aliases: Map<string, Decl<'alias'>> }): Numeric | undefined {
  if (t.pointers !== 0) return undefined
  if (t.base in SCALARS) return SCALARS[t.base]
  const alias = ctx.aliases.get(t.base)
  return alias && alias.type.pointers === 0 && alias.type.base in SCALARS ? SCALARS[alias.type.base] : undefined
}
