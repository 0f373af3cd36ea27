import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { RustyError } from '../errors.js'
import { projectPackageManager } from '../util/package-manager.js'

/**
 * The file a staged package is imported by: package.json's `exports["."]`
 * (a string, or its `import`/`node`/`default` condition), else `main`, else
 * the native loader (`native/index.js`, wasm's `native/node.js`), the first
 * that exists in `dir`.
 *
 * @param dir the staged package (its package.json, native/ and dist/)
 * @param packageJson the package's package.json, parsed
 * @returns an absolute path, or undefined when none exists
 */
export function packageEntry(dir: string, packageJson: Record<string, unknown>): string | undefined {
  const dot = (packageJson.exports as Record<string, unknown> | string | undefined) ?? undefined
  const root = typeof dot === 'object' && dot !== null && '.' in dot ? dot['.'] : dot
  const conditions = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : undefined
  const candidates = [
    typeof root === 'string' ? root : undefined,
    ...['import', 'node', 'default'].map((name) => (typeof conditions?.[name] === 'string' ? (conditions[name] as string) : undefined)),
    typeof packageJson.main === 'string' ? packageJson.main : undefined,
    'native/index.js',
    'native/node.js',
  ]
  return candidates.filter((c): c is string => c !== undefined).map((c) => path.resolve(dir, c)).find((file) => existsSync(file))
}

/**
 * Imports the staged package in a child Node process, as a user's
 * `import('pkg')` would (the package entry, which imports the binding), so
 * a build whose binding does not load, or whose wrapper does not match it,
 * never replaces the last good one. The staged folder is below the project
 * (`.rusty/stage`), so its dependencies (koffi) resolve from the project's
 * node_modules.
 *
 * @param dir the staged package
 * @param packageJson the package's package.json, parsed
 * @throws RustyError when the package does not load: for a dependency of
 *   package.json (`dependencies`, `peerDependencies`, `optionalDependencies`)
 *   that is not installed, with the project's package manager's install line
 *   (`npm install`, `pnpm i`, ...); else with the child's whole error, each
 *   cause on its own line (its `cause` chain). Nothing is committed then.
 */
export async function checkPackageLoads(dir: string, packageJson: Record<string, unknown>): Promise<void> {
  const entry = packageEntry(dir, packageJson)
  if (!entry) return
  const url = pathToFileURL(entry).href
  const { execa } = await import('execa')
  const result = await execa(process.execPath, ['--input-type=module', '-e', loadCheckScript(`await import(${JSON.stringify(url)})`)], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    env: { RUST_BACKTRACE: '0' },
  })
  if (result.exitCode === 0) return
  const messages = loadErrorOf({ stderr: String(result.stderr), exitCode: result.exitCode, signal: result.signal })
  const missing = missingDependency(messages.join('\n'), packageJson)
  if (missing) {
    throw new RustyError(`The new build cannot load: its dependency ${missing} is not installed; the previous build is unchanged.`, {
      // The staging folder is inside the project: the lookup walks up to its lockfile.
      hint: `Run \`${projectPackageManager(dir).format('install')}\` in the project (${missing} is in package.json).`,
    })
  }
  throw new RustyError('The new build does not load; the previous build is unchanged.', {
    cause: loadErrorCause(messages),
    hint: `Importing ${path.relative(dir, entry)} failed in a child process (the error is above); if it names rusty's generated code, please report it as a bug in rusty.`,
  })
}

/**
 * The package a load error says is not installed (Node's `Cannot find
 * package 'x'` for an ES import, `Cannot find module 'x'` for a require),
 * when package.json lists it in `dependencies`, `peerDependencies` or
 * `optionalDependencies`: a missing install, not a broken build.
 *
 * @param text the load error's lines
 * @returns the package's name (`koffi`, `@scope/name`), or undefined
 */
export function missingDependency(text: string, packageJson: Record<string, unknown>): string | undefined {
  const listed = new Set(
    ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => {
      const deps = packageJson[field]
      return typeof deps === 'object' && deps !== null ? Object.keys(deps) : []
    }),
  )
  for (const [, , specifier] of text.matchAll(/Cannot find (package|module) '([^']+)'/g)) {
    // A subpath import (`pkg/sub`, `@scope/pkg/sub`) names its package first.
    const name = specifier!.split('/').slice(0, specifier!.startsWith('@') ? 2 : 1).join('/')
    if (listed.has(name)) return name
  }
  return undefined
}

/** What a load check's child writes before the JSON list of its error's lines. */
export const LOAD_ERROR_MARK = 'rusty-load-error:'

/**
 * The ES module source a load check's child runs: `body` (top-level await
 * allowed), and for whatever it throws, the error and each cause (an array
 * cause, as napi-rs's loadErrors, in order) as `<name>: <message>` lines in
 * JSON after {@link LOAD_ERROR_MARK} on stderr, with exit code 1. Node's own
 * report of an uncaught error starts with the source line that threw, which
 * says nothing about why.
 */
export function loadCheckScript(body: string): string {
  return `
    const mark = ${JSON.stringify(LOAD_ERROR_MARK)}
    const describe = (error, depth = 0) => {
      if (!(error instanceof Error)) return [String(error)]
      const causes = error.cause === undefined || depth > 8 ? [] : (Array.isArray(error.cause) ? error.cause : [error.cause])
      return [error.name + ': ' + error.message, ...causes.flatMap((cause) => describe(cause, depth + 1))]
    }
    try {
      ${body}
    } catch (error) {
      process.stderr.write('\\n' + mark + JSON.stringify(describe(error)) + '\\n')
      process.exitCode = 1
    }
  `
}

/**
 * Why a load check's child process failed, in full: the error it caught
 * and each of its causes (`<name>: <message>`, messages whole, stack frames
 * left out), as it reported them after {@link LOAD_ERROR_MARK}; else, for a
 * child that crashed before it could (a signal, an abort in native code),
 * its stderr without stack frames, then its exit code or signal.
 *
 * @param result the child's stderr, exit code and signal
 * @returns the error's message first, then its causes; never empty
 */
export function loadErrorOf(result: { stderr: string; exitCode?: number; signal?: string }): string[] {
  const reported = result.stderr.split('\n').reverse().find((line) => line.startsWith(LOAD_ERROR_MARK))
  if (reported) {
    try {
      const messages = JSON.parse(reported.slice(LOAD_ERROR_MARK.length)) as unknown
      if (Array.isArray(messages) && messages.length > 0) return messages.map(String)
    } catch {
      // A line cut short (the child was killed while writing): read it as plain output below.
    }
  }
  const output = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !line.startsWith(LOAD_ERROR_MARK))
  const how = result.signal ? `was killed by ${result.signal} (the library crashed the process)` : `exited with code ${result.exitCode}`
  return [[...output, `the load check's node process ${how}`].join('\n')]
}

/**
 * {@link loadErrorOf}'s lines as an Error chain, the first line outermost,
 * for a RustyError's `cause`: the boundary prints each on its own
 * "Caused by:" line (src/boundary.ts).
 */
export function loadErrorCause(messages: string[]): Error | undefined {
  return messages.reduceRight<Error | undefined>((inner, message) => new Error(message, inner ? { cause: inner } : undefined), undefined)
}
