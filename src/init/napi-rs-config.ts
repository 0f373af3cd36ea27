/**
 * napi-rs v2's own targets when `napi.triples.defaults` is true: @napi-rs/cli
 * v3's `DEFAULT_TARGETS` (src/utils/config.ts), which v3 itself uses for a
 * v2 config.
 */
const NAPI_RS_DEFAULT_TARGETS = ['x86_64-apple-darwin', 'aarch64-apple-darwin', 'x86_64-pc-windows-msvc', 'x86_64-unknown-linux-gnu']

/**
 * A package.json `napi` block in @napi-rs/cli v3's spelling: v2's `name`
 * becomes `binaryName`, `package.name` becomes `packageName` and `triples` (`defaults`, `additional`) becomes
 * `targets`, the way v3 reads a v2 block (with a deprecation warning). Done at
 * init so rusty's own `binaryName` and `targets` do not shadow the project's
 * when the blocks are merged.
 *
 * @returns the block (unchanged when it has neither field) and one line per change
 */
export function upgradeNapiConfig(napi: Record<string, unknown>): { napi: Record<string, unknown>; changes: string[] } {
  const { name, triples, package: v2Package, ...rest } = napi
  const changes: string[] = []
  const next: Record<string, unknown> = { ...rest }
  if (typeof name === 'string' && rest.binaryName === undefined) {
    next.binaryName = name
    changes.push(`napi.name → napi.binaryName (${JSON.stringify(name)})`)
  } else if (name !== undefined) next.name = name
  const v2 = triples as { defaults?: unknown; additional?: unknown } | undefined
  if (v2 !== undefined && rest.targets === undefined) {
    const targets = [...(v2.defaults ? NAPI_RS_DEFAULT_TARGETS : []), ...(Array.isArray(v2.additional) ? (v2.additional as string[]) : [])]
    next.targets = [...new Set(targets)]
    changes.push(`napi.triples → napi.targets (${(next.targets as string[]).length} targets)`)
  } else if (triples !== undefined) next.triples = triples
  const packageName = (v2Package as { name?: unknown } | undefined)?.name
  if (typeof packageName === 'string' && rest.packageName === undefined) {
    next.packageName = packageName
    changes.push(`napi.package.name → napi.packageName (${JSON.stringify(packageName)})`)
  } else if (v2Package !== undefined) next.package = v2Package
  return { napi: changes.length > 0 ? next : napi, changes }
}
