// rusty's import graph rules, checked by test/unit/layers.test.ts (and by
// `npx depcruise src` for a report). dependency-cruiser's configuration
// format: https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md
//
// src/ is a stack of layers. A module may import its own layer and any layer
// below it, never one above: the entry files parse argv and pick a command,
// commands run steps, and each step's code only knows what it builds on.
// Type-only imports count too (they are knowledge of the layer above).

/** The build pipeline's folder, below src/; renaming the folder is changing this one constant. */
export const PIPELINE = 'pipeline'

/**
 * The layers, top first: a name and the paths (regular expressions over
 * paths relative to the repository root) of its modules.
 */
export const LAYERS = [
  { name: 'entry', paths: ['^src/(cli|main|index|actions|bare-commands|help-pages)\\.ts$'] },
  { name: 'commands', paths: ['^src/commands/'] },
  // Migration steps of `rusty init` (src/init/): below the commands that run them.
  { name: 'init', paths: ['^src/init/'] },
  { name: 'publishing', paths: ['^src/publish/', '^src/workflows/'] },
  { name: 'pipeline', paths: [`^src/${PIPELINE}/`] },
  { name: 'backends', paths: ['^src/backends/'] },
  { name: 'project', paths: ['^src/project/'] },
  { name: 'boundary', paths: ['^src/boundary\\.ts$'] },
  { name: 'util', paths: ['^src/util/'] },
  { name: 'base', paths: ['^src/(errors|system-errors|versions)\\.ts$'] },
]

const inLayer = (layer) => `(${layer.paths.join('|')})`
const anyLayer = `(${LAYERS.map(inLayer).join('|')})`

/** One rule per layer: nothing in it imports a layer above it. */
const upwardRules = LAYERS.slice(1).map((layer, index) => ({
  name: `no-upward-import-from-${layer.name}`,
  comment: `${layer.name} sits below ${LAYERS.slice(0, index + 1).map((l) => l.name).join(', ')}: it may not import them.`,
  severity: 'error',
  from: { path: inLayer(layer) },
  to: { path: `(${LAYERS.slice(0, index + 1).map(inLayer).join('|')})` },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle of imports has no bottom: split the shared part into a module below both.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upwardRules,
    {
      name: 'no-unknown-layer',
      comment: 'Every module under src/ belongs to a layer: add a new folder to LAYERS in .dependency-cruiser.mjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: anyLayer },
      to: {},
    },
    {
      name: 'no-unknown-layer',
      comment: 'Every module under src/ belongs to a layer: add a new folder to LAYERS in .dependency-cruiser.mjs.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: anyLayer },
    },
    {
      name: 'no-command-imports-a-command',
      comment: 'Each file of commands/ is one command; what two commands share belongs to a layer below (changesets keeps its commands/ so).',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'no-import-of-tests',
      comment: 'src/ never imports test code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (see the top of this file).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Modules are named by their path from the repository root (src/...).
    baseDir: '.',
  },
}
