/**
 * How the terminal's rows and columns are shared between the panes. Computed, not left to flexbox, because
 * the instances table and the events must know how many rows they may render (they render only those), and
 * because the whole screen must fit.
 *
 * The panes share the rows by what they hold: the chart has a fixed height for the terminal's size, and the
 * rest goes to the instances (as many rows as there are instances) and the events (the remainder, never
 * fewer than a few). Two instances on a tall terminal leave the room to the events; a thousand take it back.
 */
export interface Layout {
  columns: number
  rows: number
  /** Visible instance rows (under the table's caption and header lines). */
  tableRows: number
  /** Rows of the chart's plot area (asciichart draws height + 1 lines). */
  chartHeight: number
  chartWidth: number
  /** The chart's legend fits on its time-axis line; otherwise it takes a line of its own. */
  legendInline: boolean
  /** Lines of the chart pane (title, plot, marks, time axis, legend), the services pane beside it too. */
  chartLines: number
  sideWidth: number
  eventRows: number
  /** Lines between the header and the footer, for the full screens (details, events, help). */
  bodyRows: number
  footerRows: number
}

export const MIN_COLUMNS = 60
export const MIN_ROWS = 16
/** The chart's legend, as MemoryChart draws it. */
export const CHART_LEGEND = '▲ 0% minute (outage)  · no data'
/** Columns the plot takes: the y-axis labels (7) and 35 minutes of points. */
export const PLOT_COLUMNS = 7 + 35

export function computeLayout(
  columns: number,
  rows: number,
  opts: {
    errorLine: boolean
    /** watch's refresh panel: a line under the header while an instance refresh is under way. */
    refreshLine?: boolean
    instances?: number
    events?: number
    footerRows?: number
  },
): Layout {
  const cols = Math.max(MIN_COLUMNS, columns)
  const rws = Math.max(MIN_ROWS, rows)
  // Heights that divide 100 %: the axis labels land on round numbers (25, 20 or 10 % steps).
  const chartHeight = rws >= 40 ? 10 : rws >= 30 ? 5 : 4
  // Wide terminals get room for the whole title and the legend beside the time axis.
  const chartWidth = Math.min(cols >= 120 ? 76 : cols >= 100 ? 60 : 46, Math.floor(cols * 0.6))
  const legendInline = chartWidth >= PLOT_COLUMNS + 2 + CHART_LEGEND.length
  // title, plot (h + 1), outage marks, time axis, and the legend when it has a line of its own.
  const chartLines = 1 + chartHeight + 1 + 1 + 1 + (legendInline ? 0 : 1)
  const header = 2 + (opts.errorLine ? 1 : 0) + (opts.refreshLine ? 1 : 0)
  const footer = opts.footerRows ?? 1
  // table caption + column titles, events caption.
  const captions = 2 + 1
  const shared = Math.max(4, rws - header - footer - chartLines - captions)
  const minEvents = Math.min(Math.max(opts.events ?? 0, 1), rws >= 40 ? 6 : rws >= 30 ? 4 : 3)
  const wanted = Math.max(1, opts.instances ?? shared)
  const tableRows = Math.max(1, Math.min(wanted, shared - minEvents))
  return {
    columns: cols,
    rows: rws,
    tableRows,
    chartHeight,
    chartWidth,
    legendInline,
    chartLines,
    sideWidth: cols - chartWidth - 1,
    eventRows: Math.max(1, shared - tableRows),
    bodyRows: Math.max(1, rws - header - footer),
    footerRows: footer,
  }
}
