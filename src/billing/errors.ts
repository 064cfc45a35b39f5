/**
 * Infobip's `ApiError` envelope, used by every error status of the API (and, so that the task pane
 * handles one format, by the relay's own errors too), with the catalogue of standard bodies.
 */
import { z } from "zod";

export const ApiErrorViolationSchema = z.object({
  property: z.string().optional(),
  violation: z.string().optional(),
});
/** One rule failure: the dotted JSON path of the offending property and what is wrong with it, in plain words. */
export interface Violation {
  property: string;
  violation: string;
}

export const ApiErrorResourceSchema = z.object({
  name: z.string().optional(),
  url: z.string().optional(),
});
export type ApiErrorResource = z.infer<typeof ApiErrorResourceSchema>;

export const ApiErrorSchema = z.object({
  errorCode: z.string(),
  description: z.string(),
  action: z.string(),
  violations: z.array(ApiErrorViolationSchema),
  resources: z.array(ApiErrorResourceSchema),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The standard bodies, worded as in Infobip's OpenAPI document. */
export const API_ERRORS = {
  badRequest: {
    errorCode: "E400",
    description: "Request cannot be processed.",
    action: "Check the syntax, violations and adjust the request.",
    violations: [],
    resources: [],
  },
  unauthorized: {
    errorCode: "E401",
    description: "The request lacks valid authentication credentials for the requested resource.",
    action: "Check the resources and adjust authentication credentials.",
    violations: [],
    resources: [{ name: "API Authentication", url: "https://www.infobip.com/docs/essentials/api-authentication" }],
  },
  forbidden: {
    errorCode: "E403",
    description: "Insufficient permissions to access the requested resource.",
    action: "Repeat the request with new or different credentials.",
    violations: [],
    resources: [
      {
        name: "API Scopes",
        url: "https://www.infobip.com/docs/essentials/api-essentials/api-authorization#api-scopes",
      },
    ],
  },
  tooManyRequests: {
    errorCode: "E429",
    description: "Too many requests sent.",
    action: "Check request rate limit specified in the API endpoint documentation resource.",
    violations: [],
    resources: [
      {
        name: "Throttling handling errors",
        url: "https://www.infobip.com/docs/essentials/integration-best-practices#throttling-handling-errors",
      },
    ],
  },
  internal: {
    errorCode: "E500",
    description: "Something went wrong.",
    action: "Contact the support.",
    violations: [],
    resources: [],
  },
} as const satisfies Record<string, ApiError>;

/** A 400 body listing every violation. */
export function badRequest(violations: readonly Violation[]): ApiError {
  return { ...API_ERRORS.badRequest, violations: violations.map((v) => ({ ...v })), resources: [] };
}

/** A fresh, mutable copy of a standard body, optionally with a more specific description or action. */
export function apiError(
  kind: keyof typeof API_ERRORS,
  overrides: Partial<Pick<ApiError, "description" | "action">> = {}
): ApiError {
  const base = API_ERRORS[kind];
  return {
    errorCode: base.errorCode,
    description: overrides.description ?? base.description,
    action: overrides.action ?? base.action,
    violations: [],
    resources: base.resources.map((r): ApiErrorResource => ({ ...r })),
  };
}
