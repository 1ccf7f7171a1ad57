/**
 * A MARG HTTP process for the graceful-shutdown tests, run as a real child:
 * `node --import tsx shutdown-fixture.ts <direct|router>`. Reads its config
 * from the environment (MARG_ROOT, APP_KEY, SHUTDOWN_TIMEOUT), logs JSON lines
 * to stdout, and serves /slow (answers after a pause) and /hang (never answers).
 */
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../config/index.js";
import { createLogger } from "../../logging/index.js";
import { createHttpApp } from "../create-http-app.js";
import { installGracefulShutdown } from "../graceful-shutdown.js";
import { createHostRouter } from "../host-router.js";

const mode = process.argv[2] === "router" ? "router" : "direct";
const config = loadConfig();
const logger = createLogger(config);
const app = createHttpApp(config, { logger });
app.get("/hello", async () => "hello");
app.get("/slow", async (request) => {
  request.log.info("slow request started");
  await sleep(500);
  return "slow request finished";
});
app.get("/hang", (request) => {
  request.log.info("hanging request started");
  return new Promise<never>(() => {});
});
const closers = [{ name: "fake-pool", close: () => logger.info("fake-pool closed") }];
const timeoutSeconds = config.http.shutdownTimeoutSeconds;

if (mode === "router") {
  const router = await createHostRouter({
    apps: { "127.0.0.1": app },
    fallback: (_req, res) => res.writeHead(404).end(),
  });
  installGracefulShutdown({ servers: [router], apps: [app], closers, timeoutSeconds, logger });
  router.listen(0, "127.0.0.1", () => {
    logger.info({ port: (router.address() as AddressInfo).port }, "fixture ready");
  });
} else {
  installGracefulShutdown({ apps: [app], closers, timeoutSeconds, logger });
  await app.listen({ host: "127.0.0.1", port: 0 });
  logger.info({ port: (app.server.address() as AddressInfo).port }, "fixture ready");
}
