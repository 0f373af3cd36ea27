import path from 'node:path'
import { backendInfo, type BackendInfo } from './backend-table.js'
import { createReporter, type Reporter } from '../util/reporter.js'
import { findProject, type Project } from './config.js'

/**
 * Where a command runs: the folder its relative paths are resolved against,
 * the project around it, the project's backend (its table entry only; no
 * backend code is loaded) and the reporter.
 */
export interface CommandScope {
  /** Absolute: `options.cwd`, else process.cwd(). Command-line paths (`--target-dir`, `--into`, `--collect`) are relative to it. */
  cwd: string
  project: Project
  /** The project's backend, from the table (`src/project/backend-table.ts`). */
  backendInfo: BackendInfo
  reporter: Reporter
}

/**
 * The {@link CommandScope} of a command run in `options.cwd` (default:
 * process.cwd()): the project around it, found once with `findProject`
 * (config.ts, which only finds and reads the project), its backend's table
 * entry and the reporter.
 *
 * @throws RustyError outside a rusty project, or for a malformed `"rusty"` block
 */
export function commandScope(options: { cwd?: string; reporter?: Reporter }): CommandScope {
  const cwd = path.resolve(options.cwd ?? process.cwd())
  const project = findProject(cwd)
  return { cwd, project, backendInfo: backendInfo(project.config.backend), reporter: options.reporter ?? createReporter() }
}
