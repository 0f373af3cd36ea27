import fs from 'node:fs'
import path from 'node:path'
import { parse as parseForEdit, patch } from '@decimalturn/toml-patch'
import { parse as parseToml } from 'smol-toml'
import { RustyError } from '../errors.js'

/** A Cargo.toml as parsed (the tables init reads). */
export type CargoManifest = Record<string, Record<string, unknown> | undefined>

/** The dependency tables init adds to, as the Cargo book names them. */
export type DependencyTable = 'dependencies' | 'build-dependencies'

/** One dependency whose version requirement init raises (an old napi crate). */
export interface CrateUpgrade {
  table: DependencyTable
  name: string
  /** The requirement as written (`"2.12"`), and the one it becomes (`"3"`). */
  from: string
  to: string
}

/**
 * The parsed Cargo.toml at `cargoPath`.
 *
 * @throws RustyError naming the file and the TOML error (its line and column in the cause), before anything is written
 */
export function readCargoToml(cargoPath: string): CargoManifest {
  try {
    return parseToml(fs.readFileSync(cargoPath, 'utf8')) as CargoManifest
  } catch (error) {
    const first = (error as Error).message.split('\n')[0]
    throw new RustyError(`Cannot read ${cargoPath}: ${first}`, { hint: `Fix ${cargoPath} (cargo metadata shows the same error), then run rusty init again.`, cause: error })
  }
}

/**
 * The crate's name, and its version and description when it sets them, for
 * the package.json init writes around a bare crate. A field given as
 * `{ workspace = true }` (Cargo book, "Inheriting a dependency from a
 * workspace" / `[workspace.package]`) is read from the nearest folder above
 * `cargoPath` whose Cargo.toml has `[workspace]`.
 *
 * @throws RustyError (exit 2) when there is no `[package] name` (a workspace root)
 */
export function crateMetadata(manifest: CargoManifest, cargoPath: string): { name: string; version?: string; description?: string } {
  const pkg = manifest.package
  if (typeof pkg?.name !== 'string' || !pkg.name) {
    throw new RustyError(`${cargoPath} has no [package] name (a workspace root?); run rusty init in the crate's folder.`, { exitCode: 2 })
  }
  let workspace: Record<string, unknown> | undefined
  const field = (key: string): string | undefined => {
    const value = pkg[key]
    if (typeof value === 'string') return value
    if ((value as { workspace?: unknown } | undefined)?.workspace !== true) return undefined
    workspace ??= workspacePackage(path.dirname(cargoPath))
    const inherited = workspace?.[key]
    return typeof inherited === 'string' ? inherited : undefined
  }
  return { name: pkg.name, version: field('version'), description: field('description') }
}

/** `[workspace.package]` of the nearest workspace root above `crateDir` (an empty table when there is none). */
function workspacePackage(crateDir: string): Record<string, unknown> | undefined {
  for (let dir = path.dirname(crateDir); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'Cargo.toml')
    if (fs.existsSync(file)) {
      const root = readCargoToml(file)
      if (root.workspace) return (root.workspace.package as Record<string, unknown> | undefined) ?? {}
    }
    if (path.dirname(dir) === dir) return undefined
  }
}

/**
 * The napi crates whose requirement predates napi 3 (`napi`, `napi-derive`
 * below 3): with them @napi-rs/cli 3 builds the crate but writes no loader or
 * typings (napi-rs's v3 migration guide), so init offers the upgrade; napi 3
 * is source compatible for ordinary `#[napi]` code.
 *
 * @param wanted the requirement for each crate (src/versions.ts)
 */
export function oldNapiCrates(manifest: CargoManifest, wanted: { napi: string; 'napi-derive': string }): CrateUpgrade[] {
  const upgrades: CrateUpgrade[] = []
  for (const name of ['napi', 'napi-derive'] as const) {
    const from = requirementOf(manifest.dependencies?.[name])
    const major = from === undefined ? undefined : /^\D*(\d+)/.exec(from)?.[1]
    if (major !== undefined && Number(major) < 3) upgrades.push({ table: 'dependencies', name, from: from!, to: wanted[name] })
  }
  return upgrades
}

