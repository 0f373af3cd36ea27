import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import semver from 'semver'
import validateName from 'validate-npm-package-name'
import { RustyError } from '../errors.js'
import { NPMRC_CREDENTIAL, URL_PASSWORD, redact, secretsIn, type EnvSecret } from '../util/secrets.js'

/**
 * Refuses a package.json that must not be published, before anything is
 * built or uploaded: `"private": true` (npm refuses it too, but only when its
 * turn comes, after the platform packages went up), a missing or invalid
 * `name`, a missing or invalid `version` (semver).
 *
 * @param where the file, for the message
 * @throws RustyError (exit 1) naming the field and the fix
 */
export function checkManifest(pkg: Record<string, unknown>, where: string): void {
  if (pkg.private === true) {
    throw new RustyError(`Refusing to publish: ${where} has "private": true. Nothing was published.`, {
      hint: 'Remove "private": true from package.json to publish this package.',
    })
  }
  const { name, version } = pkg
  if (typeof name !== 'string' || !validateName(name).validForNewPackages) {
    throw new RustyError(`Refusing to publish: ${where} has ${typeof name === 'string' ? `an invalid "name" (${JSON.stringify(name)})` : 'no "name"'}. Nothing was published.`, {
      hint: 'Set "name" in package.json to a valid npm package name (lowercase, e.g. "my-lib" or "@scope/my-lib").',
    })
  }
  if (typeof version !== 'string' || semver.valid(version) === null) {
    throw new RustyError(`Refusing to publish: ${where} has ${typeof version === 'string' ? `an invalid "version" (${JSON.stringify(version)})` : 'no "version"'}. Nothing was published.`, {
      hint: 'Set one version everywhere with `rusty version <semver>` (e.g. `rusty version 0.1.0`).',
    })
  }
}

/** Where rusty's own and cargo's outputs are in a package, as relative folders (`/`-separated, no trailing slash). */
export interface OutputFolders {
  /** The crate's folder, relative to the package root (`rust`, or `.` when the crate is the package root). */
  crate: string
  /** The artifacts folder, relative to the package root, when it is inside it. */
  artifacts?: string
  /** Cargo's target dir, relative to the package root, when it is inside it (CARGO_TARGET_DIR, --target-dir). */
  target?: string
}

/**
 * Why `file` (a packed path relative to the package root, `/`-separated)
 * must never be in a package rusty uploads, or undefined when it may be:
 * rusty's state (`.rusty/`: stamps, staging, the load check's temporary
 * app), a cargo target dir (the crate's `target/`, the package's `target/`,
 * `target`, and any folder `isCargoTargetDir` recognises), the artifacts
 * folder (release builds: they ship in platform packages), and temporary
 * files (`*.tmp`, `.napi-stage-*`).
 *
 * @param isCargoTargetDir whether a folder (relative) is a cargo target dir, e.g. by its `CACHEDIR.TAG`
 */
export function forbiddenReason(file: string, folders: OutputFolders, isCargoTargetDir: (dir: string) => boolean = () => false): string | undefined {
  const segments = file.split('/')
  if (segments.includes('.rusty')) return "rusty's state folder (.rusty/)"
  const crate = folders.crate === '.' ? '' : `${folders.crate}/`
  const targets = [`target/`, `${crate}target/`, ...(folders.target ? [`${folders.target}/`] : [])]
  if (targets.some((dir) => file.startsWith(dir))) return 'a cargo target dir'
  for (let i = 1; i < segments.length; i++) {
    if (segments[i - 1] === 'target' && isCargoTargetDir(segments.slice(0, i).join('/'))) return 'a cargo target dir'
  }
  if (folders.artifacts && file.startsWith(`${folders.artifacts}/`)) return 'the artifacts folder'
  const base = segments.at(-1)!
  if (base.endsWith('.tmp') || segments.some((s) => s.startsWith('.napi-stage-'))) return 'a temporary file'
  return undefined
}

