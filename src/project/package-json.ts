import type { BackendInfo } from './backend-table.js'
import { RustyError } from '../errors.js'
import { rustyVersion } from '../util/rusty-version.js'
import { versions } from '../versions.js'
import type { ProjectNames } from './names.js'
import type { TemplateContext } from './template-context.js'
import { PROJECT_TOOLS } from './tools.js'

export type { TemplateContext } from './template-context.js'

/**
 * The values templates are rendered with, for a project called `names` on
 * `backend`. Versions come from `src/versions.ts`; the devDependency on rusty
 * asks for this rusty's own version range.
 */
export function createTemplateContext(
  names: ProjectNames,
  backend: BackendInfo,
  options: { description?: string; crateDir: string; version?: string },
): TemplateContext {
  return {
    name: names.npmName,
    crateName: names.crateName,
    libName: names.libName,
    description: options.description ?? `${names.npmName}: a TypeScript package with a Rust core`,
    version: options.version ?? '0.1.0',
    backend: backend.name,
    crateDir: options.crateDir,
    versions,
    rustyRange: `^${rustyVersion()}`,
  }
}

/**
 * A new project's package.json: an ES module whose `exports` point at the
 * compiled TypeScript (`dist/`), a `"rusty"` block naming the backend and the
 * crate folder, `develop`, `test` (builds with `rusty develop`, then runs the
 * tests) and `test:only` (the tests alone, against whatever is built or
 * collected: CI's test jobs run it with no Rust toolchain) scripts, rusty-cli
 * and the build tools (typescript, the backend's `buildTools`) as devDependencies, then
 * the backend's own fields (napi's `napi` block, koffi's dependencies, wasm's
 * `imports`).
 */
export function createPackageJson(context: TemplateContext, backend: BackendInfo): Record<string, unknown> {
  return {
    name: context.name,
    version: context.version,
    description: context.description,
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist', 'native'],
    engines: { node: context.versions.node },
    scripts: {
      develop: 'rusty develop',
      // `node --test` without a folder: Node 22+ read `test/` as a file name (a glob), Node 20 as a folder.
      test: 'rusty develop && npm run test:only',
      'test:only': 'node --test',
    },
    devDependencies: devDependencies(context, backend),
    rusty: { backend: context.backend, crate: context.crateDir },
    ...backend.packageJsonFields(context),
  }
}

/**
 * A new project's devDependencies, sorted by name as npm writes them:
 * rusty-cli, typescript (the wrapper's compiler) and the backend's build
 * and release tools, each at the range in `src/versions.ts`.
 */
function devDependencies(context: TemplateContext, backend: BackendInfo): Record<string, string> {
  const deps: Record<string, string> = { 'rusty-cli': context.rustyRange, typescript: PROJECT_TOOLS.typescript }
  for (const tool of [...backend.buildTools, ...(backend.releaseTools ?? [])]) deps[tool] = PROJECT_TOOLS[tool]
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)))
}

/** The package.json fields that name dependencies (npm's package.json docs). */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const

/**
 * Refuses a package.json that depends on a package with its own name, as
 * `rusty new koffi --backend koffi` would: Node resolves a package's own name
 * to the package itself (self-reference through package.json "exports"), so
 * its `import 'koffi'` would load the package, not the dependency, and the
 * build's load check fails with a misleading error.
 *
 * @throws RustyError (exit code 2) naming the clash, with a name to use instead as the hint
 */
export function assertNotOwnDependency(pkg: Record<string, unknown>): void {
  const name = pkg.name
  if (typeof name !== 'string') return
  const field = DEPENDENCY_FIELDS.find((key) => Object.hasOwn((pkg[key] as Record<string, string> | undefined) ?? {}, name))
  if (!field) return
  throw new RustyError(`The package cannot be named "${name}": it depends on the npm package "${name}" (${field}), and Node would resolve that name to the package itself.`, {
    exitCode: 2,
    hint: `Use another package name, e.g. "${name}-demo" (rusty new: --name ${name}-demo; rusty init: "name" in package.json).`,
  })
}
