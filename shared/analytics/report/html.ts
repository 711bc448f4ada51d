import type { Dashboard } from './dashboard';
import { chartSvg, escapeXml, formatValue } from './svg';

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 760px; color: #222; }
  h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.1rem; margin: 2rem 0 0.2rem; }
  p.question, p.meta { color: #555; margin: 0 0 0.6rem; font-size: 0.9rem; }
  .tiles { display: flex; flex-wrap: wrap; gap: 0.6rem; margin-top: 1rem; }
  .tile { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 0.8rem; min-width: 200px; }
  .tile .value { font-size: 1.3rem; font-weight: 600; }
  .tile .label { font-size: 0.8rem; color: #555; }
  svg.chart { display: block; max-width: 100%; height: auto; }
  svg.chart rect.mark:hover { opacity: 0.75; }
`;

/**
 * The starter dashboard as one static XHTML page: headline numbers and every chart drawn as inline SVG, with the
 * warehouse's numbers in each mark (data-value, and a tooltip). No script, no stylesheet or font to fetch: it opens
 * offline, in a mail client or an intranet page.
 */
export function dashboardHtml(dashboard: Dashboard, generatedAt: Date): string {
  const currency = dashboard.currency ? ` ${escapeXml(dashboard.currency)}` : '';
  const tiles = dashboard.headlines
    .map(
      (h) =>
        `<div class="tile" data-label="${escapeXml(h.label)}" data-value="${escapeXml(h.value ?? '')}"><div class="value">${escapeXml(formatValue(h.value, h.unit))}${h.unit === 'money' ? currency : ''}</div><div class="label">${escapeXml(h.label)}</div></div>`,
    )
    .join('');
  const charts = dashboard.charts
    .map(
      ({ spec, rows }) =>
        `<section id="section-${escapeXml(spec.id)}"><h2>${escapeXml(spec.title)}</h2><p class="question">${escapeXml(spec.question)} <span class="source">(sql/examples/${escapeXml(spec.example)}.sql)</span></p>${chartSvg(spec, rows)}</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>PHC Analytics: starter dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<h1>PHC Analytics: starter dashboard</h1>
<p class="meta">Sales up to ${escapeXml(dashboard.asOf ?? 'no orders yet')}, money tax excluded in the default currency${currency}. Generated ${escapeXml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC by phc report --html.</p>
<div class="tiles">${tiles}</div>
${charts}
</body>
</html>
`;
}
