import { isRustyError } from './errors.js'

/**
 * The CLI's one error boundary: runs `run` and sets `process.exitCode`. A
 * RustyError prints `error: <message>` (and `hint: <hint>`) once, on stderr,
 * and exits with its exit code; anything else is a bug and prints its stack
 * with a request to report it (exit code 70, EX_SOFTWARE of sysexits.h).
 */
export async function withErrorBoundary(run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (isRustyError(error)) {
      process.stderr.write(`error: ${error.message}\n`)
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`)
      process.exitCode = error.exitCode
      return
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.stderr.write('rusty hit an unexpected error. This is a bug: please report it with the output above.\n')
    process.exitCode = 70
  }
}
