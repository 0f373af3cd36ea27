import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'
import { execa } from 'execa'
import { parse as parseToml } from 'smol-toml'
import { RustyError } from '../errors.js'
import { writeFileAtomic } from '../util/files.js'
import { commandScope } from '../project/scope.js'
import type { Reporter } from '../util/reporter.js'

/** Options of {@link version}. */
export interface VersionOptions {
  /** A semver version (`1.2.3`, `2.0.0-beta.1`) or `major`, `minor`, `patch`. */
  version: string
  /** Any folder inside the project. Default: process.cwd(). */
  cwd?: string
  reporter?: Reporter
}

const BUMPS = ['major', 'minor', 'patch', 'premajor', 'preminor', 'prepatch', 'prerelease'] as const

/**
 * `rusty version`: sets one version in package.json, the crate's Cargo.toml
 * (unless it has none, see {@link setCargoVersion}) and its Cargo.lock (through `cargo update --workspace`; the workspace
 * root's lockfile when the crate is a workspace member). Platform packages
 * take the main package's version when `rusty publish` assembles them, so
 * they always match. Cargo.toml is edited in place (only the `version` line
 * of `[package]` changes, comments survive) and parsed again as a check.
 *
 * @returns the old and new versions
 * @throws RustyError (exit 2) for an invalid version, before any file changes;
 *   RustyError, before any file changes, when Cargo.toml's version cannot be
 *   set (see {@link setCargoVersion}: the reason is in the message)
 */
export async function version(options: VersionOptions): Promise<{ from: string; to: string }> {
  const { project, reporter } = commandScope(options)
  const from = String(project.packageJson.version ?? '0.0.0')
  const to = (BUMPS as readonly string[]).includes(options.version)
    ? semver.inc(from, options.version as (typeof BUMPS)[number])
    : semver.valid(options.version)
  if (!to) {
    throw new RustyError(`Invalid version ${JSON.stringify(options.version)}: use a semver version like 1.2.3 or one of ${BUMPS.join(', ')}.`, { exitCode: 2 })
  }

  const packageText = fs.readFileSync(project.packageJsonPath, 'utf8')
  const indent = /^[ \t]+/m.exec(packageText)?.[0] ?? '  '
  const nextPackage = `${JSON.stringify({ ...project.packageJson, version: to }, null, indent)}\n`
  const cargoText = fs.readFileSync(project.manifestPath, 'utf8')
  const nextCargo = setCargoVersion(cargoText, to, project.manifestPath)

  const manifest = path.relative(project.root, project.manifestPath)
  if (nextCargo !== undefined) await writeFileAtomic(project.manifestPath, nextCargo)
  await writeFileAtomic(project.packageJsonPath, nextPackage)
  reporter.done(`${project.packageJson.name}: ${from} -> ${to} (package.json${nextCargo !== undefined ? `, ${manifest}` : ''})`)
  if (nextCargo === undefined) reporter.info(`${manifest} has no version, and keeps none: Cargo reads 0.0.0 and never publishes such a crate to crates.io.`)

  // A workspace member's lockfile is the workspace's, at its root.
  const lock = await cargoLockOf(project.manifestPath)
  if (nextCargo !== undefined && fs.existsSync(lock)) {
    // Only the workspace's own entries change; --offline keeps it to the lockfile.
    const result = await execa(process.env.CARGO ?? 'cargo', ['update', '--workspace', '--offline', '--manifest-path', project.manifestPath], { reject: false, all: true })
    if (result.failed) reporter.warn(`Cargo.lock was not updated (cargo update failed); the next build updates it. ${result.all?.split('\n').at(-1) ?? ''}`)
    else reporter.done(`Updated ${path.relative(project.root, lock)}`)
  }
  return { from, to }
}

/**
 * Replaces the `version` of `[package]` in a Cargo.toml's text, keeping every
 * other byte (comments, CRLF line endings, the string's quotes: a basic
 * `"..."` or a literal `'...'` string), and checks the result by parsing it.
 *
 * @returns the new text, or undefined when `[package]` has no version (Cargo
 *   1.75+ allows that: the crate is 0.0.0 and never published to crates.io,
 *   rust-lang/cargo#12786), which is left so
 * @throws RustyError saying why when there is nothing to replace: the file is
 *   not valid TOML, the crate inherits its version from its workspace
 *   (`version.workspace = true`), or the version is written in another form
 *   than one `version = "..."` line
 */
export function setCargoVersion(text: string, to: string, file = 'Cargo.toml'): string | undefined {
  let current: { package?: { version?: unknown } }
  try {
    current = parseToml(text) as typeof current
  } catch (error) {
    throw new RustyError(`Cannot set the version in ${file}: it is not valid TOML (${(error as Error).message.split('\n')[0]}).`, {
      hint: `Fix ${file} (cargo metadata shows the same error), then run rusty version again.`,
      cause: error,
    })
  }
  const version = current.package?.version
  if (version !== undefined && typeof version === 'object' && (version as { workspace?: unknown }).workspace === true) {
    throw new RustyError(`Cannot set the version in ${file}: the crate inherits it from its workspace (version.workspace = true).`, {
      hint: "Set the version in [workspace.package] of the workspace's Cargo.toml and in package.json.",
    })
  }
  // A version-less crate (Cargo 1.75+, rust-lang/cargo#12786) is 0.0.0 to
  // Cargo and never published to crates.io: adding a version would make it
  // publishable, so it stays without one.
  if (version === undefined) return undefined
  if (typeof version !== 'string') {
    throw new RustyError(`Cannot set the version in ${file}: its version ${JSON.stringify(version)} is not a string.`, { hint: `Write it as version = "${to}" under [package], then run rusty version again.` })
  }
  // Lines split on \n alone: a CRLF file keeps each \r in the rest of its line.
  const lines = text.split('\n')
  let inPackage = false
  let done = false
  for (let i = 0; i < lines.length && !done; i++) {
    const line = lines[i]!
    const header = /^\s*\[([^\]]+)\]\s*(#[^\n]*)?$/.exec(line)
    if (header) {
      inPackage = header[1]!.trim() === 'package'
      continue
    }
    const m = inPackage ? /^(\s*version\s*=\s*)(?:"[^"\\]*"|'[^']*')([^\n]*)$/.exec(line) : null
    if (m) {
      const quote = line.slice(m[1]!.length, m[1]!.length + 1)
      lines[i] = `${m[1]}${quote}${to}${quote}${m[2]}`
      done = true
    }
  }
  const next = lines.join('\n')
  const parsed = done ? (parseToml(next) as { package?: { version?: unknown } }) : undefined
  if (parsed?.package?.version !== to) {
    throw new RustyError(`Cannot set the version in ${file}: its version ${JSON.stringify(version)} is not on a line version = "..." of [package] (rusty edits only that form).`, {
      hint: `Write it as version = "${version}" on its own line under [package], then run rusty version again.`,
    })
  }
  return next
}

/**
 * The Cargo.lock of the crate at `manifestPath`: beside the root manifest of
 * its workspace (`cargo locate-project --workspace`), which for a crate that
 * is a workspace member is not the crate's own folder. Falls back to the
 * crate's folder when cargo cannot say (no cargo on PATH).
 */
async function cargoLockOf(manifestPath: string): Promise<string> {
  const result = await execa(process.env.CARGO ?? 'cargo', ['locate-project', '--workspace', '--message-format', 'plain', '--offline', '--manifest-path', manifestPath], {
    reject: false,
  })
  const root = result.failed ? manifestPath : result.stdout.trim()
  return path.join(path.dirname(root), 'Cargo.lock')
}
