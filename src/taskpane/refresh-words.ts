/** Violations of a saved query, in plain words for a refresh report (there is no form to point at). */
import type { Violation } from "../billing";

const FIELD_WORDS: readonly [RegExp, string][] = [
  [/dateInterval\.sentSince$/, "the first day"],
  [/dateInterval\.sentUntil$/, "the end date"],
  [/dateInterval$/, "the period"],
  [/aggregateBy/, "the columns"],
];

export function mapDefinitionViolations(violations: readonly Violation[]): string[] {
  return violations.map((v) => {
    const subject =
      FIELD_WORDS.find(([pattern]) => pattern.test(v.property))?.[1] ?? v.property.replace(/^request\./, "");
    return `${subject} ${v.violation.replace(/\bsentSince\b/g, "the first day").replace(/\bsentUntil\b/g, "the end date")}`;
  });
}
