import { MargError } from "../errors/marg-error.js";
import { OIDC_ERRORS, type OidcErrorCode } from "./errors.js";
import type { NewOidcClient, OidcClientType } from "./oidc-client-types.js";

/** A client's input once checked: trimmed, defaults filled, ready to store. */
export interface ValidOidcClient {
  readonly clientId: string;
  readonly name: string;
  readonly type: OidcClientType;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri: string | null;
  readonly firstParty: boolean;
  readonly appScope: string | null;
}

/** The input fields a form or a CLI flag maps to; errors name them in `details.fields`. */
export type OidcClientField =
  | "clientId"
  | "name"
  | "type"
  | "redirectUris"
  | "postLogoutRedirectUris"
  | "backchannelLogoutUri"
  | "appScope";

const CLIENT_ID_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const APP_SHAPE = /^[a-z][a-z0-9-]{0,39}$/;
const NAME_MAX = 120;
const URI_MAX = 2000;
const URIS_MAX = 20;
/** RFC 8252 §7.3 loopback redirects: a native app listens on a local port, TLS cannot apply. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function oidcError(
  code: OidcErrorCode,
  message: string,
  fields?: Partial<Record<OidcClientField, string>>,
) {
  return new MargError(code, message, {
    status: OIDC_ERRORS[code].status,
    ...(fields === undefined ? {} : { details: { fields } }),
  });
}

/** True for a slug a client may be registered and looked up under. */
export function isClientIdShape(clientId: string): boolean {
  return CLIENT_ID_SHAPE.test(clientId);
}

/** Why one URI cannot be registered, or undefined when it can. */
function uriProblem(uri: string, production: boolean): string | undefined {
  if (uri.length === 0 || uri.length > URI_MAX) return `must be 1 to ${URI_MAX} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URL (it needs https:// and a host)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https://";
  if (url.host === "") return "has no host";
  if (uri.includes("#")) return "must not carry a #fragment (OAuth 2.0 forbids one)";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  if (production && url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return "must use https:// in production (only http://localhost and http://127.0.0.1 may use http)";
  }
  return undefined;
}

/** The URIs trimmed and de-duplicated (kept exactly as given otherwise: matching is exact), or the first problem. */
function checkUris(
  label: string,
  uris: readonly string[],
  production: boolean,
): { uris: string[]; problem?: string } {
  const trimmed = [...new Set(uris.map((u) => u.trim()).filter((u) => u.length > 0))];
  if (trimmed.length > URIS_MAX) return { uris: trimmed, problem: `Give at most ${URIS_MAX} ${label}s.` };
  for (const uri of trimmed) {
    const problem = uriProblem(uri, production);
    // The URI is the operator's own input and no secret; a long one is cut so messages stay readable.
    if (problem !== undefined)
      return { uris: trimmed, problem: `The ${label} "${uri.slice(0, 100)}" ${problem}.` };
  }
  return { uris: trimmed };
}

/**
 * Checks a new client's input. Every problem is collected, so a form shows them all at
 * once: the error carries the first problem's code and `details.fields` (field → message).
 */
export function validateNewClient(input: NewOidcClient, production: boolean): ValidOidcClient {
  const problems: { code: OidcErrorCode; field: OidcClientField; message: string }[] = [];
  const clientId = input.clientId.trim();
  if (!isClientIdShape(clientId)) {
    problems.push({
      code: "E_OIDC_CLIENT_ID_INVALID",
      field: "clientId",
      message:
        "Use 1 to 64 characters of a-z, 0-9 and - for the client id (e.g. grafana), starting and ending with a letter or digit.",
    });
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > NAME_MAX) {
    problems.push({
      code: "E_OIDC_CLIENT_NAME_INVALID",
      field: "name",
      message: `Give the client a name of 1 to ${NAME_MAX} characters; people see it when they sign in.`,
    });
  }
  const type = input.type ?? "confidential";
  if (type !== "confidential" && type !== "public") {
    problems.push({
      code: "E_OIDC_CLIENT_TYPE_INVALID",
      field: "type",
      message: "A client is confidential or public.",
    });
  }
  const redirects = checkUris("redirect URI", input.redirectUris, production);
  if (redirects.problem === undefined && redirects.uris.length === 0) {
    redirects.problem =
      "Give at least one redirect URI: where the client receives people after they sign in.";
  }
  if (redirects.problem !== undefined) {
    problems.push({ code: "E_OIDC_CLIENT_URI_INVALID", field: "redirectUris", message: redirects.problem });
  }
  const postLogout = checkUris("post-logout redirect URI", input.postLogoutRedirectUris ?? [], production);
  if (postLogout.problem !== undefined) {
    problems.push({
      code: "E_OIDC_CLIENT_URI_INVALID",
      field: "postLogoutRedirectUris",
      message: postLogout.problem,
    });
  }
  const backchannel = checkUris("back-channel logout URI", [input.backchannelLogoutUri ?? ""], production);
  if (backchannel.problem !== undefined) {
    problems.push({
      code: "E_OIDC_CLIENT_URI_INVALID",
      field: "backchannelLogoutUri",
      message: backchannel.problem,
    });
  }
  const appScope = input.appScope?.trim() || null;
  if (appScope !== null && !APP_SHAPE.test(appScope)) {
    problems.push({
      code: "E_OIDC_CLIENT_APP_SCOPE_INVALID",
      field: "appScope",
      message:
        "The app scope is an app id such as flow or links (lower-case letters, digits and -), or empty.",
    });
  }
  const [first] = problems;
  if (first !== undefined) {
    throw oidcError(
      first.code,
      problems.map((p) => p.message).join(" "),
      Object.fromEntries(problems.map((p) => [p.field, p.message])),
    );
  }
  return {
    clientId,
    name,
    type,
    redirectUris: redirects.uris,
    postLogoutRedirectUris: postLogout.uris,
    backchannelLogoutUri: backchannel.uris[0] ?? null,
    firstParty: input.firstParty === true,
    appScope,
  };
}
