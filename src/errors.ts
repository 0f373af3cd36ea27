/**
 * Expected failures: bad input, a failed cargo build, a missing tool. The CLI's
 * one error boundary (`src/boundary.ts`) prints `message` (and `hint`) once, with no
 * stack, and exits with `exitCode`. Anything that is not a `RustyError` is a
 * bug and is printed with its stack.
 */
export class RustyError extends Error {
  /** Process exit code the CLI uses for this failure (default 1). */
  readonly exitCode: number
  /** One optional extra line telling the user how to fix it. */
  readonly hint?: string

  /**
   * @param message one line saying what went wrong
   * @param options `exitCode` (default 1), `hint` (how to fix it), `cause`
   */
  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RustyError'
    this.exitCode = options.exitCode ?? 1
    this.hint = options.hint
  }
}

/** The user cancelled (Ctrl-C at a prompt or during a build). Exit code 130, as shells use for SIGINT. */
export class CancelledError extends RustyError {
  constructor(message = 'Cancelled.') {
    super(message, { exitCode: 130 })
    this.name = 'CancelledError'
  }
}

/** True when `error` is an expected failure to print without a stack. */
export function isRustyError(error: unknown): error is RustyError {
  return error instanceof RustyError
}
