/**
 * Config files of JavaScript tools that the tool also finds under the same
 * name with `.cjs` (each tool's documented config lookup: jest
 * `jest.config.cjs`, ESLint's legacy `.eslintrc.cjs`, mocha `.mocharc.cjs`,
 * babel `babel.config.cjs`/`.babelrc.cjs`, prettier, postcss, tailwind,
 * commitlint, lint-staged, ava, stylelint, webpack-cli, semantic-release).
 * Renamed, a CommonJS config keeps working once the package says
 * `"type": "module"`. Only at the package root, where the tools look.
 */
const CJS_AWARE_CONFIGS = new Set([
  'jest.config.js',
  '.eslintrc.js',
  '.mocharc.js',
  'babel.config.js',
  '.babelrc.js',
  'prettier.config.js',
  '.prettierrc.js',
  'postcss.config.js',
  'tailwind.config.js',
  'commitlint.config.js',
  '.commitlintrc.js',
  'lint-staged.config.js',
  '.lintstagedrc.js',
  'ava.config.js',
  'stylelint.config.js',
  '.stylelintrc.js',
  'webpack.config.js',
  'release.config.js',
  '.releaserc.js',
])

/** A tool config init renames from `.js` to `.cjs` (paths relative to the package, `/`-separated). */
export interface ConfigRename {
  from: string
  to: string
}

/**
 * Splits the package's CommonJS files (from `commonJsFiles`) into the tool
 * configs that can simply be renamed to `.cjs` (a known config name at the
 * package root, with no `.cjs` file of that name already there) and the rest,
 * which the user has to change.
 *
 * @param exists whether a file (relative path) exists in the package
 */
export function toolConfigRenames(commonJs: readonly string[], exists: (file: string) => boolean): { renames: ConfigRename[]; rest: string[] } {
  const renames: ConfigRename[] = []
  const rest: string[] = []
  for (const file of commonJs) {
    const to = file.replace(/\.js$/, '.cjs')
    if (CJS_AWARE_CONFIGS.has(file) && !exists(to)) renames.push({ from: file, to })
    else rest.push(file)
  }
  return { renames, rest }
}
