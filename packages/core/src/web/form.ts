import { html, type SafeHtml } from "./html.js";

export interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly type?: "text" | "email" | "password" | "url" | "date" | "number" | "search" | "textarea";
  readonly value?: string | undefined;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly autofocus?: boolean;
}

/**
 * A labelled input with its hint and error beside it, linked for screen readers
 * (aria-describedby, aria-invalid). Values are escaped like everything else.
 */
export function field(options: FieldOptions): SafeHtml {
  const id = `f-${options.name}`;
  const described = [options.hint ? `${id}-hint` : "", options.error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  const common = html`id="${id}" name="${options.name}" ${options.required ? html`required` : ""} ${
    options.autofocus ? html`autofocus` : ""
  } ${options.autocomplete ? html`autocomplete="${options.autocomplete}"` : ""} ${
    described ? html`aria-describedby="${described}"` : ""
  } ${options.error ? html`aria-invalid="true"` : ""}`;
  const control =
    options.type === "textarea"
      ? html`<textarea ${common}>${options.value ?? ""}</textarea>`
      : html`<input type="${options.type ?? "text"}" ${common} value="${options.value ?? ""}">`;
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  ${options.hint ? html`<span class="hint" id="${id}-hint">${options.hint}</span>` : ""}
  ${control}
  ${options.error ? html`<span class="error" id="${id}-error">${options.error}</span>` : ""}
</div>`;
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
