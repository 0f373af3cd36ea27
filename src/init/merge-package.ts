import type { EntryFields } from './entry-points.js'

/** npm's placeholder `test` script (`npm init`): not a test command of the project's. */
const NPM_PLACEHOLDER_TEST = /^echo "Error: no test specified" && exit 1$/

/** The project's own test command, when package.json has one (not npm's placeholder). */
export function ownTestCommand(pkg: Record<string, unknown> | undefined): string | undefined {
  const test = (pkg?.scripts as Record<string, unknown> | undefined)?.test
  return typeof test === 'string' && test.trim() && !NPM_PLACEHOLDER_TEST.test(test.trim()) ? test : undefined
}

/**
 * package.json with the rusty fields added; every existing value wins, except
 * that the package becomes an ES module, `entries` (from pointEntries) replace
 * the entry points, and the project's own test command moves to `test:only`
 * (`test` becomes rusty's: develop, then `test:only`; an existing `test:only`
 * stays). The objects `scripts` (given as `scripts`, napi-rs's commands
 * already replaced), `devDependencies`, `dependencies` and the backend's own
 * fields (`backendKeys`: napi's `napi`, wasm's `imports`) are merged key by key.
 */
export function mergePackageJson(
  existing: Record<string, unknown> | undefined,
  fresh: Record<string, unknown>,
  options: { backendKeys: readonly string[]; entries: EntryFields; scripts?: Record<string, string> },
): Record<string, unknown> {
  if (!existing) return fresh
  const own = { ...existing, scripts: options.scripts ?? existing.scripts }
  const merged: Record<string, unknown> = { ...own, type: 'module', rusty: fresh.rusty }
  for (const key of new Set(['scripts', 'devDependencies', 'dependencies', ...options.backendKeys])) {
    if (fresh[key] === undefined) continue
    merged[key] = { ...(fresh[key] as object), ...((own[key as keyof typeof own] as object | undefined) ?? {}) }
  }
  const ownTest = ownTestCommand(own)
  const freshScripts = fresh.scripts as Record<string, string>
  if (ownTest !== undefined) {
    const scripts = merged.scripts as Record<string, string>
    scripts.test = freshScripts.test!
    scripts['test:only'] = (own.scripts as Record<string, string>)['test:only'] ?? ownTest
  }
  if (Array.isArray(existing.files)) merged.files = [...new Set([...(existing.files as string[]), 'dist', 'native'])]
  for (const [key, value] of Object.entries(options.entries)) if (value !== undefined) merged[key] = value
  return merged
}
