// Imports generated koffi bindings in this process with real koffi types
// but without a library: `$lib.func` checks the signature with koffi.proto
// and returns a stand-in that reports the arguments it was called with. The
// helpers come from the real templates/runtime/ffi.js, as in a package.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot, tempDir } from './helpers.js'

const koffiUrl = pathToFileURL(createRequire(import.meta.url).resolve('koffi')).href
const ffiUrl = pathToFileURL(path.join(repoRoot, 'templates', 'runtime', 'ffi.js')).href
let counter = 0
let dir: string | undefined

/** What a stand-in function was called with. */
export interface StubCall {
  name: string
  args: unknown[]
}

/**
 * Imports the generated module `js` with `$lib` replaced by a stand-in.
 *
 * @returns the module's exports
 * @throws whatever the module throws while loading (a koffi type error, a SyntaxError, ...)
 */
export async function importWithStubLibrary(js: string): Promise<Record<string, unknown>> {
  const loadLine = /^const \$lib = \$loadLibrary\(\$koffi\.load, .*\)$/m
  if (!loadLine.test(js)) throw new Error('the generated module has no `const $lib = $loadLibrary($koffi.load, ...)` line')
  const stub = [
    'const $lib = { func: (name, result, params) => {',
    '  $koffi.proto(result, params)',
    '  const f = (...args) => ({ name, args })',
    '  f.async = (...args) => { const callback = args.pop(); setImmediate(() => callback(null, { name, args })) }',
    '  return f',
    '} }',
  ].join('\n')
  const source = js
    .replace("import $koffi from 'koffi'", `import $koffi from ${JSON.stringify(koffiUrl)}`)
    .replace(/^import \{ [^}]* \} from '\.\/(platform|load-error)\.js'$/gm, '')
    .replace(/^(import \{ [^}]* \} from )'\.\/ffi\.js'$/m, `$1${JSON.stringify(ffiUrl)}`)
    .replace(loadLine, stub)
  dir ??= tempDir()
  const file = path.join(dir, `bindings-${counter++}.mjs`)
  fs.writeFileSync(file, source)
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>
}
