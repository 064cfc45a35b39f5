/**
 * Route schemas are zod schemas, like every other boundary of the project: this compiler lets Fastify run
 * them on path parameters and query strings before the handler (so a malformed ID or callback secret is
 * refused before any lookup), and turns a failure into violations for the one error handler.
 */
import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";
import { violationsFromZod, type Violation } from "../billing";
import { validateQuerySubmission } from "../relay-api";
import {
  isConnectionName,
  resolveConnection,
  unknownConnectionViolation,
  type InfobipConnections,
} from "./connections";

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly violations: Violation[];
  constructor(
    violations: Violation[],
    readonly httpPart: string | undefined
  ) {
    // One value may break several checks worded alike (an empty connection name is too short and off the pattern).
    const unique = violations.filter(
      (v, index) =>
        violations.findIndex((other) => other.property === v.property && other.violation === v.violation) === index
    );
    super(unique.map((v) => `${v.property} ${v.violation}`).join("; "));
    this.violations = unique;
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

/** A well-formed connection name in the body that is not one of the relay's (the contract checks the form only). */
function unknownConnection(body: unknown, connections: InfobipConnections): Violation | undefined {
  if (typeof body !== "object" || body === null || !("connection" in body)) return undefined;
  const name = body.connection;
  if (typeof name !== "string" || !isConnectionName(name)) return undefined;
  return resolveConnection(connections, name) === undefined ? unknownConnectionViolation(connections, name) : undefined;
}

/**
 * `POST /v1/queries`: the body by the contract's {@link validateQuerySubmission}, whose date rules read the relay's
 * clock, and its `connection` against the configured ones, so a caller gets every violation of the envelope and of
 * the query in one answer.
 */
export function submissionValidatorCompiler(
  clock: () => Date,
  connections: InfobipConnections
): FastifySchemaCompiler<unknown> {
  return (route) => {
    if (route.httpPart !== "body") return zodValidatorCompiler(route);
    return (data: unknown) => {
      const checked = validateQuerySubmission(data, clock());
      const unknown = unknownConnection(data, connections);
      const violations = [...(checked.ok ? [] : checked.violations), ...(unknown ? [unknown] : [])];
      return checked.ok && violations.length === 0
        ? { value: checked.value }
        : { error: new RequestValidationError(violations, "body") };
    };
  };
}
