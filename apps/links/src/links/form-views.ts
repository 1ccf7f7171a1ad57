import { csrfField, field, html, type SafeHtml } from "@marg/core/web";

/** What the form shows: what the user typed (kept on errors) and the messages next to each field. */
export interface LinkFormValues {
  readonly targetUrl: string;
  readonly slug: string;
  readonly title: string;
  readonly tags: string;
  readonly enabled: boolean;
}

export const EMPTY_LINK_FORM: LinkFormValues = {
  targetUrl: "",
  slug: "",
  title: "",
  tags: "",
  enabled: true,
};

/** The create and edit form (same fields, same rules as the JSON API). */
export function linkFormView(options: {
  action: string;
  heading: string;
  submit: string;
  csrfToken: string;
  values: LinkFormValues;
  errors: Readonly<Record<string, string>>;
  baseUrl: string;
  editing: boolean;
}): SafeHtml {
  const { values, errors } = options;
  return html`<div class="page-head"><h1>${options.heading}</h1></div>
<div class="card narrow">
<form class="stack" method="post" action="${options.action}" novalidate>
  ${csrfField(options.csrfToken)}
  ${errors._ ? html`<p class="flash flash-error" role="alert">${errors._}</p>` : ""}
  ${field({
    name: "targetUrl",
    label: "Where the link goes",
    type: "url",
    value: values.targetUrl,
    error: errors.targetUrl,
    hint: "A full web address starting with https:// or http://",
    required: true,
    autofocus: !options.editing,
  })}
  ${field({
    name: "slug",
    label: "Short name",
    value: values.slug,
    error: errors.slug,
    hint: options.editing
      ? `${options.baseUrl}/… — changing it breaks links already shared`
      : `${options.baseUrl}/… — leave empty for a random one; 3–64 of a–z, 0–9 and -`,
  })}
  ${field({ name: "title", label: "Title (optional)", value: values.title, error: errors.title })}
  ${field({
    name: "tags",
    label: "Tags (optional)",
    value: values.tags,
    error: errors.tags,
    hint: "Separated by commas, e.g. launch, newsletter",
  })}
  <div class="field">
    <label><input type="checkbox" name="enabled" value="on" ${values.enabled ? html`checked` : ""}> Enabled: the short link redirects</label>
    ${errors.enabled ? html`<span class="error">${errors.enabled}</span>` : ""}
  </div>
  <div class="actions">
    <button type="submit">${options.submit}</button>
    <a href="/links">Cancel</a>
  </div>
</form>
</div>`;
}

/** Asks before deleting (no script needed): the button posts the delete. */
export function deleteConfirmView(options: {
  id: number;
  slug: string;
  shortUrl: string;
  csrfToken: string;
}): SafeHtml {
  return html`<div class="page-head"><h1>Delete /${options.slug}?</h1></div>
<div class="card narrow">
  <p><strong>${options.shortUrl}</strong> will stop working at once and its click statistics are deleted with it. This cannot be undone.</p>
  <form method="post" action="/links/${options.id}/delete" class="actions">
    ${csrfField(options.csrfToken)}
    <button type="submit" class="danger">Delete the link</button>
    <a href="/links">Keep it</a>
  </form>
</div>`;
}
