import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Absolute path of rusty's own package root (the folder holding its package.json). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Absolute path of `templates/` shipped with rusty. */
export const templatesRoot = path.join(packageRoot, 'templates')
