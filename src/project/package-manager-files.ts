import { stringify as stringifyYaml } from 'yaml'
import type { Agent } from 'package-manager-detector'

/**
 * The files a new project needs for the package manager that makes it, as
 * relative path → content (none for npm and bun):
 *
 * - pnpm: `pnpm-workspace.yaml` allowing the install scripts of
 *   `builtDependencies` (the backend's, e.g. koffi). pnpm 10 reads
 *   `onlyBuiltDependencies`; pnpm 11+ reads `allowBuilds` (name → true) and
 *   fails the install for a script neither allows (ERR_PNPM_IGNORED_BUILDS).
 *   Both are written, so each version finds its own key (pnpm docs,
 *   "Settings (pnpm-workspace.yaml)"). None when there is nothing to allow.
 * - Yarn 2+ (`yarn@berry`): `.yarnrc.yml` with `nodeLinker: node-modules`
 *   (Yarn docs, "Settings (.yarnrc.yml)"). Its default, Plug'n'Play, keeps
 *   packages in zip archives with no node_modules, while rusty loads the
 *   project's build tools (typescript, @napi-rs/cli) by Node's resolution
 *   from the project and a built package is imported by plain `node` in
 *   its tests and by apps; napi-rs's own templates make the same choice.
 *
 * @param agent the package manager, as package-manager-detector names it
 * @param builtDependencies npm package names whose install script must run
 * @returns the files with a comment saying why, each ending in a newline
 */
export function packageManagerFiles(agent: Agent, builtDependencies: readonly string[]): Map<string, string> {
  const files = new Map<string, string>()
  if ((agent === 'pnpm' || agent === 'pnpm@6') && builtDependencies.length > 0) {
    const allowed = [...builtDependencies].sort()
    const settings = { onlyBuiltDependencies: allowed, allowBuilds: Object.fromEntries(allowed.map((name) => [name, true])) }
    files.set(
      'pnpm-workspace.yaml',
      `# Written by rusty: these dependencies' install scripts must run (koffi checks\n` +
        `# for, or builds, its native module). pnpm 10 reads onlyBuiltDependencies,\n` +
        `# pnpm 11 and newer read allowBuilds.\n${stringifyYaml(settings)}`,
    )
  }
  if (agent === 'yarn@berry') {
    files.set(
      '.yarnrc.yml',
      `# Written by rusty: rusty loads the project's build tools (typescript,\n` +
        `# @napi-rs/cli) from node_modules, and the built package is imported by\n` +
        `# plain node; Yarn's default Plug'n'Play install has no node_modules.\n${stringifyYaml({ nodeLinker: 'node-modules' })}`,
    )
  }
  return files
}
