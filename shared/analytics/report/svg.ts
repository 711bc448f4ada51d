import type { ChartSpec, TextRow } from './dashboard';

/** Text for XML: the page is XHTML, so it parses as XML too. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A warehouse number for people: thousands separated, its own decimals kept; shares as percentages. */
export function formatValue(value: string | null, unit: ChartSpec['unit']): string {
  if (value === null || value === '') return '–';
  if (unit === 'share') return `${(Number(value) * 100).toFixed(1)} %`;
  const [whole = '', decimals] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return decimals === undefined ? grouped : `${grouped}.${decimals}`;
}

const WIDTH = 720;
const BLUE = '#2f6db5';
const shorten = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function mark(attrs: Record<string, string | number>, label: string, value: string | null, unit: ChartSpec['unit']): string {
  const attributes = Object.entries(attrs)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? Number(v.toFixed(2)) : escapeXml(v)}"`)
    .join(' ');
  return `<rect class="mark" ${attributes} data-label="${escapeXml(label)}" data-value="${escapeXml(value ?? '')}"><title>${escapeXml(`${label}: ${formatValue(value, unit)}`)}</title></rect>`;
}

function svg(id: string, height: number, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(id)}" class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img">${body.join('')}</svg>`;
}

/** Bars standing side by side in the rows' order (a time series), the value axis from 0 to the largest value. */
export function columnsChart(spec: ChartSpec, rows: TextRow[]): string {
  const height = 260;
  const left = 70;
  const bottom = 30;
  const top = 10;
  const plotWidth = WIDTH - left - 10;
  const plotHeight = height - top - bottom;
  const values = rows.map((r) => Math.max(0, Number(r[spec.value] ?? 0)));
  const max = Math.max(1, ...values);
  const step = plotWidth / Math.max(1, rows.length);
  const body: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = top + plotHeight - (plotHeight * i) / 4;
    const tick = ((max * i) / 4).toFixed(spec.unit === 'count' ? 0 : 2);
    body.push(`<line x1="${left}" x2="${WIDTH - 10}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
    body.push(`<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="10">${escapeXml(formatValue(tick, spec.unit))}</text>`);
  }
  rows.forEach((row, i) => {
    const label = row[spec.label] ?? '';
    const barHeight = ((values[i] ?? 0) / max) * plotHeight;
    body.push(mark({ x: left + i * step + step * 0.1, y: top + plotHeight - barHeight, width: step * 0.8, height: barHeight, fill: BLUE }, label, row[spec.value] ?? null, spec.unit));
  });
  for (const i of [...new Set([0, Math.floor((rows.length - 1) / 2), rows.length - 1])].filter((n) => n >= 0)) {
    const label = rows[i]?.[spec.label] ?? '';
    body.push(`<text x="${(left + i * step + step / 2).toFixed(1)}" y="${height - 10}" text-anchor="middle" font-size="10">${escapeXml(label)}</text>`);
  }
  return svg(spec.id, height, body);
}

/** Horizontal bars, one per row in the rows' order (ranked by the query), the value written at each bar's end. */
export function barsChart(spec: ChartSpec, rows: TextRow[]): string {
  const rowHeight = 24;
  const left = 240;
  const height = Math.max(1, rows.length) * rowHeight + 10;
  const values = rows.map((r) => Math.max(0, Number(r[spec.value] ?? 0)));
  const max = Math.max(1, ...values);
  const plotWidth = WIDTH - left - 110;
  const body: string[] = [];
  rows.forEach((row, i) => {
    const label = row[spec.label] ?? '(none)';
    const y = 5 + i * rowHeight;
    const width = ((values[i] ?? 0) / max) * plotWidth;
    body.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escapeXml(shorten(label, 36))}</text>`);
    body.push(mark({ x: left, y: y + 3, width, height: rowHeight - 6, fill: BLUE }, label, row[spec.value] ?? null, spec.unit));
    body.push(`<text x="${(left + width + 6).toFixed(1)}" y="${y + 15}" font-size="11">${escapeXml(formatValue(row[spec.value] ?? null, spec.unit))}</text>`);
  });
  if (rows.length === 0) body.push(`<text x="10" y="20" font-size="12">No data for this period.</text>`);
  return svg(spec.id, Math.max(height, 30), body);
}

/** A grid of shares: one row per label, one column per value of spec.across, darker for a larger share. */
export function heatmapChart(spec: ChartSpec, rows: TextRow[]): string {
  const across = spec.across ?? '';
  const labels = [...new Set(rows.map((r) => r[spec.label] ?? ''))];
  const columns = Math.max(1, ...rows.map((r) => Number(r[across] ?? 0) + 1));
  const left = 90;
  const cellWidth = Math.min(40, (WIDTH - left - 10) / columns);
  const cellHeight = 20;
  const height = 24 + labels.length * cellHeight + 6;
  const body: string[] = [];
  for (let c = 0; c < columns; c++) {
    body.push(`<text x="${(left + c * cellWidth + cellWidth / 2).toFixed(1)}" y="14" text-anchor="middle" font-size="10">${c}</text>`);
  }
  labels.forEach((label, r) => {
    body.push(`<text x="${left - 6}" y="${24 + r * cellHeight + 14}" text-anchor="end" font-size="11">${escapeXml(label)}</text>`);
  });
  for (const row of rows) {
    const r = labels.indexOf(row[spec.label] ?? '');
    const c = Number(row[across] ?? 0);
    const share = Math.min(1, Math.max(0, Number(row[spec.value] ?? 0)));
    const shade = Math.round(245 - share * 190);
    const x = left + c * cellWidth;
    const y = 24 + r * cellHeight;
    body.push(mark({ x, y, width: cellWidth - 1, height: cellHeight - 1, fill: `rgb(${shade},${Math.round(shade * 0.9 + 20)},255)` }, `${row[spec.label] ?? ''}/${row[across] ?? ''}`, row[spec.value] ?? null, spec.unit));
    body.push(`<text x="${(x + cellWidth / 2).toFixed(1)}" y="${y + 14}" text-anchor="middle" font-size="9">${Math.round(share * 100)}</text>`);
  }
  return svg(spec.id, height, body);
}

export function chartSvg(spec: ChartSpec, rows: TextRow[]): string {
  if (spec.kind === 'columns') return columnsChart(spec, rows);
  if (spec.kind === 'heatmap') return heatmapChart(spec, rows);
  return barsChart(spec, rows);
}
