import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { multilineText, timeView } from "../../shared/format.js";
import type { TaskComment } from "../types.js";

export function taskCommentsView(o: {
  taskId: number;
  comments: readonly TaskComment[];
  people: ReadonlyMap<number, Person>;
  canComment: boolean;
  csrf: string;
  value?: string | undefined;
  error?: string | undefined;
}): SafeHtml {
  const list =
    o.comments.length === 0
      ? html`<p class="muted">No comments yet.</p>`
      : o.comments.map(
          (comment) => html`<article class="comment" id="comment-${comment.id}">
  <p><strong>${o.people.get(comment.userId)?.name ?? `User ${comment.userId}`}</strong> <span class="muted">· ${timeView(comment.createdAt)}</span></p>
  ${multilineText(comment.body)}
</article>`,
        );
  const form = o.canComment
    ? html`<form class="stack" method="post" action="/tasks/${o.taskId}/comments" novalidate>
  ${csrfField(o.csrf)}
  ${field({ name: "body", label: "Add a comment", type: "textarea", value: o.value, error: o.error, required: true })}
  <div class="actions"><button type="submit">Comment</button></div>
</form>`
    : "";
  return html`<section class="card" aria-labelledby="comments-heading">
  <h2 id="comments-heading">Comments</h2>
  ${list}
  ${form}
</section>`;
}
