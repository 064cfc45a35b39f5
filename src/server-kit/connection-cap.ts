/**
 * A cap on open connections per remote address, counted on the server's `connection` event: a client that
 * opens thousands of connections and trickles bytes into them cannot hold the server's sockets (and file
 * descriptors) for everyone else. A connection over the cap is closed at once, before a byte of it is read:
 * answering it in HTTP would mean reading its request first, which is the work the cap is there to refuse.
 * A well-behaved client (a browser keeps at most 6 connections per origin) never comes near it.
 *
 * The remote address is the TCP peer, never `X-Forwarded-For`: behind a reverse proxy every connection comes
 * from the proxy, so the cap must then be above the proxy's own connection pool (or off).
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionCap {
  /** Open connections per address now (tests, logs). */
  openFrom(address: string): number;
}

/**
 * Counts sockets per remote address and closes those past `maxPerAddress` (0: no cap).
 *
 * @param onRefused told once per refused connection (for a log line)
 */
export function capConnectionsPerAddress(
  server: Server,
  maxPerAddress: number,
  onRefused: (address: string, open: number) => void = () => undefined
): ConnectionCap {
  const open = new Map<string, number>();
  if (maxPerAddress > 0) {
    server.on("connection", (socket: Socket) => {
      const address = socket.remoteAddress ?? "unknown";
      const count = open.get(address) ?? 0;
      if (count >= maxPerAddress) {
        onRefused(address, count);
        socket.destroy();
        return;
      }
      open.set(address, count + 1);
      socket.once("close", () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left <= 0) open.delete(address);
        else open.set(address, left);
      });
    });
  }
  return { openFrom: (address) => open.get(address) ?? 0 };
}
