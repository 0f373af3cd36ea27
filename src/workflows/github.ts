import { stringify } from 'yaml'
import type { BackendName } from '../project/config.js'

/** One build of the napi/koffi matrix: napi-rs platform id, Rust target triple, GitHub runner. */
export interface MatrixEntry {
  platform: string
  target: string
  os: string
}

/** The platforms `rusty ci github` builds napi and koffi packages for. */
export const BUILD_MATRIX: MatrixEntry[] = [
  { platform: 'linux-x64-gnu', target: 'x86_64-unknown-linux-gnu', os: 'ubuntu-latest' },
  { platform: 'linux-x64-musl', target: 'x86_64-unknown-linux-musl', os: 'ubuntu-latest' },
  { platform: 'linux-arm64-gnu', target: 'aarch64-unknown-linux-gnu', os: 'ubuntu-24.04-arm' },
  { platform: 'darwin-arm64', target: 'aarch64-apple-darwin', os: 'macos-latest' },
  { platform: 'darwin-x64', target: 'x86_64-apple-darwin', os: 'macos-13' },
  { platform: 'win32-x64-msvc', target: 'x86_64-pc-windows-msvc', os: 'windows-latest' },
]

// Platforms whose runner can load its own artifact, so the test job runs there.
const TESTED = ['linux-x64-gnu', 'darwin-arm64', 'win32-x64-msvc']

/**
 * The GitHub Actions workflow for a rusty package, as YAML (serialised by the
 * `yaml` package, so it is valid by construction). napi and koffi: a build
 * job per platform (`rusty build --target`), a test job on the runners that
 * can load their artifact (`npm test`), and on `v*` tags a publish job that
 * collects every artifact (`rusty build --collect`) and runs
 * `rusty publish --no-build`. wasm: one build-and-test job and the publish job.
 *
 * @param options.nodeVersion Node.js for setup-node (default "20")
 */
export function githubWorkflow(options: { backend: BackendName; packageName: string; nodeVersion?: string }): string {
  const node = options.nodeVersion ?? '20'
  const checkout = { uses: 'actions/checkout@v4' }
  const setupNode = { uses: 'actions/setup-node@v4', with: { 'node-version': node, cache: 'npm' } }
  const install = { run: 'npm ci' }
  const wasm = options.backend === 'wasm'
  const rust = (targets: string) => ({ uses: 'dtolnay/rust-toolchain@stable', with: { targets } })

  const jobs: Record<string, unknown> = {}
  if (wasm) {
    jobs.build = {
      'runs-on': 'ubuntu-latest',
      steps: [
        checkout,
        setupNode,
        rust('wasm32-unknown-unknown'),
        install,
        { name: 'Test in Node', run: 'npm test' },
        { name: 'Release build', run: 'npx rusty build' },
        { uses: 'actions/upload-artifact@v4', with: { name: 'wasm', path: 'artifacts/' } },
      ],
    }
  } else {
    jobs.build = {
      name: 'build ${{ matrix.platform }}',
      'runs-on': '${{ matrix.os }}',
      strategy: { 'fail-fast': false, matrix: { include: BUILD_MATRIX } },
      steps: [
        checkout,
        setupNode,
        rust('${{ matrix.target }}'),
        { name: 'musl tools', if: "contains(matrix.target, 'musl')", run: 'sudo apt-get update && sudo apt-get install -y musl-tools' },
        install,
        { name: 'Release build', run: 'npx rusty build --target ${{ matrix.target }}' },
        { uses: 'actions/upload-artifact@v4', with: { name: 'bindings-${{ matrix.platform }}', path: 'artifacts/' } },
      ],
    }
    jobs.test = {
      name: 'test ${{ matrix.platform }}',
      needs: 'build',
      'runs-on': '${{ matrix.os }}',
      strategy: { 'fail-fast': false, matrix: { include: BUILD_MATRIX.filter((e) => TESTED.includes(e.platform)) } },
      steps: [
        checkout,
        setupNode,
        rust('${{ matrix.target }}'),
        install,
        { uses: 'actions/download-artifact@v4', with: { name: 'bindings-${{ matrix.platform }}', path: 'artifacts/' } },
        // npm test runs `rusty develop` (a debug build) and the package's tests;
        // the downloaded release artifact is what publish's load check runs.
        { name: 'Package tests', run: 'npm test' },
      ],
    }
  }
  jobs.publish = {
    needs: wasm ? ['build'] : ['build', 'test'],
    if: "startsWith(github.ref, 'refs/tags/v')",
    'runs-on': 'ubuntu-latest',
    permissions: { contents: 'read', 'id-token': 'write' },
    steps: [
      checkout,
      { uses: 'actions/setup-node@v4', with: { 'node-version': node, cache: 'npm', 'registry-url': 'https://registry.npmjs.org' } },
      rust(wasm ? 'wasm32-unknown-unknown' : 'x86_64-unknown-linux-gnu'),
      install,
      ...(wasm
        ? [{ name: 'Publish', run: 'npx rusty publish --access public', env: { NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' } }]
        : [
            { uses: 'actions/download-artifact@v4', with: { pattern: 'bindings-*', path: 'ci-artifacts', 'merge-multiple': true } },
            // The host's own artifact is what publish loads before uploading anything.
            { name: 'Host build', run: 'npx rusty build' },
            { name: 'Collect artifacts', run: 'npx rusty build --collect ci-artifacts' },
            { name: 'Publish', run: 'npx rusty publish --no-build --access public', env: { NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' } },
          ]),
    ],
  }

  const workflow = {
    name: `${options.packageName} (rusty)`,
    on: { push: { branches: ['main'], tags: ['v*'] }, pull_request: {} },
    jobs,
  }
  const header = '# Generated by `rusty ci github`: builds, tests and publishes this package.\n# Publishing needs an NPM_TOKEN secret; it runs on tags like v1.2.3 (`rusty version patch`, then tag).\n'
  return header + stringify(workflow, { lineWidth: 0 })
}
