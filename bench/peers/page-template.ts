// The HTML both peers send: the same shape and about the same size as MARG's
// shared layout (head, top bar with the user menu and a sign-out form carrying a
// CSRF token, app navigation, main), escaped the way a template engine would.
// Kept here so the Express peer and the bare ceiling do identical rendering work.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export interface PageUser {
  readonly name: string;
}

export function layout(options: {
  title: string;
  user: PageUser | null;
  csrf: string;
  body: string;
}): string {
  const { title, user, csrf, body } = options;
  const initials =
    user === null
      ? ""
      : escapeHtml(
          user.name
            .split(" ")
            .map((part) => part[0] ?? "")
            .join(""),
        );
  const menu =
    user === null
      ? '<a class="button" href="/login">Sign in</a>'
      : `<span class="avatar" aria-hidden="true">${initials}</span><span class="name">${escapeHtml(user.name)}</span>
    <form class="inline" method="post" action="/logout">
      <input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
      <button class="secondary" type="submit">Sign out</button>
    </form>`;
  const nav =
    user === null
      ? ""
      : '<nav class="app-nav" aria-label="Flow"><a href="/tasks">Tasks</a><a href="/tasks/board">Board</a><a href="/reports">Reports</a><a href="/profile">Profile</a><a href="/feedback">Feedback</a></nav>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Flow · MARG</title>
<link rel="stylesheet" href="/assets/marg.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/">MARG</a>
  <nav aria-label="Apps"><ul class="app-switcher"><li><a href="http://flow.marg.test/" aria-current="true">Flow</a></li><li><a href="http://links.marg.test/" aria-current="false">Links</a></li></ul></nav>
  <div class="user-menu">
    ${menu}
  </div>
</header>
${nav}
<main id="main">
${body}
</main>
<footer class="footer"><p>MARG</p></footer>
</body>
</html>
`;
}

export function signInPage(csrf: string): string {
  return layout({
    title: "Sign in",
    user: null,
    csrf,
    body: `<section class="card narrow"><h1>Sign in</h1>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
  <div class="field"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required></div>
  <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
  <div class="field"><label class="check"><input type="checkbox" name="remember" value="1"> Keep me signed in</label></div>
  <button type="submit">Sign in</button>
</form>
<p><a href="/forgot-password">Forgot your password?</a> · <a href="/register">Create an account</a></p></section>`,
  });
}

export function signedInPage(user: PageUser, csrf: string): string {
  return layout({
    title: "Bench",
    user,
    csrf,
    body: `<section class="card"><h1>Hello, ${escapeHtml(user.name)}</h1><p>You may view tasks.</p></section>`,
  });
}

export interface TaskRow {
  readonly id: number;
  readonly title: string;
  readonly status: string;
  readonly priority: number;
  readonly due_on: string | null;
}

export function taskListPage(user: PageUser, csrf: string, rows: readonly TaskRow[]): string {
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.id)}</td><td>${escapeHtml(row.title)}</td><td>${escapeHtml(row.status)}</td><td>${escapeHtml(row.priority)}</td><td>${escapeHtml(row.due_on ?? "")}</td></tr>`,
    )
    .join("");
  return layout({
    title: "Bench tasks",
    user,
    csrf,
    body: `<section class="card"><h1>Your tasks</h1><table><thead><tr><th>#</th><th>Title</th><th>Status</th><th>Priority</th><th>Due</th></tr></thead><tbody>${body}</tbody></table></section>`,
  });
}

/** The query of scenario C, the same text for every peer (MARG builds the equivalent with Kysely). */
export const TASKS_SQL =
  "SELECT id, title, status, priority, due_on FROM tasks WHERE user_id = ? ORDER BY id DESC LIMIT 20";
