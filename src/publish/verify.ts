import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { RustyError } from '../errors.js'
import { npmReason } from './npm.js'
import type { PackedPackage } from './pack.js'
import { loadCheckScript, loadErrorCause, loadErrorOf } from '../pipeline/load-check.js'

/**
 * Installs the staged packages the way a user's app gets them and calls the
 * main package there: `npm install` of the tarballs of the main package and
 * of the host's platform package (those `npm publish` uploads, src/publish/pack.ts) into a temporary app
 * (`.rusty/publish/load-check/`, with the project's `.npmrc` as npm's global
 * config file so its registry settings apply without a copy of it; the main
 * package's own dependencies, e.g. koffi, come from the registry), then, in a child Node process, `import(<name>)` by package
 * name and a call of its first exported function. A package that does not
 * install or load (a wrong `files` list, `exports`, a broken artifact) is
 * never published. A call that throws an ordinary Error (e.g. for missing
 * arguments) still proves the library loaded and ran; a failed load, a crash
 * or a non-Error does not. The temporary app is removed when the check
 * ends, passed or not, and by the next build if a kill skipped that.
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
    // The project's .npmrc (it may hold a token) is read in place, never
    // copied: npm's project config is the .npmrc of the folder it installs
    // into, so it goes in as the global config file (npm_config_globalconfig,
    // npm's `globalconfig` setting), the one layer a user rarely has, which
    // keeps the user's own ~/.npmrc (userconfig) too; where both set a key,
    // the user's wins, as the user's own app would install it.
    const npmrc = path.join(projectRoot, '.npmrc')
    const env = existsSync(npmrc) ? { npm_config_globalconfig: npmrc } : {}
    const tarballs = (host ? [host, main] : [main]).map((pkg) => pkg.tarball)
    const install = await execa('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs], { cwd: app, env, stdin: 'ignore', reject: false, all: true })
    if (install.failed) {
      throw new RustyError(`Refusing to publish ${main.name}@${main.version}: its packed tarballs do not install (${npmReason(install.all ?? '')}).`, {
        hint: 'The main package\'s dependencies must resolve from the registry; check the network and package.json "dependencies".',
      })
    }
    const script = loadCheckScript(`
      const lib = await import(${JSON.stringify(main.name)})
      const name = Object.keys(lib).find((key) => typeof lib[key] === 'function' && !/^[A-Z]/.test(key))
        ?? Object.keys(lib).find((key) => typeof lib[key] === 'function')
      if (!name) throw new Error('the package exports no function')
      try { await lib[name]() } catch (error) { if (!(error instanceof Error)) throw error }
      console.log(name)
    `)
    const result = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: app, reject: false, env: { RUST_BACKTRACE: '0' } })
    if (result.failed) {
      const messages = loadErrorOf(result)
      const text = messages.join('\n')
      // The whole error, each cause on its own "Caused by:" line (the boundary prints the chain).
      const cause = loadErrorCause(messages)
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
