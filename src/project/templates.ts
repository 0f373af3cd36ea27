import fs from 'node:fs/promises'
import path from 'node:path'
import Handlebars from 'handlebars'
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml'
import { RustyError } from '../errors.js'
import { templatesRoot } from '../util/paths.js'

/** A rendered project: relative path (always `/`-separated) to file content. */
export type RenderedFiles = Map<string, string | Buffer>

/**
 * Renders the template folders `templates/<layer>` in order (later layers
 * override earlier ones file by file) with `context`.
 *
 * - Files ending in `.hbs` are Handlebars templates; the suffix is dropped.
 *   Values are inserted literally (no HTML escaping); in JSON and TOML files
 *   templates must use the `json` / `toml` helpers, which write a value as a
 *   quoted, escaped literal, so quotes, `{{` or unicode in a value can never
 *   break the file.
 * - Other files are copied byte for byte.
 * - `_gitignore` becomes `.gitignore` (npm drops `.gitignore` files from
 *   published packages, so templates cannot ship one under its real name).
 *
 * Every rendered `.json` and `.toml` file is parsed again as a check.
 *
 * @throws RustyError when a template folder is missing or renders invalid JSON/TOML (a bug)
 */
export async function renderTemplates(layers: string[], context: object): Promise<RenderedFiles> {
  const files: RenderedFiles = new Map()
  const handlebars = createHandlebars()
  for (const layer of layers) {
    const root = path.join(templatesRoot, layer)
    for (const relative of await listTemplateFiles(root)) {
      let target = relative
      let content: string | Buffer = await fs.readFile(path.join(root, ...relative.split('/')))
      if (target.endsWith('.hbs')) {
        target = target.slice(0, -'.hbs'.length)
        content = handlebars.compile(content.toString('utf8'), { noEscape: true, strict: true })(context)
      }
      target = target.replace(/(^|\/)_gitignore$/, '$1.gitignore')
      files.set(target, content)
    }
  }
  for (const [file, content] of files) checkSyntax(file, content)
  return files
}

/**
 * Every file below the template folder `root`, as `/`-separated paths
 * relative to it, sorted. A walk of one folder at a time with paths joined
 * here, not `readdir({ recursive: true })` and `Dirent.parentPath`: under
 * Yarn 2+ Plug'n'Play rusty runs from a zip archive that Yarn's patched `fs`
 * reads folder by folder, and its Dirents have no `parentPath` (a bare
 * `_gitignore` was then opened relative to the working folder: ENOENT).
 *
 * @throws RustyError when `root` cannot be read (rusty's install is incomplete)
 */
async function listTemplateFiles(root: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (relative: string): Promise<void> => {
    const dir = relative === '' ? root : path.join(root, ...relative.split('/'))
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => {
      throw new RustyError(`rusty's templates are missing (${dir}); reinstall rusty-cli.`)
    })
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) await walk(child)
      else if (entry.isFile()) found.push(child)
    }
  }
  await walk('')
  return found.sort()
}

/** Writes `value` as a TOML string literal (a basic string with escapes), e.g. `"a \"b\""`. */
export function tomlString(value: string): string {
  // smol-toml serialises tables; serialise a one-key table and keep its value.
  return stringifyToml({ v: value }).replace(/^v = /, '').trim()
}

function createHandlebars(): typeof Handlebars {
  const instance = Handlebars.create()
  instance.registerHelper('json', (value: unknown) => JSON.stringify(value))
  instance.registerHelper('toml', (value: unknown) => tomlString(String(value)))
  return instance
}

function checkSyntax(file: string, content: string | Buffer): void {
  const text = content.toString()
  try {
    if (file.endsWith('.json')) JSON.parse(text)
    if (file.endsWith('.toml')) parseToml(text)
  } catch (error) {
    throw new RustyError(`Template bug: ${file} rendered to invalid ${file.endsWith('.json') ? 'JSON' : 'TOML'}: ${(error as Error).message}`)
  }
}
