/**
 * Errors at the HTTP edge — where Node or Fastify refuse a request before any route sees it — answered the same
 * way by the relay and the emulator: Infobip's `ApiError` envelope, in fixed words that never repeat the URL or
 * a header (a URL may carry a callback secret; an echo would also be a reflection vector).
 *
 * - Node's `clientError` (a request line or headers that are not HTTP, headers too large, a request that took
 *   too long to arrive) comes before Fastify has a request: {@link edgeClientErrorHandler} writes the answer on
 *   the socket and closes it (Fastify's `clientErrorHandler` option).
 * - A path with malformed percent-encoding comes before routing: {@link edgeFrameworkErrors} (Fastify's
 *   `frameworkErrors` option; Fastify's own answer would repeat the path).
 * - Fastify's own errors inside a request (body too large, unsupported media type, bad Content-Length):
 *   {@link edgeErrorAnswer} gives the status and words for the server's error handler.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** Infobip's `ApiError` envelope (`src/billing`'s `ApiError`), restated so the kit stays free of the contract. */
export interface EdgeApiError {
  errorCode: string;
  description: string;
  action: string;
  violations: Array<{ property: string; violation: string }>;
  resources: Array<{ name: string; url: string }>;
}

export interface EdgeAnswer {
  status: number;
  body: EdgeApiError;
}

function answer(status: number, description: string, action: string): EdgeAnswer {
  return { status, body: { errorCode: `E${status}`, description, action, violations: [], resources: [] } };
}

const CHECK_REQUEST = "Check the request: send a well-formed HTTP/1.1 request to a documented path.";

/** The answer to a `clientError` Node reports (codes from Node's `http` module and llhttp, `HPE_*`). */
export function clientErrorAnswer(error: { code?: string }): EdgeAnswer {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return answer(408, "The request did not arrive in time.", "Send the whole request without pausing, then retry.");
    case "HPE_HEADER_OVERFLOW":
      return answer(
        431,
        "The request's headers are larger than this server accepts.",
        "Send fewer or shorter headers."
      );
    case "HPE_URI_TOO_LONG":
      return answer(414, "The request's URL is longer than this server accepts.", "Send a shorter URL.");
    default:
      return answer(400, "The request is not valid HTTP.", CHECK_REQUEST);
  }
}

/**
 * The answer to an error Fastify raised while taking the request in, or undefined for an error that is not
 * Fastify's (the server words its own). Never uses the error's message, which may hold the URL.
 */
export function edgeErrorAnswer(error: Partial<FastifyError>, bodyLimitBytes: number): EdgeAnswer | undefined {
  switch (error.code) {
    case "FST_ERR_BAD_URL":
      return answer(400, "The path is not a valid URL: it holds a malformed percent-encoding.", CHECK_REQUEST);
    case "FST_ERR_MAX_PARAM_LENGTH":
      return answer(414, "A part of the path is longer than this server accepts.", CHECK_REQUEST);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return answer(
        413,
        `The body is larger than this server's limit of ${bodyLimitBytes} bytes.`,
        "Send a smaller body."
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return answer(415, "The body's Content-Type is not one this path accepts.", "Send the body as application/json.");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return answer(400, "The Content-Length header does not match the body.", CHECK_REQUEST);
    case "FST_ERR_CTP_INVALID_TYPE":
    case "FST_ERR_CTP_INVALID_HEADER":
      return answer(400, "The Content-Type header is not valid.", "Send Content-Type: application/json.");
    default:
      if (typeof error.code === "string" && error.code.startsWith("FST_")) {
        const status = typeof error.statusCode === "number" && error.statusCode >= 400 ? error.statusCode : 500;
        if (status < 500)
          return answer(status, `The request was refused (${http.STATUS_CODES[status] ?? status}).`, CHECK_REQUEST);
      }
      return undefined;
  }
}

/** An HTTP/1.1 answer with a JSON body, as raw bytes for a socket. */
export function rawJsonAnswer({ status, body }: EdgeAnswer, headers: Record<string, string> = {}): string {
  const json = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(json)}`,
    "Connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n${json}`;
}

/** Fastify's `clientErrorHandler`: the answer in the envelope, then the socket closed (as Node's default does). */
export function edgeClientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawJsonAnswer(clientErrorAnswer(error)), () => socket.destroy());
}

/** Fastify's `frameworkErrors`: errors before routing (a malformed path), in the envelope. */
export function edgeFrameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const edge = edgeErrorAnswer(error, 0) ?? answer(400, "The request was refused.", CHECK_REQUEST);
  void reply.code(edge.status).send(edge.body);
}
