import { csrfField, type HtmlValue, html, type SafeHtml } from "@marg/core/web";

/** A time as people read it (UTC, to the minute), machine-readable in `datetime`. */
export function formatTime(ms: number | null | undefined): SafeHtml {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return html`<span class="muted">—</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`;
}

/** A path with query parameters, dropping empty ones. */
export function withQuery(
  path: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text === "" ? path : `${path}?${text}`;
}

/** Previous / next links and where we are; nothing when everything fits on one page. */
export function pagination(options: {
  page: number;
  pages: number;
  href: (page: number) => string;
}): HtmlValue {
  const { page, pages, href } = options;
  if (pages <= 1) return "";
  return html`<nav class="pagination" aria-label="Pages">
  ${page > 1 ? html`<a class="button secondary" href="${href(page - 1)}" rel="prev">← Previous</a>` : ""}
  <span class="muted">Page ${page} of ${pages}</span>
  ${page < pages ? html`<a class="button secondary" href="${href(page + 1)}" rel="next">Next →</a>` : ""}
</nav>`;
}

export function emptyState(title: string, text: HtmlValue): SafeHtml {
  return html`<div class="empty"><p><strong>${title}</strong></p><p>${text}</p></div>`;
}

export function pageHead(title: string, actions: HtmlValue = ""): SafeHtml {
  return html`<div class="page-head"><h1>${title}</h1><div class="actions">${actions}</div></div>`;
}

/** A one-button form (POST with the CSRF token and optional hidden fields). */
export function postButton(options: {
  action: string;
  csrf: string;
  label: string;
  variant?: "secondary" | "danger";
  fields?: Readonly<Record<string, string>>;
}): SafeHtml {
  const hidden = Object.entries(options.fields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<form class="inline" method="post" action="${options.action}">${csrfField(options.csrf)}${hidden}<button type="submit" ${
    options.variant ? html`class="${options.variant}"` : ""
  }>${options.label}</button></form>`;
}

/**
 * A destructive action behind a disclosure: the first click opens "are you sure",
 * the second does it. No script needed.
 */
export function confirmButton(options: {
  action: string;
  csrf: string;
  label: string;
  question: string;
  confirmLabel: string;
  fields?: Readonly<Record<string, string>>;
}): SafeHtml {
  return html`<details class="confirm">
  <summary class="button danger">${options.label}</summary>
  <div class="confirm-panel" role="group" aria-label="${options.label}">
    <p>${options.question}</p>
    ${postButton({ action: options.action, csrf: options.csrf, label: options.confirmLabel, variant: "danger", ...(options.fields ? { fields: options.fields } : {}) })}
  </div>
</details>`;
}

export function badge(text: string, tone: "ok" | "warn" | "danger" | "plain" = "plain"): SafeHtml {
  return html`<span class="badge${tone === "plain" ? "" : ` badge-${tone}`}">${text}</span>`;
}

/** A select built from options, keeping the chosen value. */
export function selectField(options: {
  name: string;
  label: string;
  choices: readonly { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
}): SafeHtml {
  const id = `f-${options.name}`;
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  <select id="${id}" name="${options.name}" ${options.error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ""}>
    ${options.choices.map(
      (choice) =>
        html`<option value="${choice.value}" ${choice.value === options.value ? html`selected` : ""}>${choice.label}</option>`,
    )}
  </select>
  ${options.error ? html`<span class="error" id="${id}-error">${options.error}</span>` : ""}
</div>`;
}
