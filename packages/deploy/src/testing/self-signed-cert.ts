import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runTool } from "./run-tool.js";

/**
 * A throwaway certificate for `nginx -t` and `haproxy -c`, laid out like
 * certbot's (fullchain.pem, privkey.pem) plus HAProxy's combined PEM.
 */
export function makeSelfSignedCertificate(
  dir: string,
  domain: string,
): { certificateDir: string; combined: string } {
  const key = path.join(dir, "privkey.pem");
  const cert = path.join(dir, "fullchain.pem");
  const result = runTool("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    `/CN=${domain}`,
  ]);
  if (result.status !== 0) throw new Error(`openssl failed: ${result.output}`);
  const combined = path.join(dir, `${domain}.pem`);
  writeFileSync(combined, `${readFileSync(cert, "utf8")}${readFileSync(key, "utf8")}`, { mode: 0o600 });
  return { certificateDir: dir, combined };
}
