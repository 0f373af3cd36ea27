// Copied by rusty into a wasm package's native/ folder. A panic in
// WebAssembly aborts the module: JavaScript sees `RuntimeError: unreachable`,
// and a panic inside an `async fn` (polled from a microtask) would be an
// uncaught exception that ends Node. rusty's entries (native/node.js,
// native/browser.js) pass the glue's exports through guardExports, and the
// glue queues its futures through queueTask, so that instead
//   - a sync call throws an Error with the panic's message and
//     `code: 'RUST_PANIC'` (the message comes from the crate's panic hook,
//     which stores it under Symbol.for('rusty.panic') on globalThis);
//   - a pending Promise of an async export rejects with that Error.
// Classes whose prototype has its own toString also print it in console.log.

const PANIC = Symbol.for('rusty.panic')
const inspect = Symbol.for('nodejs.util.inspect.custom')

/** @type {Set<(error: unknown) => void>} rejecters of the pending Promises of async exports */
const pending = new Set()

/**
 * The Error a trap becomes: for a WebAssembly.RuntimeError after the panic
 * hook stored a message, `new Error(message)` with `code: 'RUST_PANIC'` and
 * the RuntimeError as `cause`; anything else unchanged.
 *
 * @param {unknown} error what was thrown
 * @returns {unknown}
 */
export function panicError(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return error
  const message = globalThis[PANIC]
  if (typeof message !== 'string') return error
  delete globalThis[PANIC]
  const panic = new Error(message, { cause: error })
  panic.code = 'RUST_PANIC'
  return panic
}

/**
 * A Promise that settles as `promise` does, but rejects with the panic's
 * Error if the module traps while it is pending (see {@link queueTask}).
 *
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function track(promise) {
  return new Promise((resolve, reject) => {
    const settle = (error) => {
      pending.delete(settle)
      reject(panicError(error))
    }
    pending.add(settle)
    promise.then((value) => {
      pending.delete(settle)
      resolve(value)
    }, settle)
  })
}

/**
 * `fn` with panics turned into Errors: a throw becomes {@link panicError},
 * a returned Promise is {@link track}ed.
 *
 * @param {Function} fn
 * @returns {Function}
 */
function guard(fn) {
  const guarded = function (...args) {
    let result
    try {
      result = new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args)
    } catch (error) {
      throw panicError(error)
    }
    return result instanceof Promise ? track(result) : result
  }
  Object.defineProperty(guarded, 'name', { value: fn.name })
  return guarded
}

/** Wraps a class's own methods and accessors (static and prototype) in place. */
function guardClass(cls) {
  for (const target of [cls, cls.prototype]) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === 'constructor' || key === 'prototype' || key === 'length' || key === 'name') continue
      const d = Object.getOwnPropertyDescriptor(target, key)
      if (!d || !d.configurable) continue
      if (typeof d.value === 'function') d.value = guard(d.value)
      if (d.get) d.get = guard(d.get)
      if (d.set) d.set = guard(d.set)
      Object.defineProperty(target, key, d)
    }
  }
  if (Object.hasOwn(cls.prototype, 'toString') && !Object.hasOwn(cls.prototype, inspect)) {
    Object.defineProperty(cls.prototype, inspect, {
      value: function () {
        return this.toString()
      },
      configurable: true,
      writable: true,
    })
  }
  return cls
}

/**
 * The glue's exports with panics turned into Errors: functions wrapped,
 * classes changed in place (so `instanceof` and instances made by Rust are
 * unaffected; their constructors run through the glue's own class).
 *
 * @param {Record<string, unknown>} glue the glue module's namespace
 * @returns {Record<string, unknown>} the exports, by name
 */
export function guardExports(glue) {
  const out = {}
  for (const [name, value] of Object.entries(glue)) {
    if (typeof value !== 'function') out[name] = value
    else if (/^class\b/.test(Function.prototype.toString.call(value))) out[name] = guardClass(value)
    else out[name] = guard(value)
  }
  return out
}

/**
 * queueMicrotask for the glue's futures: runs `callback`, and when the module
 * traps there (a panic in an `async fn`) rejects every pending Promise of the
 * package's async exports with the panic's Error instead of throwing from
 * the microtask (which would end Node). With none pending, the trap is
 * reported with console.error (the panic hook has printed the panic).
 *
 * @param {() => void} callback
 * @returns {void}
 */
export function queueTask(callback) {
  queueMicrotask(() => {
    try {
      callback()
    } catch (error) {
      const panic = panicError(error)
      if (pending.size === 0) {
        console.error(panic)
        return
      }
      for (const reject of [...pending]) reject(panic)
    }
  })
}
