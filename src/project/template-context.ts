import type { BackendName } from './backend-table.js'
import type { Versions } from '../versions.js'

/** Values a new project's templates are rendered with (`createTemplateContext` in `package-json.ts`). */
export interface TemplateContext {
  /** npm package name, e.g. `@acme/fast-math`. */
  name: string
  /** Cargo package name, e.g. `fast-math`. */
  crateName: string
  /** Rust library name, e.g. `fast_math`. */
  libName: string
  /** One-line description for package.json, Cargo.toml and the README. */
  description: string
  /** Initial version of both the npm package and the crate (semver). */
  version: string
  /** The backend's name, e.g. `napi`. */
  backend: BackendName
  /** The crate's folder relative to the package root (`rust`). */
  crateDir: string
  /** Versions of everything the generated files depend on (`src/versions.ts`). */
  versions: Versions
  /** The version range of rusty the project's devDependencies ask for. */
  rustyRange: string
}
