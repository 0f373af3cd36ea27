import { RustyError } from '../errors.js'
import { canPrompt, openPrompts } from '../project/prompts.js'
import type { Reporter } from '../util/reporter.js'

/**
 * Shows `changes` (one line each) and gets the user's consent to apply them:
 * given by `--yes`, else asked for when interactive.
 *
 * @param what what the changes are, for the prompt and the error (`upgrade the old tools`)
 * @throws RustyError (exit 2) listing the changes and the exact fix when
 *   there is no consent (declined, or no terminal and no `--yes`); nothing
 *   has been written then
 */
export async function consentTo(
  changes: readonly string[],
  what: string,
  options: { yes?: boolean; interactive?: boolean; reporter: Reporter },
): Promise<void> {
  if (changes.length === 0) return
  options.reporter.info(`rusty init will ${what}:\n${changes.map((line) => `  ${line}`).join('\n')}`)
  if (options.yes) return
  if (canPrompt(options) && (await (await openPrompts()).confirm({ message: `Apply these changes (${what})?`, initialValue: true }))) return
  throw new RustyError(`rusty init needs to ${what}: ${changes.join('; ')}. Nothing was written.`, {
    exitCode: 2,
    hint: 'Run `rusty init --yes` to apply them, or make these changes yourself, then run rusty init again.',
  })
}
