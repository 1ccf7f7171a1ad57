import type { FastifyReply, FastifyRequest } from "fastify";
import type { MargConfig } from "../config/config-types.js";
import type { UserPermissions } from "../rbac/user-permissions.js";
import type { SessionUser } from "./current-user.js";
import type { HtmlValue } from "./html.js";
import { type FlashMessage, type LayoutApp, type NavLink, renderLayout } from "./layout.js";
import { createLayoutVisibility } from "./layout-visibility.js";

const FLASH_TYPES = ["success", "error", "info"] as const;

/** Puts a one-request message on the session: shown on the next page, then gone. */
export async function flash(
  request: FastifyRequest,
  type: FlashMessage["type"],
  message: string,
): Promise<void> {
  await request.session.flash(`flash:${type}`, message);
}

async function flashedMessages(request: FastifyRequest): Promise<FlashMessage[]> {
  if (request.user === null && request.headers.cookie === undefined) return [];
  const all = await request.session.flashedAll();
  return FLASH_TYPES.flatMap((type) => {
    const message = all[`flash:${type}`];
    return typeof message === "string" ? [{ type, message }] : [];
  });
}

export interface PageOptions {
  readonly title: string;
  readonly body: HtmlValue;
  readonly status?: number;
  /** Highlights this href in the app's navigation. */
  readonly current?: string;
}

/**
 * Renders pages in the shared layout for one app. A signed-in user's switcher and
 * navigation leave out the apps and links they cannot open (`access`, `permission`),
 * checked on the request's permission set; guests see every app and no navigation.
 */
export interface PageRenderer {
  page(request: FastifyRequest, reply: FastifyReply, options: PageOptions): Promise<FastifyReply>;
  /** The layout around any body, for error pages that already know their status. */
  html(request: FastifyRequest, options: PageOptions): Promise<string>;
}

/**
 * What the frame of a page shows of the request, gathered before anything is
 * rendered: the layout and its visibility rules then run without I/O.
 */
interface PageFrameData {
  readonly user: SessionUser | null;
  readonly csrfToken: string | undefined;
  readonly flash: readonly FlashMessage[];
  /** The request's permission set (`marg-permissions`), when the layout hides links by it. */
  readonly permissions: UserPermissions | null;
}

async function loadPageFrame(request: FastifyRequest, needsPermissions: boolean): Promise<PageFrameData> {
  const signedIn = request.user !== null;
  const permissions = signedIn && needsPermissions ? await request.permissions() : null;
  return {
    user: request.user,
    csrfToken: signedIn ? await request.session.csrfToken() : undefined,
    flash: await flashedMessages(request),
    permissions,
  };
}

export function createPageRenderer(options: {
  config: MargConfig;
  appTitle: string;
  apps: readonly LayoutApp[];
  nav: readonly NavLink[];
  /** The app's own stylesheets for the layout's `<head>`. */
  stylesheets?: readonly string[];
}): PageRenderer {
  const visibility = createLayoutVisibility(options.apps, options.nav);
  // Pure: everything it shows is in `frame`.
  const render = (frame: PageFrameData, path: string, page: PageOptions): string => {
    const { user, permissions } = frame;
    return renderLayout({
      title: page.title,
      appId: options.config.app.id,
      appTitle: options.appTitle,
      apps: permissions === null ? options.apps : visibility.apps(permissions),
      user:
        user === null
          ? undefined
          : { name: user.name, email: user.email, avatarUrl: avatarUrl(user.avatarPath) },
      csrfToken: frame.csrfToken,
      flash: frame.flash,
      nav:
        user !== null
          ? (permissions === null ? options.nav : visibility.nav(permissions)).map((link) => ({
              ...link,
              current: link.href === (page.current ?? path),
            }))
          : [],
      body: page.body,
      ...(options.stylesheets === undefined ? {} : { stylesheets: options.stylesheets }),
    });
  };
  const html = async (request: FastifyRequest, page: PageOptions): Promise<string> => {
    const frame = await loadPageFrame(request, visibility.needsPermissions);
    return render(frame, request.url.split("?")[0] ?? "/", page);
  };
  return {
    html,
    async page(request, reply, page) {
      const body = await html(request, page);
      return reply
        .status(page.status ?? 200)
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(body);
    },
  };
}

/** Avatars are served by flow under /avatars/<file>; other apps link there. */
function avatarUrl(avatarPath: string | null): string | undefined {
  return avatarPath === null ? undefined : `/avatars/${encodeURIComponent(avatarPath)}`;
}