/** A dependency's version requirement: the string, or a table's `version`. */
function requirementOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  const version = (entry as { version?: unknown } | undefined)?.version
  return typeof version === 'string' ? version : undefined
}

/**
 * Adds what a backend's template Cargo.toml has and an existing crate's
 * Cargo.toml lacks, through a TOML editor that keeps every existing line,
 * comment and layout (@decimalturn/toml-patch): `cdylib` in `[lib]
 * crate-type` (with `rlib`, so the crate stays usable from Rust), each missing
 * entry of the template's `[dependencies]` / `[build-dependencies]` that
 * `keep` names (what the backend's build needs; every entry when `keep` is
 * undefined), and the `upgrades` (a requirement raised in place, its other
 * keys kept). The result is parsed again as a check.
 *
 * @param existing the crate's Cargo.toml text
 * @param template the backend's rendered template Cargo.toml text
 * @returns the new text and one line per change (`[dependencies] napi-derive`, `[dependencies] napi "2" → "3"`)
 * @throws RustyError when `crate-type` is set without `cdylib` (rusty will not
 *   change a choice the crate made), or the result does not parse
 */
export function mergeCargoManifest(
  existing: string,
  template: string,
  options: { file?: string; keep?: Readonly<Record<DependencyTable, readonly string[]>>; upgrades?: readonly CrateUpgrade[] } = {},
): { text: string; added: string[] } {
  const file = options.file ?? 'Cargo.toml'
  const wanted = parseToml(template) as CargoManifest
  const added: string[] = []
  // Cargo's own style (`cargo add`, `cargo new`) spaces inline tables,
  // `{ version = "1" }`, but not arrays, `["cdylib"]`; toml-patch has one
  // switch for both, so dependencies and the crate-type array go in two passes.
  const withDependencies = parseForEdit(existing) as CargoManifest
  for (const table of ['dependencies', 'build-dependencies'] as const) {
    const missing = Object.keys(wanted[table] ?? {}).filter((name) => !(name in (withDependencies[table] ?? {})) && (options.keep?.[table].includes(name) ?? true))
    if (missing.length === 0) continue
    const entries = { ...withDependencies[table] }
    for (const name of missing) entries[name] = wanted[table]![name]
    withDependencies[table] = entries
    added.push(...missing.map((name) => `[${table}] ${name}`))
  }
  for (const upgrade of options.upgrades ?? []) {
    const entries = withDependencies[upgrade.table]!
    const entry = entries[upgrade.name]
    entries[upgrade.name] = typeof entry === 'string' ? upgrade.to : { ...(entry as object), version: upgrade.to }
  }
  let text = patch(existing, withDependencies, { bracketSpacing: true })

  const withCdylib = parseForEdit(text) as CargoManifest
  const crateTypes = withCdylib.lib?.['crate-type'] as string[] | undefined
  if (crateTypes === undefined) {
    withCdylib.lib = { ...withCdylib.lib, 'crate-type': ['cdylib', 'rlib'] }
    added.unshift('[lib] crate-type = ["cdylib", "rlib"]')
    text = patch(text, withCdylib, { bracketSpacing: false })
  } else if (!crateTypes.includes('cdylib')) {
    throw new RustyError(`${file} sets [lib] crate-type = ${JSON.stringify(crateTypes)} without "cdylib"; rusty needs a cdylib.`, {
      hint: 'Add "cdylib" to crate-type yourself, then run rusty init again.',
    })
  }
  added.push(...(options.upgrades ?? []).map((u) => `[${u.table}] ${u.name} ${JSON.stringify(u.from)} → ${JSON.stringify(u.to)}`))

  try {
    parseToml(text)
  } catch (error) {
    throw new RustyError(`Editing ${file} would make it invalid TOML (${(error as Error).message}); it was left unchanged.`)
  }
  return { text, added }
}
