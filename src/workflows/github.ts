import { stringify } from 'yaml'
import { backendInfo, type BackendName } from '../project/backend-table.js'

/** Where `rusty ci github` (and `rusty new`) write the workflow, relative to the package root. */
export const WORKFLOW_FILE = '.github/workflows/rusty.yml'

/**
 * One build of the napi/koffi matrix: the napi-rs platform id (what
 * `rusty build` names the artifact and the loaders look for), the Rust
 * target triple, and the GitHub-hosted runner label.
 */
export interface MatrixEntry {
  platform: string
  target: string
  os: string
}

/**
 * One test of the napi/koffi matrix: the platform whose artifact it loads,
 * the runner, and the CPU architecture of the Node.js it runs
 * (setup-node's `architecture`: an x64 Node on an arm64 Mac runs under Rosetta).
 */
export interface TestEntry {
  platform: string
  os: string
  arch: string
}

/**
 * The platforms `rusty ci github` builds napi and koffi packages for.
 * Runner labels are GitHub's current ones (docs.github.com, "GitHub-hosted
 * runners": macos-latest is arm64). Every Linux target is built on the x64
 * `ubuntu-latest` by the path `rusty build --target` takes on any Linux
 * machine (src/pipeline/cross.ts): gnu targets link with the glibc 2.17 cross
 * toolchain, musl targets with `cargo zigbuild`, as napi-rs's template
 * does; x86_64 macOS is cross-built on the arm64 runner, as napi-rs's
 * package-template does.
 */
export const BUILD_MATRIX: MatrixEntry[] = [
  { platform: 'linux-x64-gnu', target: 'x86_64-unknown-linux-gnu', os: 'ubuntu-latest' },
  { platform: 'linux-x64-musl', target: 'x86_64-unknown-linux-musl', os: 'ubuntu-latest' },
  { platform: 'linux-arm64-gnu', target: 'aarch64-unknown-linux-gnu', os: 'ubuntu-latest' },
  { platform: 'darwin-arm64', target: 'aarch64-apple-darwin', os: 'macos-latest' },
  { platform: 'darwin-x64', target: 'x86_64-apple-darwin', os: 'macos-latest' },
  { platform: 'win32-x64-msvc', target: 'x86_64-pc-windows-msvc', os: 'windows-latest' },
]

/**
 * Where each platform's artifact is loaded and tested, with no Rust toolchain:
 * every platform of {@link BUILD_MATRIX}, on a machine of its own CPU:
 * linux-arm64-gnu on the arm64 `ubuntu-24.04-arm`; darwin-x64 runs an x64
 * Node under Rosetta on the arm64 Mac; linux-x64-musl runs in a
 * `node:<version>-alpine` container on the Linux runner.
 */
export const TEST_MATRIX: TestEntry[] = BUILD_MATRIX.map(({ platform, target, os }) => {
  // Node's process.arch for the triple's CPU (actions/setup-node's `architecture`).
  const arch = target.startsWith('aarch64-') ? 'arm64' : 'x64'
  return { platform, os: platform.startsWith('linux-') && arch === 'arm64' ? 'ubuntu-24.04-arm' : os, arch }
})

/** The Node.js major the generated workflow runs (an LTS line; nodejs.org release schedule). */
export const WORKFLOW_NODE_VERSION = '24'

/**
 * The platform whose build job also uploads the package's JavaScript
 * (`dist/`, `native/` loader and typings) as the `package-files` artifact:
 * what every test job runs and what the publish job ships.
 */
export const PACKAGE_FILES_PLATFORM = 'linux-x64-gnu'

// Action versions actionlint 1.7.12 knows (it checks their inputs).
const CHECKOUT = 'actions/checkout@v6'
const SETUP_NODE = 'actions/setup-node@v6'
const CACHE = 'actions/cache@v5'
const UPLOAD = 'actions/upload-artifact@v7'
const DOWNLOAD = 'actions/download-artifact@v8'
const RUST_CACHE = 'Swatinem/rust-cache@v2'
const RUST_TOOLCHAIN = 'dtolnay/rust-toolchain@stable'
const SETUP_PYTHON = 'actions/setup-python@v6'

const MUSL = "contains(matrix.target, 'musl')"

/** Options of {@link githubWorkflow}. */
export interface GithubWorkflowOptions {
  backend: BackendName
  /** The npm package name (the workflow's `name:`). */
  packageName: string
  /** The crate's folder relative to the package root (`"rusty".crate`). Default: `rust`. */
  crate?: string
  /** Node.js for setup-node and the Alpine container. Default: {@link WORKFLOW_NODE_VERSION}. */
  nodeVersion?: string
}

