/**
 * The composer's state, kept above the screens so that switching screens loses nothing: what is typed and
 * ticked, the problems per field, and a counter that moves the focus to the first field with a problem.
 */
import * as React from "react";
import { initialComposerState, validateComposer, type ComposerState, type FieldErrors } from "../composer-state";
import type { RunRequest } from "../query-runner";

export interface Composer {
  state: ComposerState;
  update(change: (state: ComposerState) => ComposerState): void;
  errors: FieldErrors;
  /** Bumped when problems are shown, so the first field with one takes the focus. */
  focusRequest: number;
  /** Shows these problems beside their fields (and focuses the first); with `form`, shows that form first. */
  showErrors(errors: FieldErrors, form?: ComposerState): void;
  /** The query the form means now, checked; or undefined, with the problems shown beside their fields. */
  validated(now: Date): RunRequest | undefined;
}

export function useComposer(): Composer {
  const [state, setState] = React.useState<ComposerState>(initialComposerState);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [focusRequest, setFocusRequest] = React.useState(0);

  const update = React.useCallback(
    (change: (state: ComposerState) => ComposerState) => setState((current) => change(current)),
    []
  );

  const showErrors = React.useCallback((next: FieldErrors, form?: ComposerState) => {
    if (form) setState(form);
    setErrors(next);
    setFocusRequest((n) => n + 1);
  }, []);

  const validated = React.useCallback(
    (now: Date): RunRequest | undefined => {
      const result = validateComposer(state, now);
      if (!result.ok) {
        showErrors(result.errors);
        return undefined;
      }
      setErrors({});
      return { definition: result.definition, query: result.query, destination: result.destination };
    },
    [showErrors, state]
  );

  return { state, update, errors, focusRequest, showErrors, validated };
}
