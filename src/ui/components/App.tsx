import {Box, useApp, useInput, useStdin, useStdout} from 'ink'
import React, {useEffect, useState, useSyncExternalStore} from 'react'

import type {ActionRunner} from '../../core/watch/actions.js'
import {handleKey} from '../keys.js'
import {computeLayout} from '../layout.js'
import {liveMemoryReservation, type Store} from '../../core/watch/store.js'
import {Events} from './Events.js'
import {Footer} from './Footer.js'
import {Header} from './Header.js'
import {Help} from './Help.js'
import {InstancesTable} from './InstancesTable.js'
import {MemoryChart} from './MemoryChart.js'
import {Services} from './Services.js'

export interface AppProps {
  store: Store
  runner: ActionRunner
  /** Fixed size (tests); otherwise the terminal's, followed on resize. */
  size?: {columns: number; rows: number}
}

function useTerminalSize(fixed?: {columns: number; rows: number}) {
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
function KeyInput(p: {onKey: Parameters<typeof useInput>[0]}) {
  useInput(p.onKey)
  return null
}

export function App(p: AppProps) {
  const state = useSyncExternalStore(p.store.subscribe, p.store.getState)
  const {exit} = useApp()
  const {isRawModeSupported} = useStdin()
  const size = useTerminalSize(p.size)
  const layout = computeLayout(size.columns, size.rows, {errorLine: state.error !== null})
  const snapshot = state.snapshot
  const onKey: Parameters<typeof useInput>[0] = (input, key) =>
    handleKey(input, key, {store: p.store, runner: p.runner, pageSize: layout.tableRows, quit: () => exit()})

  return (
    <Box flexDirection="column" width={layout.columns} height={Math.min(layout.rows, size.rows)}>
      {isRawModeSupported ? <KeyInput onKey={onKey} /> : null}
      <Header
        cluster={state.cluster}
        location={state.location}
        autoDrain={state.autoDrain}
        groups={snapshot?.groups ?? []}
        activities={snapshot?.activities ?? []}
        refreshes={snapshot?.refreshes ?? []}
        lastRefreshAt={state.lastRefreshAt}
        refreshMs={state.refreshMs}
        calls={state.calls}
        error={state.error}
        width={layout.columns}
      />
      {state.mode.kind === 'help' ? (
        <Help width={layout.columns} />
      ) : (
        <>
          <InstancesTable
            instances={state.instances}
            selectedIndex={state.selectedIndex}
            actions={state.actions}
            deadlines={state.deadlines}
            loaded={state.snapshot !== null}
            rows={layout.tableRows}
            width={layout.columns}
            now={state.now}
          />
          <Box flexDirection="row">
            <MemoryChart
              points={state.metric}
              live={liveMemoryReservation(state.instances)}
              height={layout.chartHeight}
              width={layout.chartWidth}
            />
            <Box marginLeft={1}>
              <Services
                services={snapshot?.services ?? []}
                rows={layout.chartHeight + 2}
                width={layout.sideWidth}
              />
            </Box>
          </Box>
          <Events events={state.events} rows={layout.eventRows} width={layout.columns} />
        </>
      )}
      <Footer mode={state.mode} notice={state.notice} width={layout.columns} />
    </Box>
  )
}
