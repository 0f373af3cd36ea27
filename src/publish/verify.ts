import fs from 'node:fs/promises'
import path from 'node:path'
import { execa } from 'execa'
import { RustyError } from '../errors.js'
import { npmReason } from './npm.js'
import type { PackedPackage } from './pack.js'

/**
 * Installs the staged packages the way a user's app gets them and calls the
 * main package there: `npm install` of the tarballs of the main package and
 * of the host's platform package (those `npm publish` uploads, src/publish/pack.ts) into a temporary app
 * (`.rusty/publish/load-check/`, with the project's `.npmrc` so its registry
 * settings apply; the main package's own dependencies, e.g. koffi, come from
 * the registry), then, in a child Node process, `import(<name>)` by package
 * name and a call of its first exported function. A package that does not
 * install or load (a wrong `files` list, `exports`, a broken artifact) is
 * never published. A call that throws an ordinary Error (e.g. for missing
 * arguments) still proves the library loaded and ran; a failed load, a crash
 * or a non-Error does not. The temporary app, with its copy of `.npmrc`
 * (which may hold a token), is removed when the check ends, passed or not.
 *
 * @param host the staged platform package for this machine, if any
 * @param projectRoot the project's folder (for its `.npmrc`)
 * @returns the name of the function that was called
 * @throws RustyError naming the package and what went wrong
 */
export async function verifyStagedPackage(main: PackedPackage, host: PackedPackage | undefined, projectRoot: string): Promise<string> {
  const app = path.join(path.dirname(main.dir), 'load-check')
  await fs.rm(app, { recursive: true, force: true })
  try {
    await fs.mkdir(app, { recursive: true })
    await fs.writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name: 'rusty-load-check', private: true }, null, 2)}\n`)
    await fs.copyFile(path.join(projectRoot, '.npmrc'), path.join(app, '.npmrc')).catch(() => {})
    const tarballs = (host ? [host, main] : [main]).map((pkg) => pkg.tarball)
    const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs], { cwd: app, stdin: 'ignore', reject: false, all: true })
    if (install.failed) {
      throw new RustyError(`Refusing to publish ${main.name}@${main.version}: its packed tarballs do not install (${npmReason(install.all ?? '')}).`, {
        hint: 'The main package\'s dependencies must resolve from the registry; check the network and package.json "dependencies".',
      })
    }
    // The child reports what stopped it itself (after LOAD_ERROR_MARK): Node's
    // own report of an uncaught error starts with the source line that threw,
    // which says nothing about why.
    const script = `
      const mark = ${JSON.stringify(LOAD_ERROR_MARK)}
      // The error and each cause (an array cause, as napi-rs's loadErrors, in order), as name: message.
      const describe = (error, depth = 0) => {
        if (!(error instanceof Error)) return [String(error)]
        const causes = error.cause === undefined || depth > 8 ? [] : (Array.isArray(error.cause) ? error.cause : [error.cause])
        return [error.name + ': ' + error.message, ...causes.flatMap((cause) => describe(cause, depth + 1))]
      }
      try {
        const lib = await import(${JSON.stringify(main.name)})
        const name = Object.keys(lib).find((key) => typeof lib[key] === 'function' && !/^[A-Z]/.test(key))
          ?? Object.keys(lib).find((key) => typeof lib[key] === 'function')
        if (!name) throw new Error('the package exports no function')
        try { await lib[name]() } catch (error) { if (!(error instanceof Error)) throw error }
        console.log(name)
      } catch (error) {
        process.stderr.write('\\n' + mark + JSON.stringify(describe(error)) + '\\n')
        process.exitCode = 1
      }
    `
    const result = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: app, reject: false, env: { RUST_BACKTRACE: '0' } })
    if (result.failed) {
      const [first, ...causes] = loadErrorOf(result)
      const text = [first, ...causes].join('\n')
      // The whole error, each cause on its own "Caused by:" line (the boundary prints the chain).
      const cause = [first!, ...causes].reduceRight<Error | undefined>((inner, message) => new Error(message, inner ? { cause: inner } : undefined), undefined)
      throw new RustyError(`Refusing to publish ${main.name}@${main.version}: installed from its packed tarball${host ? ` with ${host.name}` : ''}, it does not load on this machine.`, {
        cause,
        hint: loadFailureHint(text, host?.kind === 'platform' ? host : undefined),
      })
    }
    return result.stdout.trim()
  } finally {
    await fs.rm(app, { recursive: true, force: true })
  }
}

/**
 * The fix for a load check's failure `text`: a loader asking for a platform
 * package under another name than the staged one (the package was renamed
 * after its loader was built), a file left out of the package, else a
 * broken artifact.
 *
 * @param host the staged platform package for this machine (its name and platform id), if any
 */
export function loadFailureHint(text: string, host: { name: string; platform: string } | undefined): string {
  const missing = [...text.matchAll(/Cannot find (?:package|module) '([^']+)'/g)].map((m) => m[1]!)
  const renamed = host && missing.find((name) => name !== host.name && name.endsWith(`-${host.platform}`))
  if (renamed) {
    return `The loader asks for ${renamed}, but the platform package is ${host.name}: the package was renamed after native/ was built. Run \`rusty build\` (or drop --no-build).`
  }
  return /ERR_MODULE_NOT_FOUND|Cannot find (package|module)/.test(text)
    ? 'A file the package needs is not packed: check package.json "files" and "exports".'
    : 'Rebuild with `rusty build` (a broken or truncated artifact in artifacts/ is the usual cause).'
}

/** What the load check's child writes before the JSON list of its error's lines. */
const LOAD_ERROR_MARK = 'rusty-load-error:'

/**
 * Why the load check's child process failed, in full: the error it caught
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
  return [[...output, `the test app's node process ${how}`].join('\n')]
}
