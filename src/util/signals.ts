/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM turned into a call to `stop`
 * (e.g. killing cargo) instead of ending rusty at once, so that rusty can
 * clean up (let go of the build lock, leave the previous build in place) and
 * report the cancellation itself.
 *
 * @returns what `work` returns; `interrupted()` tells whether a signal came
 */
export async function withInterrupts<T>(stop: () => void, work: (interrupted: () => boolean) => Promise<T>): Promise<T> {
  let signalled = false
  const onSignal = () => {
    signalled = true
    stop()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await work(() => signalled)
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}
