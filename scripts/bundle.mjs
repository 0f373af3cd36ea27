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
import semver from 'semver'

/**
 * `import process from 'node:process'` (in nano-spawn and execa) makes Node
 * build that built-in's ES-module facade, which reads every property of
 * `process` once, `allowedNodeEnvironmentFlags` included: ~3.5 ms of every
 * start (measured on Node 20). The bundle reads the global instead, the same
 * object.
 */
const processGlobal = {
  name: 'process-global',
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, () => ({ path: 'process', namespace: 'process-global' }))
    build.onLoad({ filter: /.*/, namespace: 'process-global' }, () => ({ contents: 'module.exports = globalThis.process', loader: 'js' }))
  },
}

/**
 * proper-lockfile (rusty's build lock) reads graceful-fs, whose queue for
 * EMFILE retries matters to code that opens many files at once; the lock
 * only makes, stats, touches and removes one folder, and loading
 * graceful-fs (26 KB that patch every fs function) cost every develop
 * ~2 ms. In the bundle, proper-lockfile gets Node's fs itself (fs-extra,
 * which copies trees, keeps graceful-fs).
 */
const lockWithPlainFs = {
  name: 'lock-with-plain-fs',
  setup(build) {
    build.onResolve({ filter: /^graceful-fs$/ }, ({ importer }) =>
      /[\\/]node_modules[\\/]proper-lockfile[\\/]/.test(importer) ? { path: 'node:fs', external: true } : undefined,
    )
  },
}

/**
 * The banner's lines (see below) are blanked in each output file that uses
 * neither `require` nor `__filename`, most of them: each createRequire costs
 * a start ~0.1 ms, and a no-op develop loads ~25 files. Blank, not removed,
 * so the source maps' line numbers stay right.
 */
const BANNER = {
  require: "import { createRequire as __rustyCreateRequire } from 'node:module';\nconst require = __rustyCreateRequire(import.meta.url);",
  filename: 'const __filename = import.meta.filename;',
}

function trimBanner(file) {
  const text = fs.readFileSync(file, 'utf8')
  const head = `${BANNER.require}\n${BANNER.filename}\n`
  if (!text.startsWith(head)) throw new Error(`${file} does not start with the banner`)
  const body = text.slice(head.length)
  const keep = (lines, used) => (used ? lines : lines.replace(/[^\n]/g, ''))
  fs.writeFileSync(file, `${keep(BANNER.require, /\brequire\b/.test(body))}\n${keep(BANNER.filename, /\b__filename\b/.test(body))}\n${body}`)
}

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = path.join(root, 'dist')

/** The lowest version `engines.node` of package.json allows (`22.22.2`), read with semver. */
function minNode() {
  const { engines } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  return semver.minVersion(engines.node).version
}

fs.rmSync(path.join(dist, 'chunks'), { recursive: true, force: true })
const result = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: { main: 'src/main.ts', cli: 'src/cli.ts', index: 'src/index.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  // The lowest Node in rusty's `engines` (src/versions.ts, the same range in package.json).
  target: `node${minNode()}`,
  sourcemap: true,
  legalComments: 'linked',
  external: ['@napi-rs/cli', 'typescript', 'binaryen'],
  // CommonJS dependencies (fs-extra, handlebars, proper-lockfile) call
  // require() for Node's built-ins, and write-file-atomic seeds its temporary
  // names with __filename; an ES module has neither of its own.
  banner: { js: `${BANNER.require}\n${BANNER.filename}` },
  logLevel: 'warning',
  plugins: [processGlobal, lockWithPlainFs],
})
for (const file of Object.keys(result.metafile.outputs)) if (file.endsWith('.js')) trimBanner(path.join(root, file))
// For each module it loads, Node looks up the nearest package.json for the
// module "type" (a .js file's format): one beside the chunks ends that walk at
// once instead of two folders up (~3 ms over a no-op develop's ~20 chunks).
fs.writeFileSync(path.join(dist, 'chunks', 'package.json'), `${JSON.stringify({ type: 'module' })}\n`)

// What src/main.ts answers without loading commander, rendered from the
// bundled program itself: the help pages (src/help-pages.ts) and what the
// parser hands each command run without arguments (src/bare-commands.ts).
const { createProgram } = await import(pathToFileURL(path.join(dist, 'cli.js')).href)
const { renderHelpPages } = await import(pathToFileURL(path.join(dist, 'help-pages.js')).href)
const { recordBareCommands } = await import(pathToFileURL(path.join(dist, 'bare-commands.js')).href)
fs.writeFileSync(path.join(dist, 'help.json'), `${JSON.stringify(renderHelpPages(createProgram()))}\n`)
fs.writeFileSync(path.join(dist, 'bare-commands.json'), `${JSON.stringify(await recordBareCommands(createProgram), null, 2)}\n`)
