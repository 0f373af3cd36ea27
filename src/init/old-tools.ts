import semver from 'semver'
import { PROJECT_TOOLS } from '../project/tools.js'
import { versions } from '../versions.js'
import { oldNapiCrates, type CargoManifest, type CrateUpgrade } from './crate-manifest.js'

/** An npm dependency whose range init raises. */
export interface PackageUpgrade {
  field: 'dependencies' | 'devDependencies'
  name: string
  from: string
  to: string
}

/** The old tools found in a project: npm packages and crates. */
export interface OldTools {
  packages: PackageUpgrade[]
  crates: CrateUpgrade[]
}

/**
 * The oldest major each tool rusty loads from the project works with, and
 * why: @napi-rs/cli 2 has no `NapiCli` API (rusty then reports it "not
 * installed"); TypeScript 4 does not know the `ESNext.Disposable` lib of
 * rusty's tsconfig (TS6046).
 */
const FLOORS: Record<'@napi-rs/cli' | 'typescript', number> = { '@napi-rs/cli': 3, typescript: 5 }

/**
 * The tools pinned below what rusty needs: `typescript` under 5 for every
 * backend; for napi, `@napi-rs/cli` under 3 and the napi/napi-derive crates
 * under 3 (see oldNapiCrates). A range counts by its lowest version
 * (semver.minVersion); a range semver cannot read (a tag, a URL) is left alone.
 */
export function findOldTools(pkg: Record<string, unknown> | undefined, manifest: CargoManifest | undefined, napi: boolean): OldTools {
  const packages: PackageUpgrade[] = []
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = (pkg?.[field] as Record<string, unknown> | undefined) ?? {}
    for (const [name, floor] of Object.entries(FLOORS)) {
      if (name === '@napi-rs/cli' && !napi) continue
      const from = deps[name]
      if (typeof from !== 'string' || !semver.validRange(from)) continue
      const lowest = semver.minVersion(from)
      if (lowest && lowest.major < floor) packages.push({ field, name, from, to: PROJECT_TOOLS[name as keyof typeof FLOORS] })
    }
  }
  const crates = napi && manifest ? oldNapiCrates(manifest, { napi: versions.napi, 'napi-derive': versions.napiDerive }) : []
  return { packages, crates }
}

/** One line per change, as shown before it is applied: `package.json devDependencies @napi-rs/cli "^2.18.0" → "^3.10.12"`. */
export function describeOldTools(tools: OldTools): string[] {
  return [
    ...tools.packages.map((p) => `package.json ${p.field} ${p.name} ${JSON.stringify(p.from)} → ${JSON.stringify(p.to)}`),
    ...tools.crates.map((c) => `Cargo.toml [${c.table}] ${c.name} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`),
  ]
}

/** `pkg` with the package upgrades applied (a copy; the other fields as they were). */
export function upgradePackages(pkg: Record<string, unknown>, upgrades: readonly PackageUpgrade[]): Record<string, unknown> {
  const next = { ...pkg }
  for (const { field, name, to } of upgrades) next[field] = { ...(next[field] as object), [name]: to }
  return next
}
