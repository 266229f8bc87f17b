import {Box, useApp, useInput, useStdin} from 'ink'
import React, {useMemo, useSyncExternalStore} from 'react'

import type {ActionRunner} from '../../core/watch/actions.js'
import type {DetailsController} from '../../core/watch/details-follower.js'
import type {Store} from '../../core/watch/store.js'
import {detailLines} from '../detail-lines.js'
import {eventsFrom, fullEventLines} from '../event-lines.js'
import {createVisibleSelector, selectedRow} from '../instances-view.js'
import {handleKey} from '../keys.js'
import {computeLayout, MIN_COLUMNS} from '../layout.js'
import {createViewStore, type ViewStore} from '../view.js'
import {DetailsScreen} from './DetailsScreen.js'
import {EventsScreen} from './Events.js'
import {Footer, footerRows, type FooterProps} from './Footer.js'
import {Header, runningRefresh} from './Header.js'
import {Help} from './Help.js'
import {KeyInput, useTerminalSize} from './hooks.js'
import {MainScreen} from './MainScreen.js'

export interface AppProps {
  store: Store
  runner: ActionRunner
  details?: DetailsController
  /** The view state (tests pass their own to drive it); one of its own otherwise. */
  view?: ViewStore
  /** Fixed size (tests); otherwise the terminal's, followed on resize. */
  size?: {columns: number; rows: number}
}

const NO_DETAILS: DetailsController = {open: async () => {}, close: () => {}, refresh: async () => {}}

export function App(p: AppProps) {
  const viewStore = useMemo(() => p.view ?? createViewStore(), [p.view])
  const select = useMemo(() => createVisibleSelector(), [])
  const state = useSyncExternalStore(p.store.subscribe, p.store.getState)
  const view = useSyncExternalStore(viewStore.subscribe, viewStore.getState)
  const {exit} = useApp()
  const {isRawModeSupported} = useStdin()
  const size = useTerminalSize(p.size)
  const visible = select(state, view)
  const selected = selectedRow(visible, view)
  const events = eventsFrom(state.events, view.eventSource)
  const footer: FooterProps = {
    screen: view.screen,
    prompt: view.prompt,
    filter: view.filter,
    notice: state.notice,
    readonly: state.readonly,
    width: Math.max(size.columns, MIN_COLUMNS),
  }
  const layout = computeLayout(size.columns, size.rows, {
    errorLine: state.error !== null,
    refreshLine: runningRefresh(state.snapshot?.refreshes ?? []) !== null,
    instances: visible.length,
    events: events.length,
    footerRows: footerRows(footer),
  })
  const snapshot = state.snapshot
  const details = p.details ?? NO_DETAILS

  // The full screens: their lines are built here, so that the keys know how far they scroll.
  const detailsId = state.details?.ec2InstanceId ?? selected.instance?.ec2InstanceId ?? ''
  const screenLines =
    view.screen === 'details'
      ? detailLines({
          ec2InstanceId: detailsId,
          instance: state.instances.find((i) => i.ec2InstanceId === detailsId),
          details: state.details,
          action: state.actions[detailsId],
          heartbeatSent: state.deadlines[detailsId],
          now: state.now,
          width: layout.columns,
        })
      : view.screen === 'events'
        ? fullEventLines(events, layout.columns)
        : []
  const maxScroll = Math.max(0, screenLines.length - (layout.bodyRows - 1))
  const onKey: Parameters<typeof useInput>[0] = (input, key) => {
    handleKey(input, key, {
      store: p.store,
      view: viewStore,
      runner: p.runner,
      details,
      visible: () => select(p.store.getState(), viewStore.getState()),
      pageSize: view.screen === 'main' ? layout.tableRows : layout.bodyRows - 1,
      quit: () => exit(),
    })
    // Scrolling stops at the last page, so that ↑ answers at once after a long ↓.
    if (viewStore.getState().scroll > maxScroll) viewStore.dispatch({type: 'scroll', to: maxScroll})
  }

  let body: React.ReactNode
  if (view.help) body = <Help width={layout.columns} readonly={state.readonly} />
  else if (view.screen === 'details') {
    body = (
      <DetailsScreen
        lines={screenLines as ReturnType<typeof detailLines>}
        scroll={view.scroll}
        rows={layout.bodyRows}
        width={layout.columns}
      />
    )
  } else if (view.screen === 'events') {
    body = (
      <EventsScreen
        events={state.events}
        source={view.eventSource}
        scroll={view.scroll}
        rows={layout.bodyRows}
        width={layout.columns}
      />
    )
  } else {
    body = (
      <MainScreen
        state={state}
        view={view}
        visible={visible}
        selectedIndex={selected.index}
        layout={layout}
      />
    )
  }

  return (
    <Box flexDirection="column" width={layout.columns} height={Math.min(layout.rows, size.rows)}>
      {isRawModeSupported ? <KeyInput onKey={onKey} /> : null}
      <Header
        cluster={state.cluster}
        location={state.location}
        autoDrain={state.autoDrain}
        readonly={state.readonly}
        groups={snapshot?.groups ?? []}
        activities={snapshot?.activities ?? []}
        refreshes={snapshot?.refreshes ?? []}
        lastRefreshAt={state.lastRefreshAt}
        refreshMs={state.refreshMs}
        calls={state.calls}
        error={state.error}
        width={layout.columns}
      />
      <Box flexDirection="column" height={layout.bodyRows}>
        {body}
      </Box>
      <Footer {...footer} />
    </Box>
  )
}
