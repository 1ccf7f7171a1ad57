// Part O's supply: authorization codes minted through real authorization flows on
// the id process, as a browser signed in to MARG runs them — GET /authorize, the
// interaction page that finishes from the MARG session (and the first-party
// consent), back to /authorize, and the 303 to the client's redirect URI with the
// code. Codes are single-use and live 60 s, so each measured window gets a fresh
// batch minted just before it. Also the client (registered with the real
// `marg oidc:client create`) and the MARG session cookie on the id host.

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { keepSetCookies } from "@marg/core/testing";
import { FormBrowser } from "../../test/support/form-browser.js";
import { MARG_BIN, REPO_ROOT } from "../../test/support/spawn-process.js";
import { probe } from "../harness/http-probe.js";
import { BENCH_USER } from "../targets/bench-installation.js";

const run = promisify(execFile);

export const OIDC_CLIENT_ID = "bench-rp";
/** Where the codes are sent; never visited (the 303's Location is read instead). */
export const OIDC_REDIRECT_URI = "https://rp.example.test/callback";
/** What a vendor tool asks for: Grafana's scopes plus MARG's roles. */
export const OIDC_SCOPE = "openid email profile roles offline_access";

/** One browser's worth of minting: the MARG session on the id host and the PKCE pair every flow reuses. */
export interface CodeMint {
  readonly port: number;
  readonly host: string;
  /** `name=value; …` of the MARG session on the id host. */
  readonly sessionCookie: string;
  readonly verifier: string;
  readonly challenge: string;
}

/** A confidential, first-party client scoped to flow, as an operator registers one; its secret. */
export async function registerBenchClient(root: string): Promise<string> {
  const { stdout } = await run(
    "node",
    [
      MARG_BIN,
      "oidc:client",
      "create",
      OIDC_CLIENT_ID,
      "--name",
      "Bench relying party",
      "--first-party",
      "--app-scope",
      "flow",
      "--redirect-uri",
      OIDC_REDIRECT_URI,
      "--json",
    ],
    { cwd: REPO_ROOT, env: { ...process.env, MARG_ROOT: root, NO_COLOR: "1" } },
  );
  const secret = (JSON.parse(stdout) as { secret: string | null }).secret;
  if (secret === null) throw new Error("O: the bench client was created without a secret");
  return secret;
}

/** Signs the bench user in on the id host (MARG's own /login there) and prepares the PKCE pair. */
export async function prepareCodeMint(port: number, host: string): Promise<CodeMint> {
  const browser = new FormBrowser({ host, port });
  const signedIn = await browser.submit("/login", "/login", {
    email: BENCH_USER.email,
    password: BENCH_USER.password,
  });
  if (signedIn.status !== 303)
    throw new Error(`O: could not sign in on ${host} as ${BENCH_USER.email} (${signedIn.status})`);
  const verifier = randomBytes(32).toString("base64url");
  return {
    port,
    host,
    sessionCookie: [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; "),
    verifier,
    challenge: createHash("sha256").update(verifier).digest("base64url"),
  };
}

/** `count` fresh codes, minted by `parallel` browsers at once (each keeps its own provider cookies). */
export async function mintCodes(mint: CodeMint, count: number, parallel = 8): Promise<string[]> {
  const codes: string[] = [];
  const browser = async () => {
    const jar = new Map<string, string>();
    while (codes.length < count) codes.push(await mintOne(mint, jar));
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, browser));
  return codes.slice(0, count);
}

async function mintOne(mint: CodeMint, jar: Map<string, string>): Promise<string> {
  const query = new URLSearchParams({
    client_id: OIDC_CLIENT_ID,
    response_type: "code",
    scope: OIDC_SCOPE,
    redirect_uri: OIDC_REDIRECT_URI,
    code_challenge: mint.challenge,
    code_challenge_method: "S256",
    state: randomBytes(8).toString("base64url"),
    nonce: randomBytes(8).toString("base64url"),
    // offline_access is granted only with prompt=consent (first-party: answered without a page).
    prompt: "consent",
  });
  let path = `/authorize?${query}`;
  for (let hop = 0; hop < 10; hop++) {
    const cookies = [mint.sessionCookie, ...[...jar].map(([name, value]) => `${name}=${value}`)];
    const answer = await probe(mint.port, {
      host: mint.host,
      path,
      headers: { cookie: cookies.join("; "), accept: "text/html" },
    });
    keepSetCookies(jar, answer.setCookie);
    const location = answer.location;
    if (answer.status < 300 || answer.status >= 400 || location === undefined)
      throw new Error(
        `O: minting a code, ${path.split("?")[0]} answered ${answer.status}: ${answer.body.slice(0, 200)}`,
      );
    if (location.startsWith(OIDC_REDIRECT_URI)) {
      const code = new URL(location).searchParams.get("code");
      if (code === null) throw new Error(`O: the provider sent no code: ${location.slice(0, 200)}`);
      return code;
    }
    const next = new URL(location, `https://${mint.host}`);
    path = `${next.pathname}${next.search}`;
  }
  throw new Error("O: minting a code took more than 10 redirects");
}
