import { csrfField, field, html, type SafeHtml } from "@marg/core/web";

const RATINGS = [
  { value: "1", label: "1 · Poor" },
  { value: "2", label: "2 · Fair" },
  { value: "3", label: "3 · Good" },
  { value: "4", label: "4 · Very good" },
  { value: "5", label: "5 · Great" },
];

/** The feedback form: a rating, what they think, and which page it is about. */
export function feedbackView(o: {
  csrf: string;
  values: Readonly<Record<string, string | undefined>>;
  errors: Readonly<Record<string, string>>;
}): SafeHtml {
  const ratingError = o.errors.rating;
  return html`<div class="card narrow">
  <h1>Send feedback</h1>
  <p class="muted">What works, what does not, what you miss. The team reads every message.</p>
  <form class="stack" method="post" action="/feedback" novalidate>
    ${csrfField(o.csrf)}
    <fieldset class="field rating" ${ratingError ? html`aria-describedby="f-rating-error"` : ""}>
      <legend>How is it going?</legend>
      <div class="choices">${RATINGS.map(
        (rating) =>
          html`<label><input type="radio" name="rating" value="${rating.value}" ${
            o.values.rating === rating.value ? html`checked` : ""
          } ${ratingError ? html`aria-invalid="true"` : ""}> ${rating.label}</label>`,
      )}</div>
      ${ratingError ? html`<span class="error" id="f-rating-error">${ratingError}</span>` : ""}
    </fieldset>
    ${field({ name: "body", label: "Your feedback", type: "textarea", value: o.values.body, error: o.errors.body, required: true })}
    ${field({ name: "page", label: "Page it is about", value: o.values.page, error: o.errors.page, hint: "A path like /tasks/board, or a full address.", required: true })}
    <div class="actions"><button type="submit">Send feedback</button></div>
  </form>
</div>`;
}
