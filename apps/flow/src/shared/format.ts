import { html, type SafeHtml } from "@marg/core/web";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2 Dec 2026, 14:05 UTC" in a `<time>`: server-rendered pages cannot know the reader's zone. */
export function timeView(epochMs: number): SafeHtml {
  const date = new Date(epochMs);
  const text = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${String(
    date.getUTCHours(),
  ).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

/** "31 Dec 2026" for a `YYYY-MM-DD` calendar date. */
export function dateText(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return isoDate;
  return `${day} ${MONTHS[month - 1] ?? "?"} ${year}`;
}

/** Today as `YYYY-MM-DD` (UTC), for "overdue" and default report ranges. */
export function todayIso(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** "1.2 MB", "340 KB", "12 bytes". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Text with its line breaks kept, escaped like everything else (no CSS needed). */
export function multilineText(text: string): SafeHtml {
  const paragraphs = text.split(/\n{2,}/).filter((part) => part.trim() !== "");
  return html`${paragraphs.map((paragraph) => {
    const lines = paragraph.split("\n");
    return html`<p>${lines.map((line, index) => html`${index > 0 ? html`<br>` : ""}${line}`)}</p>`;
  })}`;
}
