import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'
import { execa } from 'execa'
import { parse as parseToml } from 'smol-toml'
import { RustyError } from '../errors.js'
import { writeFileAtomic } from '../util/files.js'
import { locateProject } from '../project/scope.js'
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
 * and its Cargo.lock (through `cargo update --workspace`). Platform packages
 * take the main package's version when `rusty publish` assembles them, so
 * they always match. Cargo.toml is edited in place (only the `version` line
 * of `[package]` changes, comments survive) and parsed again as a check.
 *
 * @returns the old and new versions
 * @throws RustyError (exit 2) for an invalid version, before any file changes;
 *   RustyError when Cargo.toml takes its version from a workspace
 */
export async function version(options: VersionOptions): Promise<{ from: string; to: string }> {
  const { project, reporter } = locateProject(options)
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

  await writeFileAtomic(project.manifestPath, nextCargo)
  await writeFileAtomic(project.packageJsonPath, nextPackage)
  reporter.done(`${project.packageJson.name}: ${from} -> ${to} (package.json, ${path.relative(project.root, project.manifestPath)})`)

  const lock = path.join(project.crateDir, 'Cargo.lock')
  if (fs.existsSync(lock)) {
    // Only the workspace's own entries change; --offline keeps it to the lockfile.
    const result = await execa(process.env.CARGO ?? 'cargo', ['update', '--workspace', '--offline', '--manifest-path', project.manifestPath], { reject: false, all: true })
    if (result.failed) reporter.warn(`Cargo.lock was not updated (cargo update failed); the next build updates it. ${result.all?.split('\n').at(-1) ?? ''}`)
    else reporter.done(`Updated ${path.relative(project.root, lock)}`)
  }
  return { from, to }
}

/**
 * Replaces the `version` of `[package]` in a Cargo.toml's text, keeping every
 * other byte, and checks the result by parsing it.
 *
 * @throws RustyError when there is no literal `version` in `[package]` (e.g. `version.workspace = true`)
 */
export function setCargoVersion(text: string, to: string, file = 'Cargo.toml'): string {
  const lines = text.split('\n')
  let inPackage = false
  let done = false
  for (let i = 0; i < lines.length && !done; i++) {
    const line = lines[i]!
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line)
    if (header) {
      inPackage = header[1]!.trim() === 'package'
      continue
    }
    const m = inPackage ? /^(\s*version\s*=\s*)"[^"]*"(.*)$/.exec(line) : null
    if (m) {
      lines[i] = `${m[1]}"${to}"${m[2]}`
      done = true
    }
  }
  const next = lines.join('\n')
  const parsed = done ? (parseToml(next) as { package?: { version?: unknown } }) : undefined
  if (parsed?.package?.version !== to) {
    throw new RustyError(`Cannot set the version in ${file}: [package] has no literal version = "..." line.`, {
      hint: 'If the crate inherits its version from a workspace, set it there.',
    })
  }
  return next
}
