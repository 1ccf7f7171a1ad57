import { html, type SafeHtml } from "@marg/core/web";

export interface Bar {
  readonly label: string;
  readonly value: number;
}

const WIDTH = 720;
const HEIGHT = 240;
const AXIS = 28;
// Presentation attributes rather than CSS: the shared stylesheet has no chart rules, and these read well on light and dark.
const BAR = "#5c7cfa";
const TEXT = "#8a93a6";

/** 1, 2, 5, 10, 20, 50… at or above `value`: a round top for the scale. */
function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/**
 * A bar chart as inline SVG: no script, no CDN, scales with the page. Each bar
 * has a <title> (hover text), and the numbers are also given as a table in a
 * <details>, which is what screen readers and copy-paste get.
 */
export function barChart(options: { id: string; caption: string; bars: readonly Bar[] }): SafeHtml {
  const { bars } = options;
  const top = niceCeiling(Math.max(0, ...bars.map((bar) => bar.value)));
  const plotHeight = HEIGHT - AXIS;
  const slot = bars.length === 0 ? WIDTH : WIDTH / bars.length;
  const barWidth = Math.max(1, slot * 0.7);
  const rects = bars.map((bar, i) => {
    const height = top === 0 ? 0 : Math.round((bar.value / top) * (plotHeight - 8));
    const x = (i * slot + (slot - barWidth) / 2).toFixed(1);
    const y = plotHeight - height;
    return html`<rect fill="${BAR}" x="${x}" y="${y}" width="${barWidth.toFixed(1)}" height="${Math.max(height, bar.value > 0 ? 1 : 0)}"><title>${bar.label}: ${bar.value}</title></rect>`;
  });
  const first = bars[0]?.label ?? "";
  const last = bars[bars.length - 1]?.label ?? "";
  return html`<figure class="chart">
  <svg id="${options.id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${options.id}-caption" font-size="13" fill="${TEXT}">
    <line x1="0" y1="${plotHeight}" x2="${WIDTH}" y2="${plotHeight}" stroke="${TEXT}" stroke-width="1"></line>
    <line x1="0" y1="8" x2="${WIDTH}" y2="8" stroke="${TEXT}" stroke-width="0.5" stroke-dasharray="4 4"></line>
    <text x="2" y="22">${top}</text>
    ${rects}
    <text x="2" y="${HEIGHT - 8}">${first}</text>
    <text x="${WIDTH - 2}" y="${HEIGHT - 8}" text-anchor="end">${last}</text>
  </svg>
  <figcaption id="${options.id}-caption">${options.caption}</figcaption>
  <details><summary>Show the numbers</summary>
    <table class="list"><thead><tr><th scope="col">Day</th><th scope="col">Clicks</th></tr></thead>
    <tbody>${bars.map((bar) => html`<tr><td>${bar.label}</td><td>${bar.value}</td></tr>`)}</tbody></table>
  </details>
</figure>`;
}
