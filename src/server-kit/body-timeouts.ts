/**
 * Request bodies that stall or trickle are cut off. Node's own `requestTimeout` is checked only every 30 s
 * (`connectionsCheckingInterval`) and is one value for every route, so the deadlines are kept here, per request:
 *
 * - idle: no byte of the body for `idleMs` (the socket's inactivity timer, which Node resets for every chunk it
 *   parses), and
 * - deadline: the whole body not in `deadlineMs(request)` after its head arrived (per route: a callback of
 *   100+ MB needs far longer than a JSON query of a few kilobytes).
 *
 * Only requests that have a body are timed (a `Content-Length` above 0 or a `Transfer-Encoding`): a long-poll
 * (`GET …?wait=30`) sends none, so it is never cut off while it waits for its answer. A cut-off request gets
 * 408 in the server's error envelope with `Connection: close`, and its socket is closed: whatever of the body
 * is still on its way is not read. The timers stop once the body has been read to its end.
 */
import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyRequest } from "fastify";

export interface BodyTimeouts {
  /** No byte of the body for this long: cut off. 0: no idle limit. */
  idleMs: number;
  /** The body not complete this long after the head arrived: cut off. 0: no deadline. */
  deadlineMs: (request: FastifyRequest) => number;
  /** The 408's body (the server's error envelope). */
  answer: (reason: "idle" | "deadline") => unknown;
}

function hasBody(raw: IncomingMessage): boolean {
  const length = raw.headers["content-length"];
  return raw.headers["transfer-encoding"] !== undefined || (length !== undefined && Number(length) !== 0);
}

/** Adds the hook to `app` (call it at the root, before the routes, so every route is timed). */
export function cutOffSlowBodies(app: FastifyInstance, timeouts: BodyTimeouts): void {
  app.addHook("onRequest", (request, reply, done) => {
    const raw = request.raw;
    const socket = raw.socket;
    const deadlineMs = timeouts.deadlineMs(request);
    if (!hasBody(raw) || (timeouts.idleMs <= 0 && deadlineMs <= 0)) {
      done();
      return;
    }
    let deadline: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (deadline !== undefined) clearTimeout(deadline);
      deadline = undefined;
      raw.removeListener("timeout", onIdle);
      socket.removeListener("close", stop);
      // Back to the server's own setting (Fastify's connectionTimeout, 0 by default): the answer may take its time.
      socket.setTimeout(app.server.timeout);
    };
    const cutOff = (reason: "idle" | "deadline"): void => {
      stop();
      request.log.warn({ reason, received: raw.socket.bytesRead }, "request body cut off: it arrived too slowly");
      if (reply.sent || reply.raw.headersSent) {
        socket.destroy();
        return;
      }
      reply.raw.once("finish", () => socket.destroy());
      void reply.code(408).header("connection", "close").send(timeouts.answer(reason));
    };
    const onIdle = (): void => cutOff("idle");
    if (timeouts.idleMs > 0) raw.setTimeout(timeouts.idleMs, onIdle);
    if (deadlineMs > 0) {
      deadline = setTimeout(() => cutOff("deadline"), deadlineMs);
      deadline.unref();
    }
    raw.once("end", stop);
    socket.once("close", stop);
    done();
  });
}
