import { execa } from 'execa'
import { RustyError } from '../errors.js'
import { redact } from '../util/secrets.js'

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
    all: true,
  })
  if (!result.failed) return result.stdout.trim() !== ''
  if (/E404|404 Not Found|is not in this registry/.test(result.all ?? '')) return false
  throw new RustyError(`Cannot ask the registry${options.registry ? ` ${redact(options.registry)}` : ''} about ${name}: ${npmReason(result.all ?? '')}`, {
    hint: 'Check the registry URL and your network; nothing was published.',
  })
}

/** The outcome of one `npm publish`. */
export interface PublishOutcome {
  ok: boolean
  /** One line: npm's reason when it failed. */
  reason?: string
}

/**
 * Publishes the package in `dir` with `npm publish --ignore-scripts` (auth
 * from .npmrc; npm never prompts here: stdin is closed). The staged folder
 * is a copy: the package's lifecycle scripts belong to its root, where
 * `rusty publish` runs them (src/publish/scripts.ts), never here. npm's
 * output is kept, never printed, so no token can leak.
 */
export async function npmPublish(
  name: string,
  dir: string,
  options: RegistryOptions & { tag?: string; access?: string; dryRun?: boolean },
): Promise<PublishOutcome> {
  const args = ['publish', dir, '--ignore-scripts', ...registryArgs(name, options.registry)]
  if (options.tag) args.push('--tag', options.tag)
  if (options.access) args.push('--access', options.access)
  if (options.dryRun) args.push('--dry-run')
  const result = await execa('npm', args, { cwd: options.cwd, stdin: 'ignore', reject: false, all: true })
  return result.failed ? { ok: false, reason: npmReason(result.all ?? '', options.registry) } : { ok: true }
}

/** A one-line reason from npm's error output, without credentials (see {@link redact}). */
export function npmReason(output: string, registry?: string): string {
  return redact(reasonOf(output, registry === undefined ? undefined : redact(registry)))
}

function reasonOf(output: string, registry: string | undefined): string {
  if (/ENEEDAUTH|E401|need auth|Unable to authenticate|You must be logged in/i.test(output)) {
    return `not logged in to ${registry ?? 'the registry'} (run \`npm login${registry ? ` --registry ${registry}` : ''}\`)`
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(output)) return `the registry${registry ? ` ${registry}` : ''} is unreachable`
  if (/EPUBLISHCONFLICT|cannot publish over|previously published|already exists/i.test(output)) return 'this version is already on the registry'
  const line = output.split('\n').find((l) => /npm (error|ERR!)/.test(l) && !/A complete log|npm error code|^npm error$/.test(l))
  return line?.replace(/^npm (error|ERR!)\s*/, '').trim() || 'npm publish failed'
}
