import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { RustyError } from '../errors.js'
import { versions } from '../versions.js'
import { projectPackageManager } from '../util/package-manager.js'

/**
 * The build tools a project pins in its own devDependencies and rusty loads
 * from the project, never from its own install (as napi-rs projects pin
 * @napi-rs/cli and maturin projects pin maturin): the project decides their
 * versions, and `npm install -g rusty-cli` stays small. Values are the
 * version ranges `rusty new` / `rusty init` write (`src/versions.ts`).
 */
export const PROJECT_TOOLS = {
  '@napi-rs/cli': versions.napiCli,
  '@napi-rs/cross-toolchain': versions.napiCrossToolchain,
  binaryen: versions.binaryen,
  typescript: versions.typescript,
} as const

/** A package name from {@link PROJECT_TOOLS}. */
export type ProjectTool = keyof typeof PROJECT_TOOLS

/**
 * The absolute path of `subpath` inside the tool package `name` as installed
 * for the project at `root` (Node's resolution from `<root>/package.json`,
 * so a tool hoisted to a workspace root is found too). With no `subpath`,
 * the package's CommonJS entry (`require.resolve(name)`).
 *
 * @throws RustyError (exit 1) naming the package and `hint: run npm install`
 *   when it is not installed (or, when package.json does not list it, the
 *   exact `npm i -D <name>@<range>` to run), in the project's own package
 *   manager's words (`pnpm install`, `yarn add -D …`)
 */
export function resolveProjectTool(root: string, name: ProjectTool, subpath?: string): string {
  // The common case first, without Node's resolver (which stats its way up
  // and reads package.json "exports": ~1 ms a tool, on every develop): the
  // package.json of a tool installed in the project's own node_modules is
  // where resolution from <root>/package.json would find it first.
  if (subpath === 'package.json') {
    const direct = path.join(root, 'node_modules', name, 'package.json')
    if (fs.existsSync(direct)) return direct
  }
  const require = createRequire(path.join(root, 'package.json'))
  try {
    return require.resolve(subpath === undefined ? name : `${name}/${subpath}`)
  } catch (error) {
    throw missingTool(root, name, error)
  }
}

/**
 * Checks, before any build starts, that every tool in `names` is installed
 * for the project at `root` (resolution only, nothing is loaded), so a
 * missing one stops `develop` at once instead of after cargo.
 *
 * @throws RustyError naming every missing tool, with `hint: run npm install`
 *   (or the `npm i -D` line for tools package.json does not list), in the
 *   project's package manager's words
 */
export function assertProjectTools(root: string, names: readonly ProjectTool[]): void {
  const missing = names.filter((name) => {
    try {
      resolveProjectTool(root, name, 'package.json')
      return false
    } catch {
      return true
    }
  })
  if (missing.length === 0) return
  const they = missing.length === 1 ? `${missing[0]} is` : `${missing.join(', ')} are`
  throw new RustyError(`${they} not installed in ${root}; this project builds with ${missing.length === 1 ? 'it' : 'them'}.`, {
    hint: installHint(root, missing),
  })
}

/** The installed version of the tool `name` in the project at `root` (its package.json), read without loading it. */
export function projectToolVersion(root: string, name: ProjectTool): string {
  const file = resolveProjectTool(root, name, 'package.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}

/**
 * Imports the tool package `name` as installed for the project at `root`.
 * `T` is the module's type (e.g. `typeof import('typescript')`).
 *
 * @throws RustyError as {@link resolveProjectTool} does
 */
export async function importProjectTool<T>(root: string, name: ProjectTool): Promise<T> {
  return (await import(pathToFileURL(resolveProjectTool(root, name)).href)) as T
}

function missingTool(root: string, name: ProjectTool, cause: unknown): RustyError {
  // Node's "Cannot find module" (with its require stack) says nothing the
  // message does not; any other failure to resolve is printed as the cause.
  const notFound = (cause as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND'
  return new RustyError(`${name} is not installed in ${root}; this project builds with it.`, { hint: installHint(root, [name]), cause: notFound ? undefined : cause })
}

/**
 * How to install `names`: `run npm install` when package.json lists them
 * all, else the `npm i -D` line for those it does not list, with the
 * project's package manager (`src/util/package-manager.ts`).
 */
function installHint(root: string, names: readonly ProjectTool[]): string {
  let pkg: Record<string, Record<string, string> | undefined> = {}
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as typeof pkg
  } catch {
    // No readable package.json: every tool is unlisted.
  }
  const unlisted = names.filter((name) => pkg.devDependencies?.[name] === undefined && pkg.dependencies?.[name] === undefined)
  const pm = projectPackageManager(root)
  if (unlisted.length === 0) return `run ${pm.format('install')}`
  return `run ${pm.format('add', ['-D', ...unlisted.map((name) => `${name}@${PROJECT_TOOLS[name]}`)])}`
}

/**
 * The tools a build of `project` on `backend` loads: the backend's
 * `buildTools`, and typescript when the project has a tsconfig.json (the
 * wrapper is compiled then).
 */
export function projectTools(project: { root: string }, backend: { buildTools: readonly ProjectTool[] }): ProjectTool[] {
  const typescript: ProjectTool[] = fs.existsSync(path.join(project.root, 'tsconfig.json')) ? ['typescript'] : []
  return [...backend.buildTools, ...typescript]
}