/**
 * The GitHub Actions workflow for a rusty package, as YAML without anchors or
 * aliases, keys in a fixed order, under a header that says how to regenerate it.
 *
 * A backend with platform packages (napi, koffi):
 * - `build`, per platform of {@link BUILD_MATRIX}: Rust with a cargo cache
 *   (Swatinem/rust-cache), for musl cargo-zigbuild and zig from PyPI, `npm
 *   ci`, `rusty build --target` (every Linux target on ubuntu-latest x64,
 *   through rusty's cross path), upload of
 *   `bindings-<platform>` (the artifact) and, from {@link PACKAGE_FILES_PLATFORM},
 *   of `package-files` (dist/ and native/).
 * - `test`, per platform of {@link TEST_MATRIX}, with no Rust toolchain:
 *   `npm ci`, the package files and the platform's artifact downloaded, the
 *   artifact put where the loader finds it (`rusty build --collect … --out native`),
 *   then the package's `npm run test:only`.
 * - `publish`, on `v*` tags after every test passed, no Rust either: the package
 *   files and every artifact, `rusty build --collect`, then
 *   `rusty publish --no-build` (platform packages first) with npm provenance.
 *
 * A backend without platform packages (wasm): one `build` job (Rust for the
 * backend's `rustTarget`, a cargo cache, a cache of each CLI rusty builds at
 * its Cargo.lock version (wasm-bindgen), `rusty build`, then
 * `npm run test:only` against that release build, uploading dist/, native/
 * and artifacts/) and `publish`, which ships the module from artifacts/.
 */
export function githubWorkflow(options: GithubWorkflowOptions): string {
  const node = options.nodeVersion ?? WORKFLOW_NODE_VERSION
  const crate = options.crate ?? 'rust'
  const checkout = { uses: CHECKOUT }
  const setupNode = (extra: Record<string, string> = {}) => ({ uses: SETUP_NODE, with: { 'node-version': node, cache: 'npm', ...extra } })
  const install = { name: 'Install dependencies', run: 'npm ci' }
  const rustCache = (key?: string) => ({
    name: 'Cache cargo',
    uses: RUST_CACHE,
    with: { workspaces: `${crate} -> target`, ...(key ? { key } : {}) },
  })
  // With `artifacts/` when the artifact ships inside the main package (wasm):
  // `rusty publish --no-build` ships the release module from there.
  const uploadPackageFiles = (condition?: string, artifacts = false) => ({
    name: 'Upload the package files',
    ...(condition ? { if: condition } : {}),
    uses: UPLOAD,
    with: { name: 'package-files', path: `dist/\nnative/\n${artifacts ? 'artifacts/\n' : ''}`, 'if-no-files-found': 'error' },
  })
  // A backend with platform packages builds and tests one artifact per
  // platform; one without (wasm) builds its one artifact once.
  const { platformPackages, rustTarget, lockedClis = [] } = backendInfo(options.backend)

  const jobs: Record<string, unknown> = {}
  if (!platformPackages) {
    jobs.build = {
      'runs-on': 'ubuntu-latest',
      steps: [
        checkout,
        setupNode(),
        { name: 'Install Rust', uses: RUST_TOOLCHAIN, ...(rustTarget ? { with: { targets: rustTarget } } : {}) },
        rustCache(),
        ...lockedClis.flatMap((cli) => lockedCliCache(cli, crate)),
        install,
        {
          name: 'Release build',
          run: 'npx rusty build',
          // rusty keeps the CLIs it builds in RUSTY_CACHE_DIR: the folder cached above.
          ...(lockedClis.length > 0 ? { env: { RUSTY_CACHE_DIR: LOCKED_CLI_CACHE } } : {}),
        },
        { name: 'Test the release build', run: 'npm run test:only' },
        uploadPackageFiles(undefined, true),
      ],
    }
  } else {
    jobs.build = {
      name: 'build ${{ matrix.platform }}',
      'runs-on': '${{ matrix.os }}',
      strategy: { 'fail-fast': false, matrix: { include: BUILD_MATRIX } },
      steps: [
        checkout,
        setupNode(),
        { name: 'Install Rust', uses: RUST_TOOLCHAIN, with: { targets: '${{ matrix.target }}' } },
        rustCache('${{ matrix.target }}'),
        // rusty builds musl targets with cargo zigbuild (a musl cdylib links
        // the musl C library dynamically: -C target-feature=-crt-static);
        // cargo-zigbuild finds zig through `python3 -m ziglang`.
        { name: 'Set up Python (musl: zig)', if: MUSL, uses: SETUP_PYTHON, with: { 'python-version': '3.x' } },
        { name: 'Install cargo-zigbuild and zig (musl)', if: MUSL, run: 'pip install ziglang cargo-zigbuild' },
        install,
        // Linux: the same cross path as on any Linux machine (glibc 2.17 floor, zig for musl).
        { name: 'Release build', run: 'npx rusty build --target ${{ matrix.target }}' },
        {
          name: 'Upload the artifact',
          uses: UPLOAD,
          with: { name: 'bindings-${{ matrix.platform }}', path: 'artifacts/', 'if-no-files-found': 'error' },
        },
        uploadPackageFiles(`matrix.platform == '${PACKAGE_FILES_PLATFORM}'`),
      ],
    }
    jobs.test = {
      name: 'test ${{ matrix.platform }}',
      needs: 'build',
      'runs-on': '${{ matrix.os }}',
      strategy: { 'fail-fast': false, matrix: { include: TEST_MATRIX } },
      // No Rust toolchain here: the tests run the artifact the build job made.
      steps: [
        checkout,
        setupNode({ architecture: '${{ matrix.arch }}' }),
        install,
        { name: 'Download the package files', uses: DOWNLOAD, with: { name: 'package-files', path: '.' } },
        { name: 'Download the artifact', uses: DOWNLOAD, with: { name: 'bindings-${{ matrix.platform }}', path: 'ci-artifacts' } },
        { name: 'Put the artifact where the loader finds it', run: 'npx rusty build --collect ci-artifacts --out native' },
        { name: 'Test', if: `!contains(matrix.platform, 'musl')`, run: 'npm run test:only' },
        {
          name: 'Test (musl, in Alpine Linux)',
          if: "contains(matrix.platform, 'musl')",
          shell: 'bash',
          run: `docker run --rm -v "$PWD:/project" -w /project node:${node}-alpine npm run test:only`,
        },
      ],
    }
  }

  const publishEnv = {
    NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}',
    // npm attaches a provenance statement, signed through the job's OIDC token.
    NPM_CONFIG_PROVENANCE: 'true',
  }
  jobs.publish = {
    needs: platformPackages ? ['build', 'test'] : ['build'],
    if: "startsWith(github.ref, 'refs/tags/v')",
    'runs-on': 'ubuntu-latest',
    permissions: { contents: 'read', 'id-token': 'write' },
    // No Rust here either: it ships the files the build jobs made and the tests ran.
    steps: [
      checkout,
      setupNode({ 'registry-url': 'https://registry.npmjs.org' }),
      install,
      { name: 'Download the package files', uses: DOWNLOAD, with: { name: 'package-files', path: '.' } },
      ...(platformPackages
        ? [
            { name: 'Download the artifacts', uses: DOWNLOAD, with: { pattern: 'bindings-*', path: 'ci-artifacts', 'merge-multiple': true } },
            { name: 'Collect the artifacts', run: 'npx rusty build --collect ci-artifacts' },
            { name: 'Publish', run: 'npx rusty publish --no-build --access public', env: publishEnv },
          ]
        : [{ name: 'Publish', run: 'npx rusty publish --no-build --access public', env: publishEnv }]),
    ],
  }

  for (const job of Object.values(jobs) as { steps: Record<string, unknown>[] }[]) job.steps = job.steps.map(orderStep)
  const workflow = {
    name: `${options.packageName} (rusty)`,
    on: { push: { branches: ['main'], tags: ['v*'] }, pull_request: {} },
    // A newer push to the same branch or pull request cancels the run it makes obsolete.
    concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': true },
    jobs,
  }
  const header = [
    '# Generated by `rusty ci github` for the ' + options.backend + ' backend: builds, tests and publishes this package.',
    '# To regenerate it after upgrading rusty: delete this file, then run `npx rusty ci github`.',
    '# Publishing runs on tags like v1.2.3 (`npx rusty version patch`, commit, tag, push the tag) and needs',
    "# an NPM_TOKEN secret; npm's provenance also needs package.json \"repository\" to name this repository.",
    '',
  ].join('\n')
  // aliasDuplicateObjects: false writes repeated steps out in full (no &anchors / *aliases).
  return header + stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })
}

