import {useInput, useStdout} from 'ink'
import {useEffect, useState} from 'react'

export function useTerminalSize(fixed?: {columns: number; rows: number}) {
  const {stdout} = useStdout()
  const read = () => fixed ?? {columns: stdout.columns || 80, rows: stdout.rows || 24}
  const [size, setSize] = useState(read)
  useEffect(() => {
    if (fixed) return
    const onResize = () => setSize({columns: stdout.columns || 80, rows: stdout.rows || 24})
    stdout.on('resize', onResize)
    return () => {
      stdout.off('resize', onResize)
    }
  }, [stdout, fixed])
  return size
}

/** Keys are read only where the terminal supports raw mode; elsewhere useInput would throw. */
export function KeyInput(p: {onKey: Parameters<typeof useInput>[0]}) {
  useInput(p.onKey)
  return null
}
