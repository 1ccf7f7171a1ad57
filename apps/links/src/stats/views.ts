import { csrfField, html, type SafeHtml } from "@marg/core/web";
import { formatCount } from "../links/format.js";
import type { Link } from "../links/types.js";
import { barChart } from "./bar-chart-views.js";
import type { LinkStats } from "./service.js";

const RANGES = [7, 30, 90] as const;

/** One link's statistics: clicks per day (SVG chart), top referrers, and the CSV export. */
export function statsView(options: {
  link: Link;
  stats: LinkStats;
  days: number;
  shortUrl: string;
  csrfToken: string;
  canExport: boolean;
  canEdit: boolean;
}): SafeHtml {
  const { link, stats } = options;
  const ranges = RANGES.map((days) =>
    days === options.days
      ? html`<strong aria-current="page">${days} days</strong>`
      : html`<a href="/links/${link.id}/stats?days=${days}">${days} days</a>`,
  );
  const referrers = stats.referrers.map(
    (referrer) =>
      html`<tr><td>${referrer.host === "" ? html`<span class="muted">Direct or hidden</span>` : referrer.host}</td><td>${formatCount(referrer.clicks)}</td></tr>`,
  );
  return html`<div class="page-head">
  <h1>Statistics of /${link.slug}</h1>
  <div class="actions">
    ${options.canEdit ? html`<a class="button secondary" href="/links/${link.id}/edit">Edit</a>` : ""}
    ${
      options.canExport
        ? html`<form method="post" action="/links/${link.id}/export?days=${options.days}" class="inline">${csrfField(options.csrfToken)}<button type="submit" class="secondary">Export CSV</button></form>`
        : ""
    }
  </div>
</div>
<p><a href="${options.shortUrl}">${options.shortUrl}</a> → <a href="${link.targetUrl}" rel="noopener noreferrer">${link.targetUrl}</a>
  ${link.enabled ? "" : html`<span class="badge badge-warn">off</span>`}</p>
<p class="actions">Show the last ${ranges}</p>
<section class="card">
    <h2>${formatCount(stats.total)} click${stats.total === 1 ? "" : "s"} in ${options.days} days</h2>
    ${barChart({
      id: "clicks-per-day",
      caption: `Clicks per day (UTC), last ${options.days} days`,
      bars: stats.days.map((day) => ({ label: day.day, value: day.clicks })),
    })}
    ${
      stats.pending > 0
        ? html`<p class="muted">Includes ${formatCount(stats.pending)} click${stats.pending === 1 ? "" : "s"} from the last minute, not yet in the daily totals.</p>`
        : ""
    }
</section>
<section class="card spaced">
    <h2>Top referrers</h2>
    ${
      referrers.length === 0
        ? html`<p class="empty">No clicks in this period yet. Share ${options.shortUrl} and come back.</p>`
        : html`<table class="list" id="referrers"><thead><tr><th scope="col">Referring site</th><th scope="col">Clicks</th></tr></thead><tbody>${referrers}</tbody></table>`
    }
    <p class="muted">Only the day and the referring site's host are kept: no addresses, no browsers, no countries.</p>
</section>`;
}
