// Copied by rusty into a koffi package's native/ folder: the checks and
// conversions that the generated native/index.js shares, whatever the crate.
// (The parts that depend on the crate, such as struct checks, stay in
// index.js.) A separate module, so no Rust item of the crate can shadow the
// globals used here.
import koffi from 'koffi'

/**
 * The error helpers of a library that follows rusty's conventions: it
 * exports `rusty_last_error()` (the message of the last failed call on this
 * thread, or NULL).
 *
 * @param {{ func: Function }} lib the library koffi loaded
 * @returns {{ failure: (status: number) => Error, takeString: (text: string | null) => string }}
 *   `failure`: the Error for a failed call (status 2, a panic, sets
 *   `code: 'RUST_PANIC'`); `takeString`: a returned string, or for NULL
 *   throws the failure
 */
export function rustErrors(lib) {
  const lastError = lib.func('rusty_last_error', 'const char *', [])
  /** The Error for a failed call: the message Rust left in rusty_last_error(). */
  function failure(status) {
    const error = new Error(lastError() ?? 'the Rust call failed without a message')
    if (status === 2) error.code = 'RUST_PANIC'
    return error
  }
  /** The string a call returned; NULL means it failed, with the reason in rusty_last_error(). */
  function takeString(text) {
    if (text === null) throw failure(1)
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
