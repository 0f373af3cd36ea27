import { BACKENDS, DEFAULT_BACKEND, type BackendName } from './backend-table.js'
import { CancelledError } from '../errors.js'

/**
 * Whether `rusty new` / `rusty init` may ask questions: not turned off
 * (`interactive: false`, `--no-interactive`), not told to take every default
 * (`yes`), and stdin is a terminal.
 */
export function canPrompt(options: { interactive?: boolean; yes?: boolean }): boolean {
  return options.interactive !== false && options.yes !== true && process.stdin.isTTY === true
}

/** The questions `new` and `init` ask (@clack/prompts); each returns the answer. */
export interface Prompts {
  /** Prints the title line that opens a series of questions. */
  intro(title: string): void
  text(options: { message: string; placeholder?: string; defaultValue?: string; initialValue?: string; validate?: (value: string | undefined) => string | undefined }): Promise<string>
  confirm(options: { message: string; initialValue?: boolean }): Promise<boolean>
  /** Which backend? Offers every backend of the table, by its label, the default first selected. */
  backend(): Promise<BackendName>
}

/**
 * Loads @clack/prompts (only when a question is asked) and wraps its
 * questions so that a cancelled one (Ctrl-C, Esc) prints
 * `Cancelled: nothing was written.` and throws.
 *
 * @throws CancelledError (exit 130) from any question the user cancels
 */
export async function openPrompts(): Promise<Prompts> {
  const prompts = await import('@clack/prompts')
  const answer = <T>(value: T): Exclude<T, symbol> => {
    if (prompts.isCancel(value)) {
      prompts.cancel('Cancelled: nothing was written.')
      throw new CancelledError()
    }
    return value as Exclude<T, symbol>
  }
  return {
    intro: (title) => prompts.intro(title),
    text: async (options) => answer(await prompts.text(options)),
    confirm: async (options) => answer(await prompts.confirm(options)),
    backend: async () =>
      answer(
        await prompts.select<BackendName>({
          message: 'Which backend?',
          initialValue: DEFAULT_BACKEND,
          options: BACKENDS.map((b) => ({ value: b.name, label: b.label })),
        }),
      ),
  }
}
