import { flash, MULTIPART_CSRF_ROUTE, refreshSessionUser, requireAuth } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AVATAR_MAX_BYTES } from "../attachments/upload-policy.js";
import { uploadFieldError } from "../errors.js";
import type { FlowRouteContext } from "../shared/route-context.js";
import { uploadedFile } from "../shared/uploaded-file.js";
import { acceptAvatarUpload } from "./service.js";
import { profileView } from "./views.js";

/** GET /profile and POST /profile/avatar (upload → stored original → image.avatar job). */
export function registerProfileRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages } = ctx;

  const show = async (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) => {
    const sessionUser = request.user;
    if (sessionUser === null) return reply;
    // The avatar job changes the user after the upload's request is over: catch up with it here.
    const user = await services.platform.users.findById(sessionUser.id);
    if (user !== null && user.avatarPath !== sessionUser.avatarPath) await refreshSessionUser(request, user);
    const current = request.user ?? sessionUser;
    return pages.page(request, reply, {
      title: "Profile",
      current: "/profile",
      status,
      body: profileView({
        csrf: await request.session.csrfToken(),
        name: current.name,
        email: current.email,
        avatarPath: current.avatarPath,
        error,
      }),
    });
  };

  app.get("/profile", { preHandler: requireAuth }, async (request, reply) => show(request, reply));

  app.post(
    "/profile/avatar",
    { preHandler: requireAuth, config: MULTIPART_CSRF_ROUTE },
    async (request, reply) => {
      const user = request.user;
      if (user === null) return reply;
      try {
        const file = await uploadedFile(request, AVATAR_MAX_BYTES);
        await acceptAvatarUpload(
          { storagePath: services.platform.config.storage.path, queue: services.platform.queue },
          user.id,
          file,
        );
      } catch (error) {
        const message = uploadFieldError(error);
        if (message === null) throw error;
        return show(request, reply, message, (error as { status?: number }).status ?? 422);
      }
      await flash(request, "success", "Picture received. Your new avatar appears as soon as it is ready.");
      return reply.redirect("/profile", 303);
    },
  );
}
