// What counts as a secret, and how rusty keeps one out of what it prints,
// writes and packs. No imports: the develop hot path reads this module.

/** A secret held by an environment variable: its name (printable) and value (never printed). */
export interface EnvSecret {
  name: string
  value: string
}

/**
 * The names of variables that hold credentials: npm's and GitHub's
 * (`NPM_TOKEN`, `NODE_AUTH_TOKEN`, `GITHUB_TOKEN`), cargo's
 * (`CARGO_REGISTRY_TOKEN`, `CARGO_REGISTRIES_<NAME>_TOKEN`) and any
 * `*_TOKEN`, `*_PASSWORD`, `*_SECRET`, `*_API_KEY`, `*_AUTH`.
 */
export const SECRET_NAME = /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|AUTH)$/i

/** Values shorter than this are not treated as secrets: `1`, `true`, `none` would match every file. */
export const MIN_SECRET_LENGTH = 8

/**
 * The secrets in `env`: every variable named as {@link SECRET_NAME} whose
 * value has at least {@link MIN_SECRET_LENGTH} characters, longest first
 * (so a value that contains another is matched whole).
 */
export function secretsOf(env: NodeJS.ProcessEnv = process.env): EnvSecret[] {
  const secrets: EnvSecret[] = []
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_NAME.test(name)) secrets.push({ name, value })
  }
  return secrets.sort((a, b) => b.value.length - a.value.length)
}

/** The names of the secrets of `secrets` whose value occurs in `text` (a string, or a file's bytes). */
export function secretsIn(text: string | Buffer, secrets: EnvSecret[]): string[] {
  return secrets.filter((secret) => text.includes(secret.value)).map((secret) => secret.name)
}

/**
 * An npmrc credential line: `_authToken=`, `_auth=`, `_password=` (alone or
 * after a `//registry/:` prefix), as npm's config documentation names them.
 */
export const NPMRC_CREDENTIAL = /^[ \t]*(?:\/\/[^\s=]*:)?_(?:authToken|auth|password)[ \t]*=[ \t]*\S/m

/**
 * A URL with a password in its userinfo (`https://user:pass@host/`, RFC 3986
 * §3.2.1), as a registry URL in package.json's `publishConfig` or an .npmrc
 * may hold one. `git+ssh://git@host` (no `:`) is not one.
 */
export const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"`]+:[^\s/?#@'"`]+@/i

// scheme://user:password@ and scheme://token@ (userinfo of RFC 3986 §3.2.1).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"`]+@/gi
// npmrc credentials: `_authToken=...` (`//host/:_authToken=...`), `_auth=`, `_password=`.
const NPMRC_VALUE = /(_(?:authToken|auth|password)[ \t]*=[ \t]*)[^\s'"`]+/g

/**
 * `text` with credentials replaced by `***`: the userinfo of every URL
 * (`https://user:pass@host/` -> `https://***@host/`), the values of npmrc
 * credential settings (`_authToken=`, `_auth=`, `_password=`), and the
 * values of `secrets` (default: those of process.env). For anything rusty
 * prints that came from the user or from npm (registry URLs, npm's output).
 */
export function redact(text: string, secrets: EnvSecret[] = secretsOf()): string {
  let result = text.replace(URL_USERINFO, '$1***@').replace(NPMRC_VALUE, '$1***')
  for (const secret of secrets) result = result.split(secret.value).join('***')
  return result
}
