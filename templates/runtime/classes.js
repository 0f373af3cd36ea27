// Copied by rusty into a napi package's native/ folder; napi-rs's loader
// (native/index.js) calls guardClasses on the addon's exports before it
// re-exports them. It makes the classes the Rust crate exports behave like
// JavaScript classes (and like wasm-bindgen's): calling one without `new`
// throws a TypeError, and console.log shows the Rust `toString`.

const inspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * Replaces each named class in `binding` (the addon's exports object) by a
 * Proxy of it that throws a TypeError when called without `new` (a napi-rs
 * constructor called that way would wrap `this`, i.e. the module object or
 * globalThis, and return nothing useful). `new`, static methods, `instanceof`
 * and instances made by Rust are unchanged: the Proxy forwards them to the
 * class. A class whose prototype has its own `toString` (a Rust method
 * exported with `js_name = "toString"`, e.g. from `Display`) also gets a
 * `util.inspect` hook, so `console.log(x)` prints that string instead of
 * `Point {}`.
 *
 * @param {Record<string, unknown>} binding the addon's exports, changed in place
 * @param {string[]} names the exported classes (from napi-rs's typings)
 * @param {(error: unknown) => unknown} [tag] passes what a constructor
 *   throws through it (`tagPanics` from panic-codes.js), when given
 * @returns {void}
 */
export function guardClasses(binding, names, tag) {
  for (const name of names) {
    const cls = binding[name]
    if (typeof cls !== 'function') continue
    const proto = cls.prototype
    if (proto && Object.hasOwn(proto, 'toString') && !Object.hasOwn(proto, inspect)) {
      Object.defineProperty(proto, inspect, {
        value: function () {
          return this.toString()
        },
        configurable: true,
        writable: true,
      })
    }
    const handler = {
      apply() {
        throw new TypeError(`Class constructor ${name} cannot be invoked without 'new'`)
      },
    }
    if (tag) {
      handler.construct = (target, args, newTarget) => {
        try {
          return Reflect.construct(target, args, newTarget)
        } catch (error) {
          throw tag(error)
        }
      }
    }
    const guarded = new Proxy(cls, handler)
    // So that `instance.constructor === Class` holds for the exported class.
    const ctor = proto && Object.getOwnPropertyDescriptor(proto, 'constructor')
    if (ctor?.configurable) Object.defineProperty(proto, 'constructor', { ...ctor, value: guarded })
    binding[name] = guarded
  }
}
