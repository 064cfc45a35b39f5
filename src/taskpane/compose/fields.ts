/** What every composer section receives, and the ids the form focuses when a field has a problem. */
import type { ComposerField, ComposerState, FieldErrors } from "../composer-state";

export interface SectionProps {
  state: ComposerState;
  update: (change: (state: ComposerState) => ComposerState) => void;
  errors: FieldErrors;
  disabled?: boolean;
}

/** The DOM id of a field's control (for groups, of their first checkbox). */
export function fieldId(field: ComposerField): string {
  return `composer-${field}`;
}

/** Fluent `Field` props for a field's problems: the message under it, and the error state. */
export function validationProps(
  errors: FieldErrors,
  field: ComposerField
): {
  validationMessage?: string;
  validationState?: "error" | "none";
} {
  const messages = errors[field];
  return messages && messages.length > 0
    ? { validationMessage: messages.join(" "), validationState: "error" }
    : { validationState: "none" };
}
