/**
 * The relay's logger (pino). What may appear in a line is decided here, once:
 * - requests are logged as method, path and status only; never headers (the Authorization header carries
 *   the API key) and never bodies (billing data); `authorization` is redacted wherever else it might appear;
 * - the callback secret is masked in every logged URL (`/callbacks/<id>/***`).
 */
import pino, { type DestinationStream, type Logger } from "pino";
import { maskCallbackPath } from "./callback-secret";
import type { RelayLogLevel } from "./config";

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

interface ReplyLike {
  statusCode?: number;
}

export function serializeRequest(request: RequestLike): Record<string, unknown> {
  return {
    method: request.method,
    url: maskCallbackPath(request.url ?? ""),
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
  };
}

export function serializeReply(reply: ReplyLike): Record<string, unknown> {
  return { statusCode: reply.statusCode };
}

export function createRelayLogger(level: RelayLogLevel, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "relay" },
    redact: {
      paths: [
        "authorization",
        "headers.authorization",
        "req.headers.authorization",
        "request.headers.authorization",
        "*.authorization",
        "*.headers.authorization",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: serializeRequest,
      res: serializeReply,
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
