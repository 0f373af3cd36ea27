import fs from 'node:fs'
import path from 'node:path'
import { packageRoot } from './paths.js'

let cached: string | undefined

/**
 * The version of the running rusty-cli, from its own package.json (read once,
 * synchronously, without loading any library). Not to be confused with
 * `src/versions.ts`: the versions a generated project depends on.
 */
export function rustyVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
  return cached
}
