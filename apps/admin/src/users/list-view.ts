import type { User } from "@marg/core/auth";
import { html, type SafeHtml } from "@marg/core/web";
import { badge, emptyState, formatTime, pageHead, pagination, selectField, withQuery } from "../shared/ui.js";
import type { UserListQuery } from "./schemas.js";

export function userStatusBadge(user: Pick<User, "disabledAt">): SafeHtml {
  return user.disabledAt === null ? badge("active", "ok") : badge("disabled", "danger");
}

/** The users list: search, status filter, table, pagination. */
export function userListView(data: {
  users: { items: readonly User[]; total: number; page: number; pages: number };
  query: UserListQuery;
  canManage: boolean;
}): SafeHtml {
  const { users, query } = data;
  const href = (page: number) =>
    withQuery("/users", { q: query.q, status: query.status === "all" ? undefined : query.status, page });
  const filtered = query.q !== "" || query.status !== "all";
  const table =
    users.items.length === 0
      ? filtered
        ? emptyState(
            "No user matches",
            html`Nothing matches these filters. <a href="/users">Show everyone</a>.`,
          )
        : emptyState("No users yet", "Create the first account with “New user”.")
      : html`<table class="list">
  <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Last sign-in</th><th scope="col">Created</th></tr></thead>
  <tbody>${users.items.map(
    (user) => html`<tr>
    <td><a href="/users/${user.id}">${user.name}</a></td>
    <td>${user.email}</td>
    <td>${userStatusBadge(user)}</td>
    <td>${formatTime(user.lastLoginAt)}</td>
    <td>${formatTime(user.createdAt)}</td>
  </tr>`,
  )}</tbody>
</table>`;
  return html`${pageHead(
    "Users",
    data.canManage
      ? html`<a class="button secondary" href="/users/invite">Invite by email</a> <a class="button" href="/users/new">New user</a>`
      : "",
  )}
<form class="filters" method="get" action="/users" role="search">
  <div class="field"><label for="f-q">Search</label><input type="search" id="f-q" name="q" value="${query.q}" placeholder="Name or email"></div>
  ${selectField({
    name: "status",
    label: "Status",
    value: query.status,
    choices: [
      { value: "all", label: "All" },
      { value: "active", label: "Active" },
      { value: "disabled", label: "Disabled" },
    ],
  })}
  <button type="submit" class="secondary">Filter</button>
</form>
<p class="muted">${users.total} ${users.total === 1 ? "user" : "users"}</p>
${table}
${pagination({ page: users.page, pages: users.pages, href })}`;
}
