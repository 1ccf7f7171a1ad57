import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Bindings, ChildLoggerOptions, FastifyChildLoggerFactory } from "fastify/types/logger.js";
import type { LogFn } from "pino";

type LogArgs = Parameters<LogFn>;

/**
 * `request.log` without a pino child per request. Fastify's default builds one for
 * every request (its bindings serialised up front) though almost every request logs
 * only its access line; this one builds the child on the first line a handler logs,
 * so the lines it writes are exactly the child's (bindings, route log level).
 */
export class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** True while the access line can be written by the root logger as this child would write it. */
  get plain(): boolean {
    return this.#child === undefined && this.options.level === undefined;
  }

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#materialise().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#materialise().child(bindings, options);
  }

  fatal(...args: LogArgs): void {
    const child = this.#materialise();
    child.fatal.apply(child, args);
  }

  error(...args: LogArgs): void {
    const child = this.#materialise();
    child.error.apply(child, args);
  }

  warn(...args: LogArgs): void {
    const child = this.#materialise();
    child.warn.apply(child, args);
  }

  info(...args: LogArgs): void {
    const child = this.#materialise();
    child.info.apply(child, args);
  }

  debug(...args: LogArgs): void {
    const child = this.#materialise();
    child.debug.apply(child, args);
  }

  trace(...args: LogArgs): void {
    const child = this.#materialise();
    child.trace.apply(child, args);
  }

  silent(): void {}

  #materialise(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }
}

/** Fastify's `childLoggerFactory`: a RequestLogger instead of a pino child per request. */
export const requestLoggerFactory: FastifyChildLoggerFactory = (logger, bindings, options) =>
  new RequestLogger(logger, bindings, options);

/**
 * One access-log line per request, as nginx writes one: Fastify's default writes
 * two at `info` ("incoming request" with the request, "request completed" with the
 * status), which doubles the log volume and the log-writing cost of every request.
 * Here the completion line carries both the request (method, url, host, remote
 * address) and the outcome (status, response time); the arrival line is kept at
 * `debug`, for tracing requests that never finish.
 *
 * The completion line is built as a plain object and written by the root logger
 * (`root`: the pino logger the instance was made with, which has no `req`/`res`
 * serializers), so a request that logs nothing else never gets a pino child and
 * its line is serialised once; it is the same line, field for field, as the child
 * would write. The root's line redaction applies to it like to every other line.
 */
export class AccessLogController extends LogController {
  readonly #root: FastifyBaseLogger;
  readonly #infoLevel: number;

  constructor(root: FastifyBaseLogger) {
    super();
    this.#root = root;
    this.#infoLevel = levelValue(root, "info");
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        "request errored",
      );
      return;
    }
    const log = request.log;
    if (!(log instanceof RequestLogger) || !log.plain || log.parent.level !== this.#root.level) {
      log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
      return;
    }
    if (levelValue(this.#root, this.#root.level) > this.#infoLevel) return;
    // Field for field what Fastify's `req`/`res` serializers make of the request.
    this.#root.info(
      {
        reqId: request.id,
        req: {
          method: request.method,
          url: request.url,
          version: request.headers["accept-version"],
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      "request completed",
    );
  }
}

/** A level's number (pino's `levels.values`), or 30 (info) for a logger that has none. */
function levelValue(logger: FastifyBaseLogger, level: string): number {
  const levels = (logger as { levels?: { values?: Record<string, number> } }).levels;
  return levels?.values?.[level] ?? 30;
}
