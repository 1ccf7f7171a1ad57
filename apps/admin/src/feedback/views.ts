import { html, type SafeHtml } from "@marg/core/web";
import { emptyState, formatTime, pageHead, pagination, selectField, withQuery } from "../shared/ui.js";
import type { FeedbackPage } from "./repository.js";

function stars(rating: number): SafeHtml {
  const clamped = Math.max(0, Math.min(5, Math.round(rating)));
  return html`<span aria-label="${clamped} of 5">${"★".repeat(clamped)}${"☆".repeat(5 - clamped)}</span>`;
}

/** Feedback sent from flow: rating, message, page, sender, time. */
export function feedbackView(data: { feedback: FeedbackPage; rating: number | undefined }): SafeHtml {
  const head = pageHead("Feedback");
  if (!data.feedback.available) {
    return html`${head}${emptyState("No feedback table yet", "Flow creates it with its migrations: run `marg migrate` with flow in MARG_APPS.")}`;
  }
  const { feedback } = data;
  const rating = data.rating === undefined ? "" : String(data.rating);
  return html`${head}
<form class="filters" method="get" action="/feedback">
  ${selectField({
    name: "rating",
    label: "Rating",
    value: rating,
    choices: [
      { value: "", label: "Any" },
      ...[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${n} ★` })),
    ],
  })}
  <button type="submit" class="secondary">Filter</button>
</form>
<p class="muted">${feedback.total} ${feedback.total === 1 ? "message" : "messages"}</p>
${
  feedback.items.length === 0
    ? emptyState(
        "No feedback",
        rating === "" ? "Nobody has sent feedback yet." : "No feedback with this rating.",
      )
    : html`<table class="list">
  <thead><tr><th scope="col">Rating</th><th scope="col">Message</th><th scope="col">Page</th><th scope="col">From</th><th scope="col">Sent</th></tr></thead>
  <tbody>${feedback.items.map(
    (item) => html`<tr>
    <td>${stars(item.rating)}</td>
    <td class="prewrap">${item.message}</td>
    <td><code>${item.page}</code>${item.app === "flow" ? "" : html`<br><span class="muted">${item.app}</span>`}</td>
    <td><a href="/users/${item.userId}">${item.userName ?? item.userEmail}</a></td>
    <td>${formatTime(item.createdAt)}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${pagination({ page: feedback.page, pages: feedback.pages, href: (page) => withQuery("/feedback", { rating, page }) })}`;
}
