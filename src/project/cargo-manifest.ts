import { parse as parseToml } from 'smol-toml'
import { RustyError } from '../errors.js'

/**
 * Adds what a backend's template Cargo.toml has and an existing crate's
 * Cargo.toml lacks, editing the text so every existing line and comment stays:
 * `cdylib` in `[lib] crate-type` (with `rlib`, so the crate stays usable from
 * Rust) and each missing `[dependencies]` / `[build-dependencies]` entry,
 * copied line for line from the template. The result is parsed as a check.
 *
 * @param existing the crate's Cargo.toml text
 * @param template the backend's rendered template Cargo.toml text
 * @returns the new text and the names of what was added
 * @throws RustyError when `crate-type` is set without `cdylib` (rusty will not
 *   change a choice the crate made), or the result does not parse
 */
export function mergeCargoManifest(existing: string, template: string, file = 'Cargo.toml'): { text: string; added: string[] } {
  const current = parseToml(existing) as Record<string, Record<string, unknown> | undefined>
  const wanted = parseToml(template) as Record<string, Record<string, unknown> | undefined>
  let lines = existing.replace(/\s*$/, '').split('\n')
  const added: string[] = []

  const crateTypes = current.lib?.['crate-type'] as string[] | undefined
  if (crateTypes === undefined) {
    lines = insertInTable(lines, 'lib', ['crate-type = ["cdylib", "rlib"]'])
    added.push('[lib] crate-type = ["cdylib", "rlib"]')
  } else if (!crateTypes.includes('cdylib')) {
    throw new RustyError(`${file} sets [lib] crate-type = ${JSON.stringify(crateTypes)} without "cdylib"; rusty needs a cdylib.`, {
      hint: 'Add "cdylib" to crate-type yourself, then run rusty init again.',
    })
  }

  for (const table of ['dependencies', 'build-dependencies']) {
    const missing = Object.keys(wanted[table] ?? {}).filter((name) => !(name in (current[table] ?? {})))
    if (missing.length === 0) continue
    const templateLines = tableLines(template.split('\n'), table)
    const entries = missing.map((name) => {
      const line = templateLines.find((l) => new RegExp(`^${name.replace(/[-]/g, '\\-')}\\s*=`).test(l.trim()))
      if (!line) throw new RustyError(`Template bug: no one-line entry for ${name} in [${table}].`)
      return line.trim()
    })
    lines = insertInTable(lines, table, entries)
    added.push(...missing.map((name) => `[${table}] ${name}`))
  }

  const text = `${lines.join('\n')}\n`
  try {
    parseToml(text)
  } catch (error) {
    throw new RustyError(`Editing ${file} would make it invalid TOML (${(error as Error).message}); it was left unchanged.`)
  }
  return { text, added }
}

/** The lines of `[table]` (up to the next table header). */
function tableLines(lines: string[], table: string): string[] {
  const start = lines.findIndex((l) => l.trim() === `[${table}]`)
  if (start < 0) return []
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l))
  return lines.slice(start + 1, end < 0 ? undefined : end)
}

/** Inserts `entries` right after the `[table]` header, or appends the table. */
function insertInTable(lines: string[], table: string, entries: string[]): string[] {
  const header = lines.findIndex((l) => l.trim() === `[${table}]`)
  if (header < 0) return [...lines, '', `[${table}]`, ...entries]
  return [...lines.slice(0, header + 1), ...entries, ...lines.slice(header + 1)]
}
