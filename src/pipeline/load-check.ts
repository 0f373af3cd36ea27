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
 * @throws RustyError with the child's error when the package does not load
 *   (with an `npm install` hint when koffi is missing); nothing is committed then
 */
export async function checkPackageLoads(dir: string, packageJson: Record<string, unknown>): Promise<void> {
  const entry = packageEntry(dir, packageJson)
  if (!entry) return
  const url = pathToFileURL(entry).href
  const { execa } = await import('execa')
  const result = await execa(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
  })
  if (result.exitCode === 0) return
  const stderr = String(result.stderr)
  const reason = /^(\w*Error[^\n]*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n').at(-1) ?? `exit code ${result.exitCode}`
  if (/Cannot find (package|module) 'koffi'/.test(stderr)) {
    throw new RustyError('The project has no koffi installed, so the new build cannot load; the previous build is unchanged.', {
      // The staging folder is inside the project: the lookup walks up to its lockfile.
      hint: `Run \`${projectPackageManager(dir).format('install')}\` in the project (koffi is one of its dependencies).`,
    })
  }
  throw new RustyError(`The new build does not load (${reason}); the previous build is unchanged.`, {
    hint: `Importing ${path.relative(dir, entry)} failed in a child process; if the message names rusty's generated code, please report it as a bug in rusty.`,
  })
}
