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
    binding[name] = classes.includes(name) ? tagClass(value, tag) : wrapCall(value, tag)
  }
  return tag
}

/**
 * A function that calls `fn` with the same `this` and arguments and passes
 * what it throws, or what the Promise it returns rejects with, through `tag`.
 *
 * @param {Function} fn
 * @param {(error: unknown) => unknown} tag
 * @param {Function} [named] whose name and length the result takes (default `fn`)
 * @returns {Function} with that name and length
 */
export function wrapCall(fn, tag, named = fn) {
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
  Object.defineProperty(wrapped, 'name', { value: named.name, configurable: true })
  Object.defineProperty(wrapped, 'length', { value: named.length, configurable: true })
  return wrapped
}

/**
 * The class as it is exported: its instance methods and accessors (on its
 * prototype, which napi-rs makes configurable) are wrapped in place. Its
 * static methods and factories napi-rs defines read-only and
 * non-configurable, so they cannot be replaced on the class (nor through a
 * Proxy of it); a class that has any is exported as a stand-in: a function
 * with the wrapped statics, the class's prototype and name, whose `new`
 * constructs the class itself. `instanceof` and instances made by Rust are
 * unchanged (they share the prototype).
 *
 * @param {Function} cls
 * @param {(error: unknown) => unknown} tag
 * @returns {Function} `cls`, or its stand-in
 */
function tagClass(cls, tag) {
  if (cls.prototype) wrapMembers(cls.prototype, tag)
  const statics = Reflect.ownKeys(cls).filter((key) => key !== 'length' && key !== 'name' && key !== 'prototype')
  const fixed = statics.some((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(cls, key)
    return !descriptor.configurable && (typeof descriptor.value === 'function' || descriptor.get || descriptor.set)
  })
  if (!fixed) {
    wrapMembers(cls, tag)
    return cls
  }
  const standIn = function () {}
  Object.defineProperty(standIn, 'name', { value: cls.name, configurable: true })
  Object.defineProperty(standIn, 'length', { value: cls.length, configurable: true })
  standIn.prototype = cls.prototype
  Object.setPrototypeOf(standIn, Object.getPrototypeOf(cls))
  for (const key of statics) {
    const descriptor = wrapDescriptor(Object.getOwnPropertyDescriptor(cls, key), tag, cls)
    Object.defineProperty(standIn, key, { ...descriptor, configurable: true })
  }
  // Calls and `new` go to the class itself; what a constructor throws is
  // tagged by the class guard's construct trap (classes.js), as for every class.
  return new Proxy(standIn, {
    apply: (_target, thisArg, args) => Reflect.apply(cls, thisArg, args),
    construct: (_target, args, newTarget) => Reflect.construct(cls, args, newTarget),
  })
}

/** Wraps the own methods and accessors of `target` (a prototype, or a class whose statics allow it) in place. */
function wrapMembers(target, tag) {
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key)
    if (!descriptor.configurable || key === 'constructor' || key === 'prototype') continue
    const changed = wrapDescriptor(descriptor, tag)
    if (changed !== descriptor) Object.defineProperty(target, key, changed)
  }
}

/**
 * `descriptor` with its function value, getter and setter wrapped (see
 * {@link wrapCall}); the same object when it has none. With `self`, the
 * functions are called with `this` = `self` (a class's statics, called on
 * its stand-in).
 */
function wrapDescriptor(descriptor, tag, self) {
  const wrap = (fn) => wrapCall(self === undefined ? fn : fn.bind(self), tag, fn)
  const changed = { ...descriptor }
  if (typeof descriptor.value === 'function') changed.value = wrap(descriptor.value)
  if (descriptor.get) changed.get = wrap(descriptor.get)
  if (descriptor.set) changed.set = wrap(descriptor.set)
  return changed.value !== descriptor.value || changed.get !== descriptor.get || changed.set !== descriptor.set ? changed : descriptor
}
