import { csrfField, html, type SafeHtml } from "@marg/core/web";
import type { Task } from "../types.js";

/** "Are you sure?" as its own page, so deleting works without JavaScript and never by one stray click. */
export function taskDeleteView(o: {
  csrf: string;
  task: Task;
  attachments: number;
  comments: number;
}): SafeHtml {
  return html`<div class="card narrow">
  <h1>Delete this task?</h1>
  <p><strong>${o.task.title}</strong></p>
  <p>Its ${o.comments} ${o.comments === 1 ? "comment" : "comments"}, its history and its ${o.attachments} ${
    o.attachments === 1 ? "attachment" : "attachments"
  } go with it. This cannot be undone.</p>
  <form class="actions" method="post" action="/tasks/${o.task.id}/delete">
    ${csrfField(o.csrf)}
    <button class="danger" type="submit">Delete task</button>
    <a href="/tasks/${o.task.id}">Keep it</a>
  </form>
</div>`;
}
