// Copied by rusty into a koffi package's native/ folder: the checks and
// conversions that the generated native/index.js shares, whatever the crate.
// (The parts that depend on the crate, such as struct checks, stay in
// index.js.) A separate module, so no Rust item of the crate can shadow the
// globals used here.
import koffi from 'koffi'

/**
 * The error helpers of a library: with `rusty_last_error()` (the message of
 * the last failed call on this thread, or NULL), its message; without it
 * (a crate that does not follow rusty's conventions), a message naming the
 * function that failed.
 *
 * @param {{ func: Function }} lib the library koffi loaded
 * @param {boolean} [hasLastError] whether the library exports `rusty_last_error`
 * @returns {{ failure: (status: number, name?: string) => Error, takeString: (text: string | null, name?: string) => string }}
 *   `failure`: the Error for a failed call of the C function `name` (status
 *   1 for an error or a NULL result, 2 for a panic, which sets
 *   `code: 'RUST_PANIC'`); `takeString`: a returned string, or for NULL
 *   throws the failure
 */
export function rustErrors(lib, hasLastError = true) {
  const lastError = hasLastError ? lib.func('rusty_last_error', 'const char *', []) : () => null
  /** The Error for a failed call: the message Rust left in rusty_last_error(), else one naming the function. */
  function failure(status, name) {
    const generic = name === undefined ? 'the Rust call failed without a message' : status === 1 ? `${name} failed (it returned NULL or an error status)` : `${name} failed (status ${status})`
    const error = new Error(lastError() ?? generic)
    if (status === 2) error.code = 'RUST_PANIC'
    return error
  }
  /** The string a call returned; NULL means it failed, with the reason in rusty_last_error(). */
  function takeString(text, name) {
    if (text === null) throw failure(1, name)
    return text
  }
  return { failure, takeString }
}

/**
 * The koffi type of a string Rust allocated and returns: koffi copies it
 * into a JavaScript string, then hands the pointer to the library's
 * `rusty_string_free`, exactly once. (koffi.decode and an explicit free
 * looked faster but leak about 17 bytes a call in koffi 3.3.)
 *
 * @param {{ func: Function }} lib the library koffi loaded
 * @returns {unknown} a koffi disposable type for `char *`
 */
export function ownedString(lib) {
  const stringFree = lib.func('rusty_string_free', 'void', ['void *'])
  return koffi.disposable('char *', (ptr) => stringFree(ptr))
}

/**
 * A 64-bit integer as koffi returns one: a number while it is exact, else a BigInt.
 *
 * @param {bigint} value
 * @returns {number | bigint}
 */
export function wide(value) {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value
}

/**
 * [min, max] of a C integer type on this platform (koffi knows its C data
 * model): numbers up to 32 bits, BigInts above.
 *
 * @param {string} type a koffi integer type, e.g. `'long'`
 * @param {boolean} signed
 * @returns {[number, number] | [bigint, bigint]}
 */
export function intRange(type, signed) {
  const bits = BigInt(koffi.sizeof(type) * 8)
  const [min, max] = signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n]
  return bits > 32n ? [min, max] : [Number(min), Number(max)]
}

/**
 * `value` as a C integer of `range`; a TypeError or RangeError (never a
 * silent truncation) otherwise. A BigInt in range is passed as a number when
 * the type is at most 32 bits wide.
 *
 * @param {unknown} value
 * @param {[number, number] | [bigint, bigint]} range from {@link intRange}
 * @param {string} name the parameter or field, for the message
 * @param {string} type the C type, for the message
 * @returns {number | bigint}
 */
export function checkInt(value, range, name, type) {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= range[0] && value <= range[1]) return value
  } else if (typeof value === 'bigint') {
    if (value >= range[0] && value <= range[1]) return typeof range[0] === 'bigint' ? value : Number(value)
  } else {
    throw new TypeError(`${name} must be a number (${type}), got ${typeof value}`)
  }
  throw new RangeError(`${name} must be an integer from ${range[0]} to ${range[1]} (${type}), got ${value}`)
}

/**
 * `value` if it is one of the enum's values (any other number is undefined
 * behaviour in Rust); a RangeError otherwise.
 *
 * @param {unknown} value
 * @param {Set<number>} values the enum's values
 * @param {string} name the parameter or field, for the message
 * @param {string} type the enum's name, for the message
 * @returns {number}
 */
export function checkEnum(value, values, name, type) {
  if (values.has(value)) return value
  throw new RangeError(`${name} must be a ${type} (one of ${[...values].join(', ')}), got ${typeof value === 'number' ? value : typeof value}`)
}

/**
 * `value` if it is an array of exactly `length` elements (a `[T; N]` field:
 * koffi would pad a shorter one with zeros and drop the rest of a longer
 * one); a TypeError or RangeError otherwise. Each element goes through
 * `check` when given.
 *
 * @param {unknown} value
 * @param {number} length the array's length in C
 * @param {string} name the field, for the message
 * @param {Function} [Typed] the typed array constructor the field takes (e.g. Uint8Array), else a plain array is expected
 * @param {(item: unknown, name: string) => unknown} [check] checks one element (an integer's range, an enum's values, a struct)
 * @returns {unknown}
 */
export function checkArray(value, length, name, Typed, check) {
  // A typed array's elements are in range by construction; a plain array's would be truncated by koffi unchecked.
  if (!(Typed !== undefined ? value instanceof Typed : Array.isArray(value))) {
    throw new TypeError(`${name} must be ${Typed ? `a ${Typed.name}` : 'an array'} of ${length} elements, got ${value === null ? 'null' : typeof value}`)
  }
  if (value.length !== length) throw new RangeError(`${name} must have ${length} elements, got ${value.length}`)
  if (check) for (let i = 0; i < length; i++) check(value[i], `${name}[${i}]`)
  return value
}
