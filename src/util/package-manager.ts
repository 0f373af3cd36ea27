import { getUserAgent, resolveCommand, type Agent, type Command } from 'package-manager-detector'

/**
 * The package manager a user ran rusty with (npm, pnpm, yarn, bun), and the
 * exact command lines it uses. Detected by package-manager-detector from
 * `npm_config_user_agent`, which every one of them sets for the processes it
 * starts (`npx rusty-cli new`, `pnpm dlx`, `npm create rusty`, a
 * package.json script); npm when rusty was started directly (a global install).
 */
export interface PackageManager {
  /** The agent as package-manager-detector names it: `npm`, `pnpm`, `yarn`, `yarn@berry`, `bun`, ... */
  agent: Agent
  /** The program and its arguments for `command` (`install`, `execute-local`, `run`, ...) with `args`. */
  resolve(command: Command, args?: string[]): { command: string; args: string[] }
  /** The same as one line to print, e.g. `npx rusty develop` or `pnpm exec rusty develop`. */
  format(command: Command, args?: string[]): string
}

/** The package manager that started this process (see {@link PackageManager}); npm when none did. */
export function userPackageManager(): PackageManager {
  const agent: Agent = getUserAgent() ?? 'npm'
  const resolve = (command: Command, args: string[] = []) => {
    const resolved = resolveCommand(agent, command, args)
    // Every agent package-manager-detector knows has `install`, `run` and
    // `execute-local`; npm's own spelling is the fallback for the rest.
    return resolved ?? { command: 'npm', args: resolveCommand('npm', command, args)?.args ?? args }
  }
  return {
    agent,
    resolve,
    format: (command, args) => {
      const line = resolve(command, args)
      return [line.command, ...line.args].map(shellWord).join(' ')
    },
  }
}

/**
 * `word` as a POSIX shell reads it back: unchanged when it holds only safe
 * characters, else in single quotes (a `'` inside written as `'\''`), for
 * command lines rusty prints for the user to paste.
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
