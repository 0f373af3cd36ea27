// The JavaScript side's names: which a Rust item may not take, and how C
// names become JavaScript ones.

// Names a Rust item may not take in JavaScript: reserved words (ECMA-262
// 13.1, strict mode), names a module export must not have (`then` makes the
// module a thenable, so `await import()` would hang), and `globalThis`.
export const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface ' +
    'package private protected public await arguments eval undefined NaN Infinity globalThis then'
  ).split(' '),
)

/** A property name as TypeScript accepts it (quoted when it is not an identifier). */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)
}

/** A koffi type name as part of an identifier: `unsigned long` is `unsigned_long`. */
export function ident(type: string): string {
  return type.replace(/\W+/g, '_')
}

/** `parser_options_new` is `parserOptionsNew`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** An enum variant's JavaScript name: `NOT_FOUND` and `NotFound` both become `NotFound`. */
export function variantName(name: string): string {
  if (!name.includes('_') && /[a-z]/.test(name)) return name[0]!.toUpperCase() + name.slice(1)
  const words = name.split('_').filter(Boolean)
  if (words.length === 0) return name
  return words.map((w) => (/[a-z]/.test(w) ? w[0]!.toUpperCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')
}

/** `ParserOptions` is `parser_options`: the prefix of its functions. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** `ParserOptions` is `PARSER_OPTIONS`: the prefix of its enum variants. */
export function screamingSnake(name: string): string {
  return snake(name).toUpperCase()
}
