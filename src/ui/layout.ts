/**
 * How the terminal's rows and columns are shared between the panes. Computed, not left to flexbox, because
 * the instances table must know how many rows it may render (it renders only those), and because the whole
 * screen must fit: at 80×24 every pane still gets at least a few lines.
 */
export interface Layout {
  columns: number
  rows: number
  /** Visible instance rows (under the table's header line). */
  tableRows: number
  /** Rows of the chart's plot area (asciichart draws height + 1 lines). */
  chartHeight: number
  chartWidth: number
  sideWidth: number
  eventRows: number
}

export const MIN_COLUMNS = 60
export const MIN_ROWS = 16

export function computeLayout(columns: number, rows: number, opts: {errorLine: boolean}): Layout {
  const cols = Math.max(MIN_COLUMNS, columns)
  const rws = Math.max(MIN_ROWS, rows)
  // Heights that divide 100 %: the axis labels land on round numbers (25, 20 or 10 % steps).
  const chartHeight = rws >= 40 ? 10 : rws >= 30 ? 5 : 4
  const eventRows = rws >= 40 ? 7 : rws >= 30 ? 5 : 3
  // header 2 (+1 for an error), table header 1, chart title 1 + plot (h + 1) + outage marks 1,
  // events title 1, footer 1.
  const fixed = 2 + (opts.errorLine ? 1 : 0) + 1 + 1 + chartHeight + 1 + 1 + 1 + eventRows + 1
  const tableRows = Math.max(2, rws - fixed)
  // 35 minutes of points plus the axis labels (43 columns), never more than 60% of the width; wider
  // terminals get room for the whole title.
  const chartWidth = Math.min(cols >= 100 ? 64 : 46, Math.floor(cols * 0.6))
  return {
    columns: cols,
    rows: rws,
    tableRows,
    chartHeight,
    chartWidth,
    sideWidth: cols - chartWidth - 1,
    eventRows,
  }
}
