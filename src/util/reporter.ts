import { styleText } from 'node:util'
import type { spinner } from '@clack/prompts'

/**
 * How commands tell the user what they are doing. Progress goes to stderr so
 * that stdout stays for results (e.g. `rusty new --dry-run` prints its file
 * list there). On a TTY a step shows a spinner (@clack/prompts); elsewhere
 * (CI, pipes, tests) each step is one plain line, so logs stay readable.
 */
export interface Reporter {
  /** Starts a step: a spinner on a TTY, a `◇ msg` line otherwise. */
  start(message: string): void
  /** Ends the current step as done (`◆ msg`). */
  done(message: string): void
  /**
   * Ends the current step without a verdict so another process (cargo) can
   * write to the terminal: spinners must stop before cargo starts.
   */
  handOff(message: string): void
  /** A neutral note. */
  info(message: string): void
  /** Something the user should look at; not an error. */
  warn(message: string): void
}

type Style = Parameters<typeof styleText>[0]

/** A reporter writing to `stream` (default: process.stderr). `silent` drops everything. */
export function createReporter(options: { stream?: NodeJS.WriteStream; silent?: boolean } = {}): Reporter {
  if (options.silent) {
    const noop = () => {}
    return { start: noop, done: noop, handOff: noop, info: noop, warn: noop }
  }
  const stream = options.stream ?? process.stderr
  const colour = stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  const paint = (style: Style, text: string) => (colour ? styleText(style, text) : text)
  const line = (symbol: string, message: string) => {
    stop()
    stream.write(`${symbol} ${message}\n`)
  }
  // Spinners only where a person watches: a colour TTY outside CI. Only
  // then is @clack/prompts loaded (about a third of a no-op develop's module
  // loading otherwise); a step that starts before it has loaded is a plain line.
  const animated = colour && !process.env.CI
  let makeSpinner: typeof spinner | undefined
  if (animated) void import('@clack/prompts').then((prompts) => (makeSpinner = prompts.spinner), () => {})
  let spin: ReturnType<typeof spinner> | undefined
  const stop = () => {
    spin?.clear()
    spin = undefined
  }

  return {
    start(message) {
      if (!makeSpinner) return line(paint('cyan', '◇'), message)
      stop()
      spin = makeSpinner({ output: stream, withGuide: false })
      spin.start(message)
    },
    done: (message) => line(paint('green', '◆'), message),
    handOff: (message) => line(paint('cyan', '◇'), message),
    info: (message) => line(paint('blue', '│'), message),
    warn: (message) => line(paint('yellow', '▲'), message),
  }
}
