import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP forwarder in front of a real server, which a test can cut to make that server unreachable. */
export interface TcpProxy {
  readonly port: number;
  /** Closes every connection and stops listening: clients now get ECONNREFUSED. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to `target`. Cutting it looks to clients exactly
 * like the server going away (connections reset, new ones refused), without
 * stopping a server other suites share.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const forward = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  };
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(forward);
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        const address = next.address();
        if (address !== null && typeof address === "object") port = address.port;
        server = next;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    cut: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        const closing = server;
        server = undefined;
        if (closing === undefined) resolve();
        else closing.close(() => resolve());
      }),
    restore: open,
  };
}
