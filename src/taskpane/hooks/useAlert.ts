/**
 * The pane's one alert (role="alert"): an error in plain words with what to do next, and a button for the next
 * step when there is one (Open Settings).
 */
import * as React from "react";
import { MissingKeyError, hasAnyApiKey } from "../credentials";
import { errorWords } from "../error-words";

export interface Alert {
  title: string;
  body: string;
  action?: { label: string; run: () => void };
}

export interface AlertControl {
  alert: Alert | undefined;
  show(alert: Alert): void;
  /** Says an error as {@link errorWords} words it, with its next step as a button. */
  showError(error: unknown): void;
  dismiss(): void;
  /** True when an API key is set; otherwise says so (pointing to Settings) and answers false. */
  keyIsSet(): boolean;
}

export function useAlert(openSettings: () => void): AlertControl {
  const [alert, setAlert] = React.useState<Alert | undefined>(undefined);

  const showError = React.useCallback(
    (error: unknown) => {
      const words = errorWords(error);
      setAlert({
        title: words.title,
        body: words.body,
        ...(words.next === "open-settings" ? { action: { label: "Open Settings", run: openSettings } } : {}),
      });
    },
    [openSettings]
  );

  const keyIsSet = React.useCallback(() => {
    if (hasAnyApiKey()) return true;
    showError(new MissingKeyError());
    return false;
  }, [showError]);

  const dismiss = React.useCallback(() => setAlert(undefined), []);

  return React.useMemo(
    () => ({ alert, show: setAlert, showError, dismiss, keyIsSet }),
    [alert, showError, dismiss, keyIsSet]
  );
}
