/**
 * The listr2 set-up both progress displays (drain, hook stack) share: concurrent tasks that do not stop
 * each other on error, no signal handlers of listr2's own (the commands handle Ctrl-C), and the drawing on
 * the given stream, stderr, because stdout carries only results. listr2 is loaded here, lazily, so that
 * commands that never draw progress never pay for it.
 */
export async function loadStderrListr(stream: NodeJS.WriteStream, extra: {collapseSubtasks?: boolean} = {}) {
  const {Listr, ListrLogger, ProcessOutput} = await import('listr2')
  const options = {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    rendererOptions: {
      logger: new ListrLogger({
        useIcons: true,
        toStderr: [],
        processOutput: new ProcessOutput(stream, stream),
      }),
      collapseErrors: false,
      ...extra,
    },
  }
  return {Listr, options}
}