// rusty's cache folder in CI (RUSTY_CACHE_DIR), under the runner's temporary folder.
const LOCKED_CLI_CACHE = '${{ runner.temp }}/rusty-cache'

/**
 * The steps that cache a CLI rusty builds at the version Cargo.lock has for
 * the same-named crate (the table's `lockedClis`, e.g. `wasm-bindgen`): read
 * that version, then cache `<RUSTY_CACHE_DIR>/<cli>` keyed on it.
 */
function lockedCliCache(cli: string, crate: string): Record<string, unknown>[] {
  return [
    {
      name: `${cli} version in Cargo.lock`,
      id: cli,
      shell: 'bash',
      // cargo metadata writes Cargo.lock when it is missing (and keeps a committed one);
      // cargo pkgid then prints `...#<cli>@<version>`.
      run: [
        `cargo metadata --format-version 1 --manifest-path ${crate}/Cargo.toml > /dev/null`,
        `echo "version=$(cargo pkgid --manifest-path ${crate}/Cargo.toml ${cli} | sed 's/.*@//')" >> "$GITHUB_OUTPUT"`,
      ].join('\n'),
    },
    {
      name: `Cache the ${cli} CLI`,
      uses: CACHE,
      with: {
        path: `${LOCKED_CLI_CACHE}/${cli}`,
        key: `${cli}-cli-\${{ runner.os }}-\${{ steps.${cli}.outputs.version }}`,
      },
    },
  ]
}

// The order a step's keys are written in, whatever order the code built them in.
const STEP_KEYS = ['name', 'id', 'if', 'uses', 'with', 'shell', 'run', 'env']

/** A copy of `step` with its keys in {@link STEP_KEYS} order (unknown keys last). */
function orderStep(step: Record<string, unknown>): Record<string, unknown> {
  const rank = (key: string) => (STEP_KEYS.includes(key) ? STEP_KEYS.indexOf(key) : STEP_KEYS.length)
  return Object.fromEntries(Object.entries(step).sort(([a], [b]) => rank(a) - rank(b)))
}
