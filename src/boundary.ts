import { isRustyError } from './errors.js'
import { asUserError } from './system-errors.js'
import { redact } from './util/secrets.js'

/**
 * The CLI's one error boundary: runs `run` and sets `process.exitCode`. What
 * {@link reportError} prints, on stderr: a RustyError (or a file system
 * fault of the machine, see {@link asUserError}) as `error: <message>`, its
 * causes and its `hint`, with its exit code; anything else is a bug and
 * prints its stack with a request to report it (exit code 70, EX_SOFTWARE of
 * sysexits.h).
 */
export async function withErrorBoundary(run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    const { text, exitCode } = reportError(error)
    process.stderr.write(text)
    process.exitCode = exitCode
  }
}

/** What the boundary prints for an error, and the exit code it sets. */
export interface ErrorReport {
  /** The lines to print (each ends with a newline). */
  text: string
  exitCode: number
  /** True when the error is a bug in rusty (printed with its stack). */
  bug: boolean
}

/**
 * How an error is shown to the user, the same at the boundary and in
 * `develop --watch` (which reports and keeps watching):
 *
 * ```
 * error: <message>
 *   Caused by: <message of error.cause>
 *   Caused by: <message of its cause> ...
 * hint: <hint>
 * ```
 *
 * Every cause is printed, as maturin prints anyhow's chain, so a wrapped
 * error still shows where it came from. A non-RustyError that is not a file
 * system fault is a bug: its stack and each cause's stack, then a request to
 * report it, exit code 70.
 */
export function reportError(error: unknown): ErrorReport {
  const user = isRustyError(error) ? error : asUserError(error)
  if (user) {
    const lines = [`error: ${user.message}`, ...causesOf(user).map((cause) => indent(`Caused by: ${messageOf(cause)}`))]
    if (user.hint) lines.push(`hint: ${user.hint}`)
    // Credentials in URLs, npmrc values and the environment's tokens never reach the terminal (or a CI log), whichever cause carried them.
    return { text: redact(lines.map((line) => `${line}\n`).join('')), exitCode: user.exitCode, bug: false }
  }
  const stackOf = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e))
  const lines = [stackOf(error), ...causesOf(error).map((cause) => indent(`Caused by: ${stackOf(cause)}`))]
  lines.push('rusty hit an unexpected error. This is a bug: please report it with the output above.')
  return { text: redact(lines.map((line) => `${line}\n`).join('')), exitCode: 70, bug: true }
}

/** The chain `error.cause`, `error.cause.cause`, ... (at most 10, each once), without causes that repeat their parent's message. */
function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = []
  const seen = new Set<unknown>([error])
  let parent = error
  let cause = (error as { cause?: unknown } | null)?.cause
  while (cause !== undefined && cause !== null && !seen.has(cause) && chain.length < 10) {
    seen.add(cause)
    if (messageOf(cause) !== messageOf(parent)) chain.push(cause)
    parent = cause
    cause = (cause as { cause?: unknown }).cause
  }
  return chain
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Indents `text` by two spaces, and its further lines by four (a multi-line cause stays under its heading). */
function indent(text: string): string {
  return text
    .split('\n')
    .map((line, i) => `${i === 0 ? '  ' : '    '}${line}`)
    .join('\n')
}
