// Refusals: the declarations the koffi bindings cannot express, and the one
// error that names all of them.
import { RustyError } from '../../errors.js'

/** The README section that lists the supported shapes and helper functions (hints point there; also in node_modules/rusty-cli/README.md). */
export const CONVENTIONS_URL = 'https://www.npmjs.com/package/rusty-cli#the-koffi-backends-conventions'

/** One Rust item the bindings cannot express: its name, why, its C declaration, and the change that makes it bind. */
export interface UnsupportedItem {
  name: string
  reason: string
  source: string
  /** What to change in the Rust item (or rust/cbindgen.toml) so that it binds, or how to keep it out of the header. */
  fix: string
}

/**
 * The error for the declarations the bindings cannot express, all of them
 * in one message: each names the Rust item, why, its C declaration and the fix.
 */
export class UnsupportedDeclarationError extends RustyError {
  constructor(
    readonly items: UnsupportedItem[],
    crateName: string,
  ) {
    const line = (item: UnsupportedItem) =>
      `\`${item.name}\`: ${item.reason}; ${item.fix} (C: \`${clip(item.source.replace(/;$/, ''))};\`)`
    super(
      items.length === 1
        ? `Cannot generate a koffi binding for the Rust item ${line(items[0]!)}.`
        : `Cannot generate koffi bindings for ${new Set(items.map((item) => item.name)).size} Rust items of ${crateName}:\n${items.map((item) => `  - ${line(item)}`).join('\n')}`,
      {
        hint: `Change each item to a supported shape (README, "The koffi backend's conventions": ${CONVENTIONS_URL}), or keep it out of the C header (not \`pub extern "C"\` / \`#[no_mangle]\`).`,
      },
    )
    this.name = 'UnsupportedDeclarationError'
  }
}

/** A C declaration for a message: at most 160 characters, whitespace-normalised. */
function clip(source: string): string {
  const text = source.replace(/\s+/g, ' ').trim()
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/**
 * Declarations refused while planning (one, or every problem of one
 * function); collected so that every one is reported (see {@link refuse}).
 */
export class Refusal extends Error {
  constructor(readonly items: UnsupportedItem[]) {
    super(items.map((item) => item.reason).join('; '))
  }
}

/**
 * Refuses `declaration` for `reason`, with the `fix` that makes it bind.
 *
 * @throws Refusal always, which generateBindings collects into an UnsupportedDeclarationError
 */
export function refuse(declaration: { name: string; source: string }, reason: string, fix: string): never {
  throw new Refusal([{ name: declaration.name, reason, source: declaration.source, fix }])
}

