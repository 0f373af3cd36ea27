// What npm said when a command failed: its error code, its own lines, and
// what that means for `rusty publish`. Read from npm's `--json` output
// (`{ "error": { "code", "summary", "detail" } }`, npm's `--json` error
// format, lib/utils/error-message.js / exit-handler.js) and from its
// `npm error code <CODE>` stderr line; tested on real captures against
// verdaccio in test/fixtures/npm-publish-errors/ (and the script that made them).
import { redact } from '../util/secrets.js'

/**
 * What kind of refusal npm reported:
 * - `already-published`: that exact version is on the registry (EPUBLISHCONFLICT,
 *   E409, or npm's "You cannot publish over the previously published versions").
 * - `version-not-latest`: npm 11+ will not tag a version lower than the
 *   registry's latest as `latest` ("Cannot implicitly apply the "latest" tag");
 *   the version itself is new.
 * - `not-logged-in`: no or an invalid token (ENEEDAUTH, E401).
 * - `one-time-password`: the account asks for a 2FA code (EOTP).
 * - `forbidden`: logged in, but not allowed to publish this name (E403).
 * - `not-found`: the registry has no such scope or refuses to say (E404:
 *   npmjs answers 404 for a scope the user does not own).
 * - `script-failed`: a lifecycle script failed (ELIFECYCLE, or npm's numeric
 *   exit code with "command failed").
 * - `unreachable`: the network (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ETIMEDOUT, ECONNRESET).
 * - `other`: anything else; {@link NpmError.lines} says what.
 */
export type NpmErrorKind =
  | 'already-published'
  | 'version-not-latest'
  | 'not-logged-in'
  | 'one-time-password'
  | 'forbidden'
  | 'not-found'
  | 'script-failed'
  | 'unreachable'
  | 'other'

/** One failed npm command, as {@link classifyNpmError} reads it. Every string is redacted (see `redact`). */
export interface NpmError {
  kind: NpmErrorKind
  /** npm's code as it printed it (`E403`, `ENEEDAUTH`, `EPUBLISHCONFLICT`, `3` for a script's exit code), when it printed one. */
  code?: string
  /** npm's own error lines, without the `npm error ` prefix, the log file line and stack frames. Empty when npm printed none. */
  lines: string[]
  /** One line for a report: what it means, e.g. `not logged in to http://127.0.0.1:4873/ (run `npm login ...`)`. */
  reason: string
}

/** npm's `--json` error object (npm docs, "--json": errors are printed as `{ "error": { code, summary, detail } }`). */
interface JsonError {
  code?: string | number
  summary?: string
  detail?: string
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'])
// npm's own texts for the two checks it makes before the upload, which carry no code
// (npm 11's lib/commands/publish.js; both captured in test/fixtures/npm-publish-errors/).
const PUBLISHED_OVER = /^You cannot publish over the previously published versions/
const NOT_LATEST = /^Cannot implicitly apply the "latest" tag because previously published version/

/**
 * Reads a failed npm command's output: its code (from `--json` on stdout,
 * else the `npm error code <CODE>` line on stderr), its error lines, and
 * the kind of refusal by exact code, or by npm's own fixed text for the
 * two refusals npm prints without a code. Never throws: output it cannot
 * read is `other` with the lines it found.
 *
 * @param output npm's stdout (may hold the `--json` error) and stderr (or both interleaved, as `all`)
 * @param registry the registry URL the command used, for the reason (shown without credentials)
 */
export function classifyNpmError(output: { stdout?: string; stderr?: string }, registry?: string): NpmError {
  const json = jsonError(output.stdout ?? '')
  const lines = errorLines(output.stderr ?? '').map((line) => redact(line))
  const code = json?.code !== undefined ? String(json.code) : /^npm (?:error|ERR!) code (\S+)/m.exec(output.stderr ?? '')?.[1]
  const summary = redact(json?.summary ?? lines.find((line) => !/^(code|errno|syscall|path|command) /.test(line)) ?? '')
  if (lines.length === 0 && json) lines.push(...[code && `code ${code}`, json.summary, json.detail].filter((l): l is string => Boolean(l)).flatMap((l) => redact(l).split('\n')))
  const where = registry === undefined ? 'the registry' : redact(registry)
  const kind = kindOf(code, summary)
  const reason = reasonOf(kind, where, registry === undefined ? undefined : redact(registry)) ?? (summary || `npm failed${code ? ` (${code})` : ''}`)
  return { kind, ...(code === undefined ? {} : { code }), lines, reason }
}

function kindOf(code: string | undefined, summary: string): NpmErrorKind {
  if (code === 'EPUBLISHCONFLICT' || code === 'E409' || PUBLISHED_OVER.test(summary.replace(/^403 (403 )?Forbidden - \S+ \S+ - /, ''))) return 'already-published'
  if (NOT_LATEST.test(summary)) return 'version-not-latest'
  if (code === 'ENEEDAUTH' || code === 'E401') return 'not-logged-in'
  if (code === 'EOTP') return 'one-time-password'
  if (code === 'E403') return 'forbidden'
  if (code === 'E404') return 'not-found'
  if (code === 'ELIFECYCLE' || (code !== undefined && /^\d+$/.test(code) && summary === 'command failed')) return 'script-failed'
  if (code !== undefined && NETWORK_CODES.has(code)) return 'unreachable'
  return 'other'
}

function reasonOf(kind: NpmErrorKind, where: string, registry: string | undefined): string | undefined {
  switch (kind) {
    case 'already-published':
      return 'this version is already on the registry'
    case 'version-not-latest':
      return 'a higher version is the latest on the registry: npm will not tag this one "latest" (pass --tag, or bump the version above it)'
    case 'not-logged-in':
      return `not logged in to ${where} (run \`npm login${registry ? ` --registry ${registry}` : ''}\`)`
    case 'one-time-password':
      return 'the registry asks for a one-time password (publish from CI with an automation token, or with npm\'s --otp)'
    case 'forbidden':
      return `${where} refused: this user may not publish this package`
    case 'not-found':
      return `${where} answered 404: the scope does not exist, or this user may not publish to it`
    case 'script-failed':
      return 'a lifecycle script failed'
    case 'unreachable':
      return `${where} is unreachable`
    default:
      return undefined
  }
}

/** npm's `--json` error on stdout, if it printed one (the last JSON object there). */
function jsonError(stdout: string): JsonError | undefined {
  const start = stdout.lastIndexOf('\n{') + 1
  try {
    const parsed = JSON.parse(stdout.slice(start)) as { error?: JsonError }
    return typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined
  } catch {
    return undefined
  }
}

/**
 * npm's `npm error` (npm 10+) or `npm ERR!` (older) lines without their
 * prefix, leaving out the log file's path, blank lines and a stack trace
 * with the object dump after it (`at ...` up to the closing `}`).
 */
function errorLines(stderr: string): string[] {
  const lines: string[] = []
  let inStack = false
  for (const raw of stderr.split('\n')) {
    const m = /^npm (?:error|ERR!)(?: (.*))?$/.exec(raw.trimEnd())
    if (!m) continue
    const line = m[1] ?? ''
    if (inStack) {
      if (line === '}' || (!/^\s/.test(line) && line !== '')) inStack = false
      if (line === '}' || line === '' || /^\s/.test(line)) continue
    }
    if (/^\s+at /.test(line)) {
      inStack = true
      continue
    }
    if (line.trim() === '' || /^A complete log of this run can be found in/.test(line)) continue
    lines.push(line)
  }
  return lines
}
