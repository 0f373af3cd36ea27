import { execa } from 'execa'
import { RustyError } from '../errors.js'
import { redact } from '../util/secrets.js'
import { classifyNpmError, type NpmError } from './npm-errors.js'

/** Where and how to publish; undefined fields leave npm's own configuration (the user's .npmrc) in charge. */
export interface RegistryOptions {
  /** Folder npm runs in: its project .npmrc (and the user's) apply. */
  cwd: string
  /** Registry URL; for a scoped name it is also passed as `--@scope:registry`, which npm prefers for that scope. */
  registry?: string
}

/** The npm flags that point a command for `name` at `registry`. */
export function registryArgs(name: string, registry: string | undefined): string[] {
  if (!registry) return []
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  return ['--registry', registry, ...(scope ? [`--${scope}:registry=${registry}`] : [])]
}

/**
 * Whether `name@version` is already on the registry (`npm view`).
 *
 * @throws RustyError when the registry cannot be asked (unreachable, refused);
 *   the message shows the registry URL without its credentials
 */
export async function versionExists(name: string, version: string, options: RegistryOptions): Promise<boolean> {
  const result = await execa('npm', ['view', `${name}@${version}`, 'version', '--json', ...registryArgs(name, options.registry)], {
    cwd: options.cwd,
    reject: false,
  })
  if (!result.failed) return result.stdout.trim() !== ''
  const error = classifyNpmError(result, options.registry)
  if (error.kind === 'not-found') return false
  throw new RustyError(`Cannot ask the registry${options.registry ? ` ${redact(options.registry)}` : ''} about ${name}: ${error.reason}`, {
    hint: 'Check the registry URL and your network; nothing was published.',
  })
}

/** The outcome of one `npm publish`: ok, or npm's error as {@link classifyNpmError} reads it. */
export type PublishOutcome = { ok: true } | { ok: false; error: NpmError }

/**
 * Publishes `tarball` (a staged package packed by src/publish/pack.ts, the
 * one the load check installed) with `npm publish --json --ignore-scripts`
 * (auth from .npmrc; npm never prompts here: stdin is closed). The staged
 * package is a copy: the package's lifecycle scripts belong to its root,
 * where `rusty publish` runs them (src/publish/scripts.ts), never here.
 * npm's output is kept, not streamed; a failure's code and error lines come
 * back redacted (see `redact`), so no token can leak.
 */
export async function npmPublish(
  name: string,
  tarball: string,
  options: RegistryOptions & { tag?: string; access?: string; dryRun?: boolean },
): Promise<PublishOutcome> {
  const args = ['publish', tarball, '--json', '--ignore-scripts', ...registryArgs(name, options.registry)]
  if (options.tag) args.push('--tag', options.tag)
  if (options.access) args.push('--access', options.access)
  if (options.dryRun) args.push('--dry-run')
  const result = await execa('npm', args, { cwd: options.cwd, stdin: 'ignore', reject: false })
  return result.failed ? { ok: false, error: classifyNpmError(result, options.registry) } : { ok: true }
}

/** A one-line reason from a failed npm command's output (stderr, or both streams), without credentials. */
export function npmReason(output: string, registry?: string): string {
  return classifyNpmError({ stderr: output }, registry).reason
}
