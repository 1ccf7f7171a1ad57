import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/**
 * One access-log line per request, as nginx writes one: Fastify's default writes
 * two at `info` ("incoming request" with the request, "request completed" with the
 * status), which doubles the log volume and the log-writing cost of every request.
 * Here the completion line carries both the request (method, url, host, remote
 * address) and the outcome (status, response time); the arrival line is kept at
 * `debug`, for tracing requests that never finish.
 */
export class AccessLogController extends LogController {
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
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
