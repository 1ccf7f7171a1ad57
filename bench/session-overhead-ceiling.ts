// The ceiling of bench/session-overhead.bench.ts, run by it as a child process: a bare
// node:http server that does what a signed-in page cannot do without — one Redis GET of
// a value the size of a session — and answers an HTML page of the size MARG's page has,
// with no framework, no session crypto and no logging.
// Reads: REDIS_KEY (set by the bench), PAGE_BYTES, PORT. Writes: nothing. Prints "listening".
import { createServer } from "node:http";
import { TEST_REDIS } from "@marg/core/testing";
import { Redis } from "ioredis";

const key = process.env.REDIS_KEY ?? "";
const page = `<!doctype html><html><body>${"x".repeat(Math.max(0, Number(process.env.PAGE_BYTES ?? 1500) - 40))}</body></html>`;
const redis = new Redis({ host: TEST_REDIS.host, port: TEST_REDIS.port });

const server = createServer((_request, response) => {
  redis.get(key).then(
    (value) => {
      if (value === null) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    },
    () => response.writeHead(500).end(),
  );
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("listening\n"));
process.once("SIGTERM", () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
