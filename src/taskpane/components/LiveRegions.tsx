/**
 * The pane's two live regions, always in the page so that changes are announced, taking no room while empty:
 * the alert (role="alert") for an error with what to do next, and the status line (role="status") for progress.
 */
import * as React from "react";
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Alert } from "../hooks/useAlert";

const useStyles = makeStyles({
  alertBar: { marginBottom: tokens.spacingVerticalM },
  status: { color: tokens.colorNeutralForeground2, marginBottom: tokens.spacingVerticalS, display: "block" },
  visuallyHidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    padding: 0,
    overflow: "hidden",
    clipPath: "inset(50%)",
    whiteSpace: "nowrap",
    border: 0,
  },
});

export function AlertRegion({
  alert,
  onDismiss,
}: {
  alert: Alert | undefined;
  onDismiss: () => void;
}): React.JSX.Element {
  const styles = useStyles();
  return (
    <div role="alert">
      {alert ? (
        <MessageBar intent="error" layout="multiline" className={styles.alertBar}>
          <MessageBarBody>
            <MessageBarTitle>{alert.title}</MessageBarTitle>
            {alert.body}
          </MessageBarBody>
          <MessageBarActions>
            {alert.action ? (
              <Button size="small" onClick={alert.action.run}>
                {alert.action.label}
              </Button>
            ) : null}
            <Button size="small" appearance="transparent" onClick={onDismiss}>
              Dismiss
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
    </div>
  );
}

/** `visible` while something runs; how it ended is on the Result screen, so then it is only announced. */
export function StatusRegion({ text, visible }: { text: string; visible: boolean }): React.JSX.Element {
  const styles = useStyles();
  return (
    <div role="status" aria-live="polite">
      {text ? <span className={visible ? styles.status : styles.visuallyHidden}>{text}</span> : null}
    </div>
  );
}
