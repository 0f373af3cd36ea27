import path from 'node:path'
import { RustyError } from '../errors.js'
import { compareVersions, readElfFile, type ElfFacts } from '../util/elf.js'

export { compareVersions }

/**
 * The newest libstdc++ symbol versions the C++ toolchain of a glibc floor's
 * reference distribution ships, from auditwheel's manylinux policy
 * (`src/auditwheel/policy/manylinux-policy.json`, x86_64, the last numeric
 * GLIBCXX_ and CXXABI_ of each `manylinux_2_<minor>`), which in turn lists
 * what the gcc of that distribution's image exports (gcc's own table of
 * versions per release: the libstdc++ manual, "ABI Policy and Guidelines").
 * manylinux_2_17 is CentOS 7 with gcc 4.8.5. Sorted by glibc.
 */
const LIBSTDCXX_BY_GLIBC: readonly { glibc: string; GLIBCXX: string; CXXABI: string }[] = (
  [
    // glibc, GLIBCXX, CXXABI
    ['2.5', '3.4.8', '1.3.1'],
    ['2.12', '3.4.13', '1.3.3'],
    ['2.17', '3.4.19', '1.3.7'],
    ['2.24', '3.4.22', '1.3.10'],
    ['2.27', '3.4.24', '1.3.11'],
    ['2.31', '3.4.28', '1.3.12'],
    ['2.34', '3.4.29', '1.3.13'],
    ['2.35', '3.4.30', '1.3.13'],
    ['2.39', '3.4.33', '1.3.15'],
  ] as const
).map(([glibc, GLIBCXX, CXXABI]) => ({ glibc, GLIBCXX, CXXABI }))

/** The symbol version families the check reads: glibc's, and libstdc++'s two. */
const FAMILIES = ['GLIBC', 'GLIBCXX', 'CXXABI'] as const
type Family = (typeof FAMILIES)[number]

/**
 * The highest version of each family an artifact may need under `floor`:
 * GLIBC up to the floor itself; GLIBCXX and CXXABI up to what the floor's
 * reference distribution ships (see {@link LIBSTDCXX_BY_GLIBC}), unlimited
 * above the newest floor that table knows (no reference to hold it to), and
 * the oldest row's below the oldest.
 *
 * @param floor a glibc version, `major.minor`
 * @returns e.g. `{ GLIBC: '2.17', GLIBCXX: '3.4.19', CXXABI: '1.3.7' }`
 */
export function symbolVersionLimits(floor: string): Partial<Record<Family, string>> {
  const rows = LIBSTDCXX_BY_GLIBC.filter((row) => compareVersions(row.glibc, floor) <= 0)
  const last = LIBSTDCXX_BY_GLIBC.at(-1)!
  if (compareVersions(floor, last.glibc) > 0) return { GLIBC: floor }
  const row = rows.at(-1) ?? LIBSTDCXX_BY_GLIBC[0]!
  return { GLIBC: floor, GLIBCXX: row.GLIBCXX, CXXABI: row.CXXABI }
}

/** A symbol version an artifact needs above the floor. */
export interface FloorViolation {
  /** The version it needs, e.g. `GLIBC_2.34`. */
  version: string
  /** The highest of its family the floor allows, e.g. `GLIBC_2.17`. */
  limit: string
  /** Symbols imported at `version` (`pthread_create`, ...), from `.dynsym`. */
  symbols: string[]
}

/**
 * The highest symbol version `elf` needs above `floor`, checking GLIBC
 * first, then GLIBCXX and CXXABI (their versions are not comparable across
 * families). Non-numeric versions (`GLIBC_PRIVATE`, `CXXABI_TM_1`) are
 * passed over.
 *
 * @param floor a glibc version, `major.minor`
 * @returns undefined when every need is within the floor (always, for a musl
 *   library, which has no such versions)
 */
export function floorViolation(elf: ElfFacts, floor: string): FloorViolation | undefined {
  const limits = symbolVersionLimits(floor)
  const needs = elf.versionNeeds.flatMap((need) => need.versions)
  for (const family of FAMILIES) {
    const limit = limits[family]
    if (limit === undefined) continue
    const over = needs
      .flatMap((version) => {
        const m = new RegExp(`^${family}_(\\d+(?:\\.\\d+)*)$`).exec(version)
        return m && compareVersions(m[1]!, limit) > 0 ? [{ version, number: m[1]! }] : []
      })
      .sort((a, b) => compareVersions(b.number, a.number))[0]
    if (over) {
      const symbols = [...new Set(elf.importedSymbols.filter((s) => s.version === over.version).map((s) => s.name))].sort()
      return { version: over.version, limit: `${family}_${limit}`, symbols }
    }
  }
  return undefined
}

/**
 * auditwheel's check for one artifact: refuses a Linux library that needs a
 * symbol version above the glibc floor, as it would fail to load on the
 * oldest systems the floor promises.
 *
 * @param artifact the built library (`.node`, `.so`)
 * @param floor the project's `"glibc"` (`project.config.glibc`, `major.minor`)
 * @param root the project root, for the path in the message
 * @param linkedWithSysroot whether the build linked against the glibc 2.17
 *   cross toolchain (src/pipeline/cross.ts): then the need comes from a
 *   dependency, not the linker, and the hint says so instead of naming a
 *   toolchain the build already used
 * @throws RustyError (exit 1) with one line naming the highest version
 *   needed, the symbols that need it, and the floor; the hint gives the fix.
 *   Also when the artifact is not a readable ELF file.
 */
export async function checkGlibcFloor(artifact: string, floor: string, root: string, linkedWithSysroot = false): Promise<void> {
  const violation = floorViolation(await readElfFile(artifact), floor)
  if (!violation) return
  const shown = violation.symbols.slice(0, 3).join(', ') + (violation.symbols.length > 3 ? ', ...' : '')
  throw new RustyError(
    `${path.relative(root, artifact)} needs ${violation.version}${shown ? ` (${shown})` : ''}, above the glibc floor ${floor} (at most ${violation.limit}): it would not load on older Linux systems.`,
    {
      hint:
        (linkedWithSysroot
          ? 'It was linked against the glibc 2.17 cross toolchain, so a dependency brings this need (a prebuilt library, or a build script that ignores CC_<triple>): build that dependency from source; '
          : "Build it with `rusty build` on Linux x64 or arm64 for x86_64/aarch64, whose cross toolchain links against the floor's glibc instead of this machine's newer one; ") +
        `or, if every Linux you support is newer, raise the floor in package.json: "rusty": { "glibc": "${floorAllowing(violation.version) ?? nextFloor()}" }.`,
    },
  )
}

/**
 * The lowest glibc floor that allows `version` (`GLIBC_2.34` -> `2.34`,
 * `GLIBCXX_3.4.30` -> `2.35`), or undefined when no floor rusty knows does.
 */
export function floorAllowing(version: string): string | undefined {
  const m = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$/.exec(version)
  if (!m) return undefined
  const [, family, number] = m as unknown as [string, Family, string]
  if (family === 'GLIBC') return number.split('.').slice(0, 2).join('.')
  return LIBSTDCXX_BY_GLIBC.find((row) => compareVersions(row[family], number) >= 0)?.glibc
}

/** The first glibc floor above every row of {@link LIBSTDCXX_BY_GLIBC}, where libstdc++ is no longer limited. */
function nextFloor(): string {
  const [major, minor] = LIBSTDCXX_BY_GLIBC.at(-1)!.glibc.split('.').map(Number)
  return `${major}.${minor! + 1}`
}

