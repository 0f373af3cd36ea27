// Copied by rusty into a napi package's native/ folder; napi-rs's loader
// (native/index.js) calls tagPanics on the addon's exports before it
// re-exports them. napi-rs turns a caught panic into an Error with
// `code: 'GenericFailure'`, the code of every other Rust error; the crate's
// `rust/src/panics.rs` notes each panic's message, and the wrappers here ask
// it about every Error a call throws, so a panic gets `code: 'RUST_PANIC'` as
// on the koffi and wasm backends. A crate without that module exports no
// `__rustyTakePanic` and its exports are left exactly as napi-rs made them.

const TAKE = '__rustyTakePanic'

/**
 * Wraps the addon's functions, and the methods, accessors and static
 * methods of its classes, so that an Error they throw (or a Promise they
 * return rejects with) that comes from a Rust panic gets
 * `code: 'RUST_PANIC'`. Nothing else changes: arguments, `this`, return
 * values and other errors pass through; the cost is one extra JavaScript
 * call per call.
 *
 * @param {Record<string, unknown>} binding the addon's exports, changed in place
 * @param {string[]} classes the exported classes (from napi-rs's typings)
 * @returns {((error: unknown) => unknown) | undefined} the tagging function
 *   (for constructors, see classes.js), or undefined when the crate does not
 *   export `__rustyTakePanic`
 */
export function tagPanics(binding, classes) {
  const take = binding[TAKE]
  if (typeof take !== 'function') return undefined
  delete binding[TAKE]
  const tag = (error) => {
    if (error instanceof Error && error.code === 'GenericFailure' && take(String(error.message))) {
      error.code = 'RUST_PANIC'
    }
    return error
  }
  for (const [name, value] of Object.entries(binding)) {
    if (typeof value !== 'function') continue
    if (classes.includes(name)) {
      wrapMembers(value, tag)
      if (value.prototype) wrapMembers(value.prototype, tag)
    } else {
      binding[name] = wrapCall(value, tag)
    }
  }
  return tag
}

/**
 * A function that calls `fn` with the same `this` and arguments and passes
 * what it throws, or what the Promise it returns rejects with, through `tag`.
 *
 * @param {Function} fn
 * @param {(error: unknown) => unknown} tag
 * @returns {Function} with `fn`'s name and length
 */
export function wrapCall(fn, tag) {
  const wrapped = function () {
    let result
    try {
      result = Reflect.apply(fn, this, arguments)
    } catch (error) {
      throw tag(error)
    }
    if (result instanceof Promise) {
      return result.catch((error) => {
        throw tag(error)
      })
    }
    return result
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true })
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true })
  return wrapped
}

/** Wraps the own methods and accessors of `target` (a class or its prototype) in place. */
function wrapMembers(target, tag) {
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
    if (!descriptor.configurable || key === 'constructor' || key === 'prototype') continue
    const changed = { ...descriptor }
    if (typeof descriptor.value === 'function') changed.value = wrapCall(descriptor.value, tag)
    if (descriptor.get) changed.get = wrapCall(descriptor.get, tag)
    if (descriptor.set) changed.set = wrapCall(descriptor.set, tag)
    if (changed.value !== descriptor.value || changed.get !== descriptor.get || changed.set !== descriptor.set) {
      Object.defineProperty(target, key, changed)
    }
  }
}
