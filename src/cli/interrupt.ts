/**
 * Ctrl-C as an AbortSignal for the length of one operation. Core stops at the signal in a known state (a
 * drain completes nothing, a stack is no longer followed), and the command says what it left and how to go on.
 */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController()
  const onSigint = () => abort.abort()
  process.on('SIGINT', onSigint)
  try {
    return await run(abort.signal)
  } finally {
    process.off('SIGINT', onSigint)
  }
}
