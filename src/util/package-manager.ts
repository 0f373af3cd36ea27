import fs from 'node:fs'
import path from 'node:path'
import { AGENTS, LOCKS, resolveCommand, type Agent, type AgentName, type Command } from 'package-manager-detector'
import { resolveAgent } from 'package-manager-detector/detect'

/**
 * A package manager (npm, pnpm, yarn, bun) and the exact command lines it
 * uses, as package-manager-detector spells them (`resolveCommand`).
 */
export interface PackageManager {
  /** The agent as package-manager-detector names it: `npm`, `pnpm`, `yarn` (1.x), `yarn@berry` (2+), `bun`, ... */
  agent: Agent
  /** The program and its arguments for `command` (`install`, `add`, `execute-local`, `run`, ...) with `args`. */
  resolve(command: Command, args?: string[]): { command: string; args: string[] }
  /** The same as one line to print, e.g. `npx rusty develop` or `pnpm exec rusty develop`. */
  format(command: Command, args?: string[]): string
}

/** The {@link PackageManager} of `agent`. */
export function packageManager(agent: Agent): PackageManager {
  const resolve = (command: Command, args: string[] = []) => {
    const resolved = resolveCommand(agent, command, args)
    // Every agent package-manager-detector knows has `install`, `add`, `run`
    // and `execute-local`; npm's own spelling is the fallback for the rest.
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
 * The package manager that started this process, from
 * `npm_config_user_agent`, which every one of them sets for the processes it
 * starts (`npx rusty-cli new`, `pnpm dlx`, `yarn create rusty`, a
 * package.json script) as `<name>/<version> npm/? node/<version> ...`; the
 * version tells Yarn 1 (`yarn`) from Yarn 2+ (`yarn@berry`). npm when rusty
 * was started directly (a global install).
 */
export function userPackageManager(): PackageManager {
  const [name, version] = (process.env.npm_config_user_agent ?? '').split(' ')[0]?.split('/') ?? []
  const known = name !== undefined && (AGENTS as readonly string[]).includes(name) ? resolveAgent(name as AgentName, version) : undefined
  return packageManager(known?.agent ?? 'npm')
}

/**
 * The package manager of the project at `root`, for every hint that names
 * one (`pnpm add -D …`, `yarn install`): package-manager-detector's
 * strategies, lockfile first then package.json's `packageManager` field, in
 * `root` and each folder above it (a workspace's lockfile is at its root).
 * A `yarn.lock` is Yarn 2+ when it has Yarn 2+'s `__metadata` block (Yarn
 * 1's starts `# yarn lockfile v1`) or package.json names yarn ≥ 2. When the
 * project has neither (not installed yet), the package manager that started
 * rusty ({@link userPackageManager}).
 *
 * Synchronous (hints are built where errors are thrown); reads at most a
 * lockfile's first 4 KiB and one package.json per folder.
 */
export function projectPackageManager(root: string): PackageManager {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const fromField = packageManagerField(dir)
    const lock = Object.entries(LOCKS).find(([file]) => isFile(path.join(dir, file)))
    if (lock !== undefined) {
      if (fromField) return packageManager(fromField)
      const [file, name] = lock
      if (name === 'yarn' && isYarnBerryLock(path.join(dir, file))) return packageManager('yarn@berry')
      if ((AGENTS as readonly string[]).includes(name)) return packageManager(name as Agent)
    }
    if (fromField) return packageManager(fromField)
    if (path.dirname(dir) === dir) return userPackageManager()
  }
}

/** The agent package.json's `packageManager` field in `dir` names (`pnpm@10.2.0` → pnpm), if any. */
function packageManagerField(dir: string): Agent | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { packageManager?: unknown }
    if (typeof pkg.packageManager !== 'string') return undefined
    // Corepack's form: `<name>@<version>[+<hash>]`.
    const [name, version] = pkg.packageManager.replace(/^\^/, '').split('@')
    return resolveAgent(name as AgentName, version?.split('+')[0])?.agent
  } catch {
    return undefined
  }
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false
}

function isYarnBerryLock(file: string): boolean {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(4096)
    const read = fs.readSync(fd, head, 0, head.length, 0)
    return /^__metadata:/m.test(head.subarray(0, read).toString('utf8'))
  } finally {
    fs.closeSync(fd)
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
