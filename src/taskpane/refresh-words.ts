/** Violations of a saved query, in plain words for a refresh report (there is no form to point at). */
import type { Violation } from "../billing";
import { DATE_FIELD_WORDS, plainDateWords } from "./composer-state";

const FIELD_WORDS: readonly [RegExp, string][] = [
  [/dateInterval\.sentSince$/, DATE_FIELD_WORDS.sentSince],
  [/dateInterval\.sentUntil$/, DATE_FIELD_WORDS.sentUntil],
  [/dateInterval$/, "the period"],
  [/aggregateBy/, "the columns"],
];

export function mapDefinitionViolations(violations: readonly Violation[]): string[] {
  return violations.map((v) => {
    const subject =
      FIELD_WORDS.find(([pattern]) => pattern.test(v.property))?.[1] ?? v.property.replace(/^request\./, "");
    return `${subject} ${plainDateWords(v.violation)}`;
  });
}
