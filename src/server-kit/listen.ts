/**
 * Starting to listen, the same way for the relay and the emulator: listen on the given interface and port
 * (0: any free port), close the app again if that fails (so a port in use leaves no open store or timer
 * behind), and give back the URL a client on this machine uses to reach it.
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";

export interface ListenAddress {
  /** TCP port; 0 lets the system choose a free one (read it from the returned URL). */
  readonly port: number;
  /** Interface, e.g. 127.0.0.1 (loopback only) or 0.0.0.0 (every interface). */
  readonly host: string;
}

/**
 * The base URL (no trailing slash) of a server listening at `address`. An IPv6 address is bracketed; a
 * server listening on every interface (0.0.0.0, ::) is reached as `localhost`.
 *
 * @throws Error when the server is not listening on a TCP port (a pipe, or not listening at all)
 */
export function listeningUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === "string") throw new Error("the server is not listening on a TCP port");
  const everyInterface = address.address === "0.0.0.0" || address.address === "::";
  const host = everyInterface ? "localhost" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export interface Listening {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  /** The port listened on (the chosen one when asked for 0). */
  readonly port: number;
}

/** Listens, and resolves with the server's URL and port; on failure the app is closed and the error rethrown. */
export async function listen(app: FastifyInstance, address: ListenAddress): Promise<Listening> {
  try {
    await app.listen({ port: address.port, host: address.host });
    const bound = app.server.address();
    return { url: listeningUrl(bound), port: typeof bound === "object" && bound ? bound.port : address.port };
  } catch (error) {
    await app.close();
    throw error;
  }
}
