import { type HtmlValue, html, type SafeHtml } from "./html.js";

export interface LayoutApp {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /**
   * The permissions that open the app, any one of them (`defineApp({ access })`).
   * The page renderer leaves the app out of a signed-in user's switcher when they
   * hold none; unset, everyone sees it. The layout shows the apps it is given.
   */
  readonly access?: readonly string[] | undefined;
}

export interface LayoutUser {
  readonly name: string;
  readonly email: string;
  readonly avatarUrl?: string | undefined;
}

export interface FlashMessage {
  readonly type: "success" | "error" | "info";
  readonly message: string;
}

export interface NavLink {
  readonly href: string;
  readonly label: string;
  /**
   * The RBAC permission the page behind `href` requires (the one its route guard
   * names). The page renderer drops the link for users who lack it; unset, the
   * link is shown to every signed-in user. The layout shows the links it is given.
   */
  readonly permission?: string | undefined;
  readonly current?: boolean;
}

/** Everything the shared page frame needs; views pass data, never query. */
export interface LayoutOptions {
  readonly title: string;
  readonly appId: string;
  readonly appTitle: string;
  readonly apps: readonly LayoutApp[];
  readonly user?: LayoutUser | undefined;
  readonly csrfToken?: string | undefined;
  readonly flash?: readonly FlashMessage[];
  readonly nav?: readonly NavLink[];
  readonly body: HtmlValue;
  /** False on pages that cannot know who is signed in (error pages rendered outside a request). */
  readonly showUserMenu?: boolean;
  /** The app's own stylesheets, linked in `<head>` after marg.css (`defineApp({ stylesheet })`). */
  readonly stylesheets?: readonly string[];
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}

function userMenu(user: LayoutUser | undefined, csrfToken: string | undefined): SafeHtml {
  if (user === undefined) return html`<div class="user-menu"><a href="/login">Sign in</a></div>`;
  const avatar =
    user.avatarUrl === undefined
      ? html`<span class="avatar" aria-hidden="true">${initials(user.name)}</span>`
      : html`<img class="avatar" src="${user.avatarUrl}" alt="" width="32" height="32">`;
  return html`<div class="user-menu">
    ${avatar}<span class="name">${user.name}</span>
    <form class="inline" method="post" action="/logout">
      <input type="hidden" name="_csrf" value="${csrfToken ?? ""}">
      <button class="secondary" type="submit">Sign out</button>
    </form>
  </div>`;
}

// The app switcher is the same on every page of an app for everyone who sees the same
// apps: rendered once per apps list and app. The page renderer passes one stable list
// per visible set, so this is a cache per (app, visible set), never per user.
const switchers = new WeakMap<readonly LayoutApp[], Map<string, SafeHtml>>();

function appSwitcher(apps: readonly LayoutApp[], appId: string): SafeHtml {
  let byApp = switchers.get(apps);
  if (byApp === undefined) {
    byApp = new Map();
    switchers.set(apps, byApp);
  }
  let switcher = byApp.get(appId);
  if (switcher === undefined) {
    switcher = html`${apps.map(
      (app) =>
        html`<li><a href="${app.url}/" aria-current="${app.id === appId ? "true" : "false"}">${app.title}</a></li>`,
    )}`;
    byApp.set(appId, switcher);
  }
  return switcher;
}

/** The page frame every app shares: header with app switcher, user, sign-out, flash messages. */
export function renderLayout(options: LayoutOptions): string {
  const switcher = appSwitcher(options.apps, options.appId);
  const nav =
    options.nav && options.nav.length > 0
      ? html`<nav class="app-nav" aria-label="${options.appTitle}">${options.nav.map(
          (link) =>
            html`<a href="${link.href}" ${link.current ? html`aria-current="page"` : ""}>${link.label}</a>`,
        )}</nav>`
      : "";
  const flash = (options.flash ?? []).map(
    (item) =>
      html`<div class="flash flash-${item.type}" role="${item.type === "error" ? "alert" : "status"}">${item.message}</div>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${options.appTitle} · MARG</title>
<link rel="stylesheet" href="/assets/marg.css">
${(options.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${href}">\n`)}</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/">MARG</a>
  <nav aria-label="Apps"><ul class="app-switcher">${switcher}</ul></nav>
  ${options.showUserMenu === false ? "" : userMenu(options.user, options.csrfToken)}
</header>
${nav}
<main id="main">
${flash}
${options.body}
</main>
<footer class="footer">MARG · ${options.appTitle}</footer>
</body>
</html>`.toString();
}
