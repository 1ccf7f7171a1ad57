/**
 * Issue 15, finding 2, as an attacker would try it: a real `marg serve admin`
 * process (migrated and seeded by `marg migrate` / `marg db:seed`, in a temp
 * MARG_ROOT) driven over HTTP. grace, an admin, tries to make herself
 * super-admin, to grant `*` to member and to disable ada (the only super-admin),
 * once through the HTML forms and once through /api/v1. Each move is refused
 * 403 with its reason and lands in the audit log; ada, the super-admin, can make
 * the same moves, except leaving the installation without an active super-admin.
 */
import { generateAppKey } from "@marg/core/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../support/api-client.js";
import { csrfTokenIn, FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation } from "../support/marg-installation.js";
import type { RunningProcess } from "../support/spawn-process.js";

const PASSWORD = "marg-demo-password";
const GRACE = "grace@marg.localhost";
const ADA = "ada@marg.localhost";

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

describe("an admin cannot grant herself more than she holds (marg serve admin, over HTTP)", () => {
  const installation = createMargInstallation("rbac-escalation");
  let server: RunningProcess;
  let port = 0;
  let grace: FormBrowser;
  let graceApi: ApiClient;
  let adaApi: ApiClient;
  const id = { ada: 0, grace: 0 };

  const signIn = async (email: string): Promise<FormBrowser> => {
    const browser = new FormBrowser({ host: "admin.marg.test", port });
    const response = await browser.submit("/login", "/login", { email, password: PASSWORD });
    if (response.status !== 303) throw new Error(`sign-in of ${email} answered ${response.status}`);
    return browser;
  };
  const rolesOf = async (userId: number) =>
    ((await adaApi.get(`/api/v1/users/${userId}`)).json as { roles: string[] }).roles;
  const memberGrants = async () => {
    const { items } = (await adaApi.get("/api/v1/roles")).json as {
      items: { name: string; permissions: string[] }[];
    };
    return items.find((role) => role.name === "member")?.permissions ?? [];
  };
  const adaDisabled = async () =>
    ((await adaApi.get(`/api/v1/users/${id.ada}`)).json as { user: { disabled: boolean } }).user.disabled;

  beforeAll(async () => {
    port = await freePort();
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,admin",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
    });
    installation.writeAppEnv("admin", { APP_URL: `http://admin.marg.test:${port}` });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    server = await installation.serve("admin", port);
    grace = await signIn(GRACE);
    graceApi = new ApiClient(grace);
    adaApi = new ApiClient(await signIn(ADA));
    const { items } = (await adaApi.get("/api/v1/users?perPage=100")).json as {
      items: { id: number; email: string }[];
    };
    id.ada = items.find((user) => user.email === ADA)?.id ?? 0;
    id.grace = items.find((user) => user.email === GRACE)?.id ?? 0;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    installation.remove();
  });

  describe("grace, through the HTML forms", () => {
    it("assigning super-admin to herself is refused 403, and she stays admin", async () => {
      const response = await grace.submit(`/users/${id.grace}`, `/users/${id.grace}/roles`, {
        role: "super-admin",
      });
      expect(response.status).toBe(403);
      expect(response.body).toContain("Only a super-admin can assign the role");
      expect(await rolesOf(id.grace)).toEqual(["admin"]);
    });

    it("granting * to member is refused 403, and member does not get it", async () => {
      const response = await grace.submit("/roles/member", "/roles/member/grant", { permission: "*" });
      expect(response.status).toBe(403);
      expect(response.body).toContain("which you do not hold yourself");
      expect(await memberGrants()).not.toContain("*");
    });

    it("disabling ada is refused 403, and ada can still work", async () => {
      // The page offers her no Disable button for ada any more; she posts the form anyway.
      const page = await grace.get(`/users/${id.ada}`);
      const csrf = csrfTokenIn(page.body, "/logout") ?? "";
      const response = await grace.post(`/users/${id.ada}/disable`, { _csrf: csrf });
      expect(response.status).toBe(403);
      expect(response.body).toContain("Only a super-admin can disable the account of a super-admin");
      expect(await adaDisabled()).toBe(false);
    });
  });

  describe("grace, through /api/v1", () => {
    it("PUT /api/v1/users/<grace>/roles/super-admin is 403 E_RBAC_SUPER_ADMIN_REQUIRED", async () => {
      const response = await graceApi.write("PUT", `/api/v1/users/${id.grace}/roles/super-admin`);
      expect(response.status).toBe(403);
      expect((response.json as ErrorBody).error.code).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
      expect(await rolesOf(id.grace)).toEqual(["admin"]);
    });

    it("PUT /api/v1/roles/member/permissions/* is 403 E_RBAC_GRANT_EXCEEDS_HOLDER", async () => {
      const response = await graceApi.write("PUT", "/api/v1/roles/member/permissions/*");
      expect(response.status).toBe(403);
      expect((response.json as ErrorBody).error.code).toBe("E_RBAC_GRANT_EXCEEDS_HOLDER");
      expect(await memberGrants()).not.toContain("*");
    });

    it("POST /api/v1/users/<ada>/disable is 403 E_RBAC_SUPER_ADMIN_REQUIRED", async () => {
      const response = await graceApi.write("POST", `/api/v1/users/${id.ada}/disable`);
      expect(response.status).toBe(403);
      expect((response.json as ErrorBody).error.code).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
      expect(await adaDisabled()).toBe(false);
    });
  });

  it("records each of the six refusals in the audit log: who tried what, and why not", async () => {
    const response = await adaApi.get("/api/v1/audit?action=access.refused&perPage=100");
    const { items } = response.json as {
      items: {
        actorName: string;
        subjectType: string;
        after: { attempted: { kind: string }; code: string };
      }[];
    };
    expect(items).toHaveLength(6);
    expect(new Set(items.map((item) => item.actorName))).toEqual(new Set(["Grace Hopper"]));
    const tried = items.map((item) => `${item.after.attempted.kind} ${item.after.code}`).sort();
    expect(tried).toEqual(
      [
        "account E_RBAC_SUPER_ADMIN_REQUIRED",
        "account E_RBAC_SUPER_ADMIN_REQUIRED",
        "assign-role E_RBAC_SUPER_ADMIN_REQUIRED",
        "assign-role E_RBAC_SUPER_ADMIN_REQUIRED",
        "grant-to-role E_RBAC_GRANT_EXCEEDS_HOLDER",
        "grant-to-role E_RBAC_GRANT_EXCEEDS_HOLDER",
      ].sort(),
    );
  });

  describe("ada, the super-admin, can make the same moves", () => {
    it("grants * to member through the form", async () => {
      const ada = adaApi.browser;
      const response = await ada.submit("/roles/member", "/roles/member/grant", { permission: "*" });
      expect(response.status).toBe(303);
      expect(await memberGrants()).toContain("*");
      expect((await adaApi.write("DELETE", "/api/v1/roles/member/permissions/*")).status).toBe(200);
    });

    it("cannot disable herself while she is the only super-admin: 409 E_RBAC_LAST_SUPER_ADMIN", async () => {
      const response = await adaApi.write("POST", `/api/v1/users/${id.ada}/disable`);
      expect(response.status).toBe(409);
      expect((response.json as ErrorBody).error.code).toBe("E_RBAC_LAST_SUPER_ADMIN");
      expect(await adaDisabled()).toBe(false);
    });

    it("makes grace super-admin through the form; then grace may disable ada, but not herself, the last one", async () => {
      const ada = adaApi.browser;
      const assigned = await ada.submit(`/users/${id.grace}`, `/users/${id.grace}/roles`, {
        role: "super-admin",
      });
      expect(assigned.status).toBe(303);
      expect(await rolesOf(id.grace)).toEqual(["admin", "super-admin"]);

      const disabled = await graceApi.write("POST", `/api/v1/users/${id.ada}/disable`);
      expect(disabled.status).toBe(200);
      const last = await graceApi.write("POST", `/api/v1/users/${id.grace}/disable`);
      expect(last.status).toBe(409);
      expect((last.json as ErrorBody).error.code).toBe("E_RBAC_LAST_SUPER_ADMIN");
      const demote = await graceApi.write("DELETE", `/api/v1/users/${id.grace}/roles/super-admin`);
      expect(demote.status).toBe(409);
    });
  });
});
