import type { CommandUnknownOpts } from '@commander-js/extra-typings'

/**
 * `dist/help.json`: the help commander prints for `rusty --help` and
 * `rusty <command> --help`, rendered at build time from the program itself
 * (`scripts/bundle.mjs`), so that the common help requests are answered
 * without loading commander (src/main.ts). Keys are command names, `''` for
 * the program.
 */
export interface HelpPages {
  /** At 80 columns: what commander prints when stdout is not a terminal, or is one 80 columns wide. */
  narrow: Record<string, string>
  /**
   * Without any wrapping, with the longest line's length: what commander
   * prints on a terminal at least that wide (every line then fits, so it
   * wraps nothing).
   */
  wide: Record<string, { text: string; width: number }>
}

/** commander's width when stdout is not a terminal (commander `Help.prepareContext`). */
const DEFAULT_WIDTH = 80

/**
 * Renders the help of `program` and of each of its commands, as
 * {@link HelpPages}.
 *
 * @param program the CLI's commander program (`createProgram()`); its output
 *   settings are changed
 */
export function renderHelpPages(program: CommandUnknownOpts): HelpPages {
  const pages: HelpPages = { narrow: {}, wide: {} }
  for (const [name, command] of [['', program] as const, ...program.commands.map((c) => [c.name(), c] as const)]) {
    const at = (width: number) => {
      command.configureOutput({ getOutHelpWidth: () => width })
      return command.helpInformation()
    }
    pages.narrow[name] = at(DEFAULT_WIDTH)
    const text = at(Number.MAX_SAFE_INTEGER)
    pages.wide[name] = { text, width: Math.max(...text.split('\n').map((line) => line.length)) }
  }
  return pages
}

/**
 * The help page commander would print for `args`, when it is one that
 * {@link HelpPages} holds: `--help`, `-h` or `help` alone, `<command>
 * --help`, `<command> -h` or `help <command>`, for stdout `columns` wide
 * (undefined: not a terminal).
 *
 * @returns the text, or undefined when commander must answer
 */
export function helpPageFor(pages: HelpPages, args: string[], columns: number | undefined): string | undefined {
  const name = helpRequest(args)
  if (name === undefined) return undefined
  // Own keys only: `rusty help constructor` is an unknown command, not Object's.
  if (!Object.hasOwn(pages.wide, name) || !Object.hasOwn(pages.narrow, name)) return undefined
  const width = columns ?? DEFAULT_WIDTH
  const wide = pages.wide[name]!
  if (width >= wide.width) return wide.text
  return width === DEFAULT_WIDTH ? pages.narrow[name] : undefined
}

/**
 * The command whose help `args` asks for (`''` for the program), or
 * undefined when `args` is anything else.
 */
export function helpRequest(args: string[]): string | undefined {
  const isFlag = (arg: string | undefined) => arg === '--help' || arg === '-h'
  if (args.length === 1 && (isFlag(args[0]) || args[0] === 'help')) return ''
  if (args.length === 2 && args[0] === 'help' && !args[1]!.startsWith('-')) return args[1]
  if (args.length === 2 && isFlag(args[1]) && !args[0]!.startsWith('-')) return args[0]
  return undefined
}
