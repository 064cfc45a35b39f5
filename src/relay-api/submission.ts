/**
 * Checking a `POST /v1/queries` body completely: its envelope by {@link QuerySubmissionSchema} and its `request`
 * by `src/billing`'s rules, which need the clock (retention window, no date past next month). Every violation is
 * reported at once, so a caller fixes everything in one go; nothing is sent to Infobip before this passes.
 */
import { z } from "zod";
import { propertyPath, validateQuery, type BillingUsageQuery, type Validation, type Violation } from "../billing";
import { QuerySubmissionSchema } from "./schemas";

/**
 * A submission the relay accepts: the query as `src/billing` read it, the trimmed label or null, and the connection
 * it named or null (the default). Whether that connection exists is the relay's check: only it knows its connections.
 */
export interface AcceptedSubmission {
  request: BillingUsageQuery;
  label: string | null;
  connection: string | null;
}

/** The envelope alone; `request` (even a missing one) is left to the billing rules, which word it for people. */
const SubmissionEnvelopeSchema = QuerySubmissionSchema.extend({ request: z.unknown().optional() });

export function validateQuerySubmission(body: unknown, now: Date): Validation<AcceptedSubmission> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      violations: [{ property: "body", violation: "must be a JSON object: {request, label?, connection?}" }],
    };
  }
  const violations: Violation[] = [];
  const envelope = SubmissionEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    for (const issue of envelope.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          violations.push({
            property: key,
            violation: "is not a known property; send request, label and connection only",
          });
        }
      } else {
        violations.push({ property: propertyPath(issue.path), violation: issue.message });
      }
    }
  }
  const request = validateQuery("request" in body ? body.request : undefined, now, ["request"]);
  if (!request.ok) violations.push(...request.violations);
  if (!envelope.success || !request.ok || violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    value: { request: request.value, label: envelope.data.label ?? null, connection: envelope.data.connection ?? null },
  };
}
