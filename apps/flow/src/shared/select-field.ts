import { html, type SafeHtml } from "@marg/core/web";

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

/**
 * A labelled `<select>` with its error beside it, the same markup as core's
 * `field()` (which has no select), so forms read alike across the ecosystem.
 */
export function selectField(options: {
  name: string;
  label: string;
  options: readonly SelectOption[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
}): SafeHtml {
  const id = `f-${options.name}`;
  const described = [options.hint ? `${id}-hint` : "", options.error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  ${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : ""}
  <select id="${id}" name="${options.name}" ${described ? html`aria-describedby="${described}"` : ""} ${
    options.error ? html`aria-invalid="true"` : ""
  }>${options.options.map(
    (option) =>
      html`<option value="${option.value}" ${option.value === (options.value ?? "") ? html`selected` : ""}>${option.label}</option>`,
  )}</select>
  ${options.error ? html`<span class="error" id="${id}-error">${options.error}</span>` : ""}
</div>`;
}
