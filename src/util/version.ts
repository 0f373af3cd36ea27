import fs from 'node:fs'
import path from 'node:path'
import { packageRoot } from './paths.js'

let cached: string | undefined

/** rusty's own version, from its package.json (read once, synchronously, without loading any library). */
export function rustyVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
  return cached
}
