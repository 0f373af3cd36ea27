import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { execa } from 'execa'
import { RustyError } from '../errors.js'
import type { StagedPackage } from './packages.js'

/**
 * Loads the staged main package in a child Node process, with the host's
 * platform package where its loader looks for it, and calls its first
 * exported function: a package that does not load is never published. A call
 * that throws an ordinary Error (e.g. for missing arguments) still proves the
 * library loaded and ran; a failed load, a crash or a non-Error does not.
 *
 * @param host the staged platform package for this machine, if any
 * @returns the name of the function that was called
 * @throws RustyError naming the package and what went wrong
 */
export async function verifyStagedPackage(main: StagedPackage, host: StagedPackage | undefined): Promise<string> {
  const modules = path.join(path.dirname(main.dir), 'node_modules')
  await fs.rm(modules, { recursive: true, force: true })
  if (host) {
    // The main package resolves `<name>-<platform>` from its own folder
    // upward; this is the first node_modules on that way.
    const link = path.join(modules, ...host.name.split('/'))
    await fs.mkdir(path.dirname(link), { recursive: true })
    await fs.symlink(host.dir, link, 'dir')
  }
  const pkg = JSON.parse(await fs.readFile(path.join(main.dir, 'package.json'), 'utf8')) as { main?: string; exports?: unknown }
  const entry = pathToFileURL(path.join(main.dir, entryOf(pkg))).href
  const script = `
    const lib = await import(${JSON.stringify(entry)})
    const name = Object.keys(lib).find((key) => typeof lib[key] === 'function' && !/^[A-Z]/.test(key))
      ?? Object.keys(lib).find((key) => typeof lib[key] === 'function')
    if (!name) throw new Error('the package exports no function')
    try { await lib[name]() } catch (error) { if (!(error instanceof Error)) throw error }
    console.log(name)
  `
  const result = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: main.dir, reject: false, all: true, env: { RUST_BACKTRACE: '0' } })
  if (result.failed) {
    const reason = (result.all ?? '').split('\n').find((line) => /Error|error/.test(line))?.trim() ?? `exit code ${result.exitCode}${result.signal ? `, ${result.signal}` : ''}`
    throw new RustyError(`Refusing to publish ${main.name}@${main.version}: it does not load on this machine${host ? ` with ${host.name}` : ''} (${reason}).`, {
      hint: 'Rebuild with `rusty build` (a broken or truncated artifact in artifacts/ is the usual cause).',
    })
  }
  return result.stdout.trim()
}

function entryOf(pkg: { main?: string; exports?: unknown }): string {
  const exported = (pkg.exports as Record<string, unknown> | undefined)?.['.'] ?? pkg.exports
  if (typeof exported === 'string') return exported
  if (exported && typeof exported === 'object') {
    const conditions = exported as Record<string, unknown>
    for (const key of ['node', 'import', 'default']) if (typeof conditions[key] === 'string') return conditions[key] as string
  }
  return pkg.main ?? 'index.js'
}
