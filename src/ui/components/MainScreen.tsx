import {Box} from 'ink'
import React from 'react'

import type {InstanceView} from '../../core/types.js'
import {liveMemoryReservation, type WatchState} from '../../core/watch/store.js'
import type {Layout} from '../layout.js'
import type {ViewState} from '../view.js'
import {Events} from './Events.js'
import {InstancesTable} from './InstancesTable.js'
import {MemoryChart} from './MemoryChart.js'
import {Services} from './Services.js'

/** The cluster screen, as k9s lays it out: the instances table, the chart beside the services, the events. */
export function MainScreen(p: {
  state: WatchState
  view: ViewState
  visible: InstanceView[]
  selectedIndex: number
  layout: Layout
}) {
  const {state, view, layout} = p
  return (
    <>
      <InstancesTable
        instances={p.visible}
        total={state.instances.length}
        selectedIndex={p.selectedIndex}
        actions={state.actions}
        deadlines={state.deadlines}
        loaded={state.snapshot !== null}
        filter={view.filter}
        editingFilter={view.prompt?.kind === 'filter'}
        sort={view.sort}
        rows={layout.tableRows}
        width={layout.columns}
        now={state.now}
      />
      <Box flexDirection="row" height={layout.chartLines}>
        <MemoryChart
          points={state.metric}
          live={liveMemoryReservation(state.instances)}
          height={layout.chartHeight}
          width={layout.chartWidth}
          legendInline={layout.legendInline}
        />
        <Box marginLeft={1}>
          <Services
            services={state.snapshot?.services ?? []}
            rows={layout.chartLines - 1}
            width={layout.sideWidth}
          />
        </Box>
      </Box>
      <Events
        events={state.events}
        source={view.eventSource}
        rows={layout.eventRows}
        width={layout.columns}
      />
    </>
  )
}
