/**
 * The emulator's catalogue of error answers, all in Infobip's `ApiError` envelope. The standard bodies
 * come from `src/billing` (worded as Infobip's OpenAPI words them); where the emulator knows more about
 * what went wrong, the description or action says what to send instead.
 */
import type { FastifyError } from "fastify";
import { apiError, badRequest, type ApiError } from "../billing";
import { edgeErrorAnswer } from "../server-kit";
import { DEMO_KEY_NAMES, REQUIRED_SCOPE } from "./auth";

export const emulatorErrors = {
  /** No `Authorization` header, or a key the emulator does not know. Infobip answers the standard 401. */
  unauthorized(): ApiError {
    return apiError("unauthorized", {
      action: `Check the resources and adjust authentication credentials. Send "Authorization: App <API key>"; the emulator's keys are ${DEMO_KEY_NAMES.join(", ")}.`,
    });
  },

  /** `Basic`, `Bearer` or `IBSSO` credentials: Infobip accepts them, the emulator only takes API keys. */
  unsupportedScheme(scheme: string): ApiError {
    return apiError("unauthorized", {
      description: `The emulator accepts API keys only ("Authorization: App <key>"), not ${scheme} credentials.`,
      action: `Send "Authorization: App <API key>"; the emulator's keys are ${DEMO_KEY_NAMES.join(", ")}.`,
    });
  },

  /** A valid key without the endpoint's scope. Infobip's guide says this is a 401. */
  missingScope(): ApiError {
    return apiError("unauthorized", {
      description: `The API key lacks the ${REQUIRED_SCOPE} scope that POST /billing/1/usage/query requires.`,
      action: `Use an API key that has the ${REQUIRED_SCOPE} scope (in the emulator: demo-key or demo-subaccount-key).`,
    });
  },

  tooManyRequests(): ApiError {
    return apiError("tooManyRequests");
  },

  internal(): ApiError {
    return apiError("internal");
  },

  malformedJson(): ApiError {
    return badRequest([{ property: "body", violation: "is not valid JSON; send the query as a JSON object" }]);
  },

  emptyBody(): ApiError {
    return badRequest([{ property: "body", violation: "is empty; send the query as a JSON object" }]);
  },

  unsupportedMediaType(): ApiError {
    return badRequest([{ property: "Content-Type", violation: "must be application/json" }]);
  },

  bodyTooLarge(limitBytes: number): ApiError {
    return badRequest([{ property: "body", violation: `is larger than ${limitBytes} bytes` }]);
  },

  /** Infobip's 404 body is not in the Billing Usage spec; this one keeps the same envelope. */
  notFound(method: string, path: string): ApiError {
    return {
      errorCode: "E404",
      description: `There is no ${method} ${path}.`,
      action: "Send billing queries as POST /billing/1/usage/query; emulator controls live under /_emulator/.",
      violations: [],
      resources: [],
    };
  },
} as const;

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === "string";
}

/**
 * An error thrown while a request was handled, answered as Infobip would word it. Fastify's own errors
 * (body parsing) become a 400 naming the body or the Content-Type — an unsupported media type is 415 in
 * Fastify, but Infobip's spec has no 415. Anything else is a 500 with Infobip's E500 body, internals hidden.
 *
 * @param bodyLimitBytes the limit a too-large body broke, for its message
 */
export function answerForError(error: unknown, bodyLimitBytes: number): { status: number; body: ApiError } {
  const code = isFastifyError(error) ? error.code : undefined;
  switch (code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 400, body: emulatorErrors.unsupportedMediaType() };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, body: emulatorErrors.emptyBody() };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, body: emulatorErrors.malformedJson() };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 400, body: emulatorErrors.bodyTooLarge(bodyLimitBytes) };
  }
  const status = isFastifyError(error) ? (error.statusCode ?? 500) : 500;
  if (status >= 400 && status < 500 && error instanceof Error) {
    // Fastify's messages may repeat the URL; its refusals are worded once, in the server kit.
    const edge = isFastifyError(error) ? edgeErrorAnswer(error, bodyLimitBytes) : undefined;
    const violation = edge === undefined ? error.message : `was refused: ${edge.body.description}`;
    return { status: 400, body: badRequest([{ property: "body", violation }]) };
  }
  return { status: 500, body: emulatorErrors.internal() };
}
