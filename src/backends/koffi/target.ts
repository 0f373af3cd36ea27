import fs from 'node:fs/promises'
import path from 'node:path'
import { execa } from 'execa'
import { parse as parseToml } from 'smol-toml'
import { RustyError } from '../../errors.js'
import { standardMacros, type MacroTable } from './preprocess.js'

/**
 * The C compilers' own macros for a target, each as the Rust cfg that
 * decides it (GCC/Clang/MSVC predefined macros), so that a header written for
 * them (`#if defined(_WIN32)`) is read for the target being built.
 */
const COMPILER_MACROS: [string, (cfg: Set<string>) => boolean][] = [
  ['_WIN32', (cfg) => cfg.has('windows')],
  ['_WIN64', (cfg) => cfg.has('windows') && cfg.has('target_pointer_width="64"')],
  ['__unix__', (cfg) => cfg.has('unix') && !cfg.has('target_vendor="apple"')],
  ['__linux__', (cfg) => cfg.has('target_os="linux"')],
  ['__APPLE__', (cfg) => cfg.has('target_vendor="apple"')],
  ['__FreeBSD__', (cfg) => cfg.has('target_os="freebsd"')],
  ['__x86_64__', (cfg) => cfg.has('target_arch="x86_64"')],
  ['__aarch64__', (cfg) => cfg.has('target_arch="aarch64"')],
  ['__i386__', (cfg) => cfg.has('target_arch="x86"')],
  ['__arm__', (cfg) => cfg.has('target_arch="arm"')],
  ['__LP64__', (cfg) => cfg.has('target_pointer_width="64"') && !cfg.has('windows')],
]

/**
 * Whether `header` has an `#if` that depends on a macro beyond C's own and
 * the header's `#define`s (its include guard): only then are the target's
 * macros worth a `rustc --print cfg`.
 */
export function needsTargetMacros(header: string): boolean {
  const definedHere = new Set([...header.matchAll(/^\s*#\s*define\s+(\w+)/gm)].map((m) => m[1]!))
  const standard = standardMacros()
  for (const m of header.matchAll(/^\s*#\s*(?:if|ifdef|ifndef|elif)\b(.*)$/gm)) {
    // Comments and number literals (`202311L`) out, then every identifier.
    for (const word of m[1]!.replace(/\/\/.*$|\/\*.*?\*\//g, '').replace(/\b\d\w*/g, '').match(/[A-Za-z_]\w*/g) ?? []) {
      if (word === 'defined' || definedHere.has(word) || standard.defined.has(word) || standard.undefined.has(word)) continue
      return true
    }
  }
  return false
}

/**
 * The macros a koffi crate's header sees for the target being built: C11,
 * the C compiler's platform macros, and the `[defines]` of the crate's
 * cbindgen.toml (`"target_os = windows" = "MY_WINDOWS"`), each defined or
 * undefined by evaluating its cfg against `rustc --print cfg` for the target
 * and the enabled cargo features. A define whose cfg cannot be evaluated
 * stays unknown, so an `#if` on it is refused rather than guessed.
 *
 * @param crateDir the crate (holds cbindgen.toml and Cargo.toml)
 * @param target a target triple, or undefined for the host
 * @param features the `--features` of the build (the crate's default features are added unless `--no-default-features`)
 * @throws RustyError when cbindgen.toml or Cargo.toml cannot be read as TOML, or rustc cannot print the target's cfg
 */
export async function targetMacros(crateDir: string, target: string | undefined, features: string[], cargoArgs: string[]): Promise<MacroTable> {
  const table = standardMacros()
  const cfg = await rustcCfg(crateDir, target)
  for (const [macro, holds] of COMPILER_MACROS) {
    if (holds(cfg)) table.defined.set(macro, '1')
    else table.undefined.add(macro)
  }
  const defines = (await readToml(path.join(crateDir, 'cbindgen.toml')))?.defines
  if (defines && typeof defines === 'object') {
    const manifest = await readToml(path.join(crateDir, 'Cargo.toml'))
    const declared = (manifest?.features ?? {}) as Record<string, unknown>
    const enabled = new Set(features.flatMap((f) => f.split(/[\s,]+/)).filter(Boolean))
    if (!cargoArgs.includes('--no-default-features')) enabled.add('default')
    // A feature enables the features it lists (Cargo.toml [features]).
    for (const f of enabled) {
      const implied = declared[f]
      if (Array.isArray(implied)) for (const g of implied) if (!String(g).includes(':') && !String(g).includes('/')) enabled.add(String(g))
    }
    for (const [key, macro] of Object.entries(defines as Record<string, unknown>)) {
      if (typeof macro !== 'string') continue
      const m = /^\s*(\w+)\s*(?:=\s*"?([^"]*?)"?\s*)?$/.exec(key)
      if (!m) continue
      const [, name, value] = m
      let holds: boolean | undefined
      if (name === 'feature') holds = value !== undefined && (cargoArgs.includes('--all-features') || enabled.has(value))
      else holds = cfg.has(value === undefined ? name! : `${name}="${value}"`)
      if (holds === true) table.defined.set(macro, '1')
      else if (holds === false) table.undefined.add(macro)
    }
  }
  return table
}

async function readToml(file: string): Promise<Record<string, unknown> | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    return parseToml(text) as Record<string, unknown>
  } catch (error) {
    throw new RustyError(`${file} is not valid TOML: ${(error as Error).message.split('\n')[0]}`)
  }
}

/** `rustc --print cfg` for the target: `unix`, `target_os="linux"`, ... */
async function rustcCfg(crateDir: string, target: string | undefined): Promise<Set<string>> {
  const rustc = process.env.RUSTC ?? 'rustc'
  const result = await execa(rustc, ['--print', 'cfg', ...(target ? ['--target', target] : [])], { cwd: crateDir, reject: false, stdin: 'ignore' })
  if (result.exitCode !== 0) {
    throw new RustyError(`\`${rustc} --print cfg\` failed, so the #if blocks of the C header cannot be read for the target: ${String(result.stderr).split('\n')[0]}`)
  }
  return new Set(String(result.stdout).split('\n').map((line) => line.trim()).filter(Boolean))
}
