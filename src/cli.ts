import { Command, Option } from '@commander-js/extra-typings'
import { BACKEND_NAMES } from './project/backend-table.js'
import { defaultActions, type Actions } from './actions.js'
import { withErrorBoundary } from './boundary.js'
import { rustyVersion } from './util/rusty-version.js'

export type { Actions } from './actions.js'

/**
 * Builds the commander program: it only parses argv into a command's options
 * object and hands that to `actions`.
 */
export function createProgram(actions: Actions = defaultActions): Command {
  const program = new Command()
    .name('rusty')
    .description('Build Rust crates into npm packages: napi-rs, koffi (C ABI) or wasm-bindgen.')
    .version(rustyVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
  // The backends' names come from their table (src/project/backend-table.ts), which loads no backend.
  const backendOption = () => new Option('--backend <backend>', 'how Node loads the crate').choices(BACKEND_NAMES)
  const wasmTargetOption = () => new Option('--wasm-target <target>', 'wasm: universal (Node and browsers, default), nodejs, web or bundler')

  program
    .command('new')
    .description('create a new TypeScript + Rust project')
    .argument('[dir]', 'folder to create')
    .option('--name <name>', 'package name (default: the folder name)')
    .addOption(backendOption())
    .option('--description <text>', 'one-line description')
    .option('-y, --yes', 'accept every default without asking')
    .option('--no-interactive', 'never prompt')
    .option('--no-git', 'do not run git init')
    .option('--no-ci', 'do not add the GitHub Actions workflow')
    .option('--no-install', 'do not install the dependencies')
    .option('--dry-run', 'print the files that would be written, write nothing')
    .action(async (dir, opts) => {
      await actions.newProject({
        install: opts.install === false ? false : undefined,
        dir,
        name: opts.name,
        backend: opts.backend,
        description: opts.description,
        yes: opts.yes === true,
        interactive: opts.interactive,
        git: opts.git,
        ci: opts.ci === false ? false : undefined,
        dryRun: opts.dryRun === true,
      })
    })

  program
    .command('init')
    .description('add rusty to an existing npm package or Rust library crate')
    .argument('[dir]', 'the package or crate folder (default: the current folder)')
    .addOption(backendOption())
    .option('-y, --yes', 'accept every default without asking')
    .option('--no-interactive', 'never prompt')
    .action(async (dir, opts) => {
      await actions.init({
        dir,
        backend: opts.backend,
        yes: opts.yes === true,
        interactive: opts.interactive,
      })
    })

  program
    .command('develop')
    .description('build the crate and the TypeScript wrapper so the package can be imported now')
    .argument('[cargo-args...]', 'extra cargo build arguments, after --')
    .option('-r, --release', 'build with the release profile')
    .option('-F, --features <features>', 'cargo features to enable (comma or space separated)')
    .option('--target-dir <dir>', "cargo's target directory")
    .option('--into <app-dir>', "also link the package into this app's node_modules (repeatable)", collect, [])
    .option('-w, --watch', 'rebuild whenever the crate or the TypeScript wrapper changes')
    .addOption(wasmTargetOption())
    .action(async (cargoArgs, opts) => {
      await actions.develop({
        watch: opts.watch === true,
        wasmTarget: opts.wasmTarget,
        cargoArgs,
        release: opts.release === true,
        features: splitList(opts.features),
        targetDir: opts.targetDir,
        into: opts.into,
      })
    })

  program
    .command('build')
    .description('release build of the crate into artifacts/, named by platform')
    .argument('[cargo-args...]', 'extra cargo build arguments, after --')
    .option('--target <triple>', 'target triple passed to cargo (default: the host)')
    .option('--out <dir>', 'artifacts folder (default: artifacts)')
    .option('--collect <dir>', 'copy artifacts built elsewhere (e.g. by CI) from this folder instead of building')
    .option('-F, --features <features>', 'cargo features to enable (comma or space separated)')
    .option('--target-dir <dir>', "cargo's target directory")
    .addOption(wasmTargetOption())
    .action(async (cargoArgs, opts) => {
      await actions.build({
        wasmTarget: opts.wasmTarget,
        cargoArgs,
        target: opts.target,
        out: opts.out,
        collect: opts.collect,
        features: splitList(opts.features),
        targetDir: opts.targetDir,
      })
    })

  program
    .command('version')
    .description('set one version in package.json, Cargo.toml and Cargo.lock')
    .argument('<version>', 'a semver version, or major, minor, patch (premajor, preminor, prepatch, prerelease)')
    .action(async (version) => {
      await actions.version({ version })
    })

  program
    .command('publish')
    .description('publish the platform packages, then the main package, to npm')
    .option('--registry <url>', 'registry to publish to (default: npm configuration)')
    .option('--tag <dist-tag>', 'npm dist-tag')
    .addOption(new Option('--access <access>', 'npm access level').choices(['public', 'restricted']))
    .option('--dry-run', 'check everything and run npm publish --dry-run; upload nothing')
    .option('--skip-existing', 'report and skip versions already on the registry')
    .option('--no-build', 'publish the artifacts folder as it is, without building first')
    .option('--out <dir>', 'artifacts folder (default: artifacts)')
    .action(async (opts) => {
      await actions.publish({
        registry: opts.registry,
        tag: opts.tag,
        access: opts.access,
        dryRun: opts.dryRun === true,
        skipExisting: opts.skipExisting === true,
        noBuild: !opts.build,
        out: opts.out,
      })
    })

  program
    .command('ci')
    .description('write CI configuration')
    .command('github')
    .description('write .github/workflows/rusty.yml: build matrix, tests, publish on version tags')
    .option('--stdout', 'print the workflow instead of writing it')
    .action(async (opts) => {
      await actions.ciGithub({ stdout: opts.stdout === true })
    })

  program
    .command('doctor')
    .description('check the tools rusty needs (node, npm, cargo, rustc, wasm32 target, wasm-bindgen, koffi)')
    .action(async () => {
      await actions.doctor({})
    })

  return program
}

/**
 * Parses `argv` with the program and runs the command it names, inside the
 * CLI's one error boundary ({@link withErrorBoundary}).
 *
 * @param argv `process.argv`: node's path, the script's path, then rusty's arguments
 */
export async function main(argv: string[]): Promise<void> {
  await withErrorBoundary(() => createProgram().parseAsync(argv))
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(/[\s,]+/).filter(Boolean) : []
}
