import type { NewOidcClient } from "@marg/core/oidc";
import type { OidcClientFormValues } from "./views.js";

/** One posted field as text ("" when absent or not text: a repeated field or a file is no value here). */
function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");

/**
 * The create form's fields as posted (to show again with errors) and as the
 * registry's input. The registry validates; this only reads the form.
 */
export function readOidcClientForm(raw: unknown): { values: OidcClientFormValues; input: NewOidcClient } {
  const body = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const values = {
    clientId: text(body, "clientId"),
    name: text(body, "name"),
    redirectUris: text(body, "redirectUris"),
    postLogoutRedirectUris: text(body, "postLogoutRedirectUris"),
    backchannelLogoutUri: text(body, "backchannelLogoutUri"),
    isPublic: text(body, "public") === "1",
    firstParty: text(body, "firstParty") === "1",
    appScope: text(body, "appScope"),
  };
  const backchannel = values.backchannelLogoutUri.trim();
  return {
    values,
    input: {
      clientId: values.clientId,
      name: values.name,
      type: values.isPublic ? "public" : "confidential",
      redirectUris: lines(values.redirectUris),
      postLogoutRedirectUris: lines(values.postLogoutRedirectUris),
      backchannelLogoutUri: backchannel === "" ? null : backchannel,
      firstParty: values.firstParty,
      appScope: values.appScope.trim() === "" ? null : values.appScope,
    },
  };
}
