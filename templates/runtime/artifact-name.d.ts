// Types of artifact-name.js for rusty's own TypeScript (the backends and
// src/publish/artifacts.ts import it, so the CLI and the packages' loader
// name artifacts one way). Not copied into projects: only artifact-name.js is.

/** The parts of an artifact's file name: `platform` only for a library built for one platform. */
export interface ArtifactNameParts {
  stem: string
  /** A platform id (`linux-x64-gnu`); undefined for an artifact that serves every platform (`hello.wasm`). */
  platform?: string
  /** Without its dot: `node`, `so`, `wasm`. */
  extension: string
}
/** `<stem>.<platform>.<extension>` (`hello.linux-x64-gnu.node`), or `<stem>.<extension>` without a platform (`hello.wasm`). */
export declare function artifactName(parts: ArtifactNameParts): string
/** The parts of an artifact's file name (no folder); undefined for a name without an extension. Which extensions are artifacts is the caller's to say. */
export declare function parseArtifactName(name: string): ArtifactNameParts | undefined
/** The name `rusty build` gives the artifact of a cdylib on `platform`, in that OS's library conventions, e.g. `libhello.linux-x64-gnu.so`, `hello.win32-x64-msvc.dll`. */
export declare function artifactFileName(localFile: string, platform: string): string