/** Whether `<root>/<dir>` is a cargo target dir: cargo writes `CACHEDIR.TAG` and `.rustc_info.json` there. */
export function cargoTargetDirIn(root: string): (dir: string) => boolean {
  return (dir) => existsSync(path.join(root, dir, 'CACHEDIR.TAG')) || existsSync(path.join(root, dir, '.rustc_info.json'))
}

/**
 * The files `npm pack` puts in the package in `dir` (its "files", .npmignore,
 * .gitignore; scripts not run), relative `/`-separated paths, as
 * `npm pack --dry-run --json` reports them.
 *
 * @throws RustyError when npm cannot pack it
 */
export async function packedFiles(dir: string): Promise<string[]> {
  const result = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, stdin: 'ignore', reject: false })
  if (result.failed) {
    throw new RustyError(`\`npm pack --dry-run\` failed in ${dir}: ${redact(result.stderr.split('\n').find((l) => l.includes('error')) ?? 'npm pack failed')}`)
  }
  const [report] = JSON.parse(result.stdout) as { files: { path: string }[] }[]
  return (report?.files ?? []).map((f) => f.path)
}

/** A packed file that holds a credential. */
export interface SecretFinding {
  /** Relative path in the package. */
  file: string
  /** The variables whose values it holds, and/or `an npmrc credential line`. */
  what: string[]
}

/**
 * Reads each of `files` (relative to `dir`) and reports those that hold the
 * value of one of `secrets` (the environment's tokens, as bytes, in text and
 * binaries alike), an npmrc credential line (`_authToken=`, `_auth=`,
 * `_password=`), or, in a package.json or .npmrc, a URL with a password
 * (a `publishConfig.registry` that platform packages would inherit).
 */
export async function findSecrets(dir: string, files: string[], secrets: EnvSecret[]): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = []
  for (const file of files) {
    const bytes = await fs.readFile(path.join(dir, file)).catch(() => undefined)
    if (!bytes) continue
    const what = secretsIn(bytes, secrets)
    // Credential lines are text; a binary's bytes are not searched for them.
    if (!bytes.subarray(0, 8000).includes(0) && NPMRC_CREDENTIAL.test(bytes.toString('utf8'))) what.push('an npmrc credential line')
    // Only in the package's own metadata: a README's example connection string is not a credential of this publish.
    if (/(^|\/)(package\.json|\.npmrc)$/.test(file) && URL_PASSWORD.test(bytes.toString('utf8'))) what.push('a URL with a password')
    if (what.length > 0) findings.push({ file, what })
  }
  return findings
}

/**
 * The last check of a staged package before anything is uploaded: what
 * `npm pack` puts in it holds no forbidden file ({@link forbiddenReason})
 * and no credential ({@link findSecrets}).
 *
 * @param name the package's name, for the message
 * @param packed the files of its tarball, relative, when it is packed already
 *   (src/publish/pack.ts); else `npm pack --dry-run` lists them
 * @throws RustyError naming every offending file (never a secret's value) and the fix
 */
export async function checkPackedFiles(name: string, dir: string, folders: OutputFolders, secrets: EnvSecret[], packed?: string[]): Promise<void> {
  const files = packed ?? (await packedFiles(dir))
  const forbidden = files.flatMap((file) => {
    const reason = forbiddenReason(file, folders, cargoTargetDirIn(dir))
    return reason ? [`${file} (${reason})`] : []
  })
  if (forbidden.length > 0) {
    throw new RustyError(`Refusing to publish ${name}: it would contain ${list(forbidden)}. Nothing was published.`, {
      hint: 'These are build outputs, never package files: take them out of package.json "files" (or add them to .npmignore).',
    })
  }
  const findings = await findSecrets(dir, files, secrets)
  if (findings.length > 0) {
    throw new RustyError(`Refusing to publish ${name}: ${list(findings.map((f) => `${f.file} holds ${f.what.join(', ')}`))}. Nothing was published.`, {
      hint: 'Remove the credential from those files (or leave them out of package.json "files"); a token that was in a published file must be revoked.',
    })
  }
}

function list(items: string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ')
}
