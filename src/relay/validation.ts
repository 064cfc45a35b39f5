/**
 * Route schemas are zod schemas, like every other boundary of the project: this compiler lets Fastify run
 * them on path parameters and query strings before the handler (so a malformed ID or callback secret is
 * refused before any lookup), and turns a failure into violations for the one error handler.
 */
import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";
import { violationsFromZod, type Violation } from "../billing";
import { validateQuerySubmission } from "../relay-api";

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly violations: Violation[],
    readonly httpPart: string | undefined
  ) {
    super(violations.map((v) => `${v.property} ${v.violation}`).join("; "));
    this.name = "RequestValidationError";
  }
}

function isZodSchema(schema: unknown): schema is z.ZodType {
  return (
    typeof schema === "object" && schema !== null && typeof (schema as { safeParse?: unknown }).safeParse === "function"
  );
}

export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart, url }) => {
  if (!isZodSchema(schema)) throw new Error(`The ${httpPart ?? "request"} schema of ${url} is not a zod schema`);
  return (data: unknown) => {
    const parsed = schema.safeParse(data);
    if (parsed.success) return { value: parsed.data };
    return { error: new RequestValidationError(violationsFromZod(parsed.error), httpPart) };
  };
};

/**
 * `POST /v1/queries`: the body by the contract's {@link validateQuerySubmission}, whose date rules read the relay's
 * clock, so a caller gets every violation of the envelope and of the query in one answer.
 */
export function submissionValidatorCompiler(clock: () => Date): FastifySchemaCompiler<unknown> {
  return (route) => {
    if (route.httpPart !== "body") return zodValidatorCompiler(route);
    return (data: unknown) => {
      const checked = validateQuerySubmission(data, clock());
      return checked.ok ? { value: checked.value } : { error: new RequestValidationError(checked.violations, "body") };
    };
  };
}
