// Bundles rusty's runtime code with esbuild, after `tsc` has written dist/
// (whose .d.ts files stay the API's types): dist/main.js (bin/rusty.js's
// entry), dist/cli.js and dist/index.js become one ES module each, sharing chunks in dist/chunks/, with rusty-cli's
// own dependencies (execa, commander, ...) inside. Start-up then reads a few
// files instead of a few hundred: `import('execa')` alone costs ~170 ms
// unbundled and ~45 ms bundled (BENCHMARKS.md).
//
// So the published package has no dependencies at all: the libraries it
// bundles (execa, commander, ...) are devDependencies, and
// `npm install -g rusty-cli` installs dist/ and templates/ only (source maps
// stay out of the package, package.json "files").
//
// Left out (external): Node's built-ins, and the build tools rusty loads
// from the user's project at run time (src/project/tools.ts), which are not
// rusty's dependencies.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = path.join(root, 'dist')

fs.rmSync(path.join(dist, 'chunks'), { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', cli: 'src/cli.ts', index: 'src/index.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  sourcemap: true,
  legalComments: 'linked',
  external: ['@napi-rs/cli', 'typescript', 'binaryen'],
  // CommonJS dependencies (fs-extra, handlebars, proper-lockfile) call
  // require() for Node's built-ins, and write-file-atomic seeds its temporary
  // names with __filename; an ES module has neither of its own.
  banner: {
    js: "import { createRequire as __rustyCreateRequire } from 'node:module';\nconst require = __rustyCreateRequire(import.meta.url);\nconst __filename = import.meta.filename;",
  },
  logLevel: 'warning',
})

// The help pages src/main.ts prints without loading commander, rendered from
// the bundled program itself (src/help-pages.ts).
const { createProgram } = await import(pathToFileURL(path.join(dist, 'cli.js')).href)
const { renderHelpPages } = await import(pathToFileURL(path.join(dist, 'help-pages.js')).href)
fs.writeFileSync(path.join(dist, 'help.json'), `${JSON.stringify(renderHelpPages(createProgram()))}\n`)
