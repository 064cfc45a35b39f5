/**
 * "Check this Excel" (on the Settings screen): runs the self-test (src/excel/self-test.ts) in the user's Excel and
 * shows each check's outcome, with a plain-text report to copy into a support ticket. Outside Excel it says that it
 * needs Excel. Every control is a native button or text area, reachable with Tab.
 */
import * as React from "react";
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { selfTestReportText, type SelfTestCheck, type SelfTestReport } from "../../excel/self-test";
import { errorLine } from "../error-words";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    marginTop: tokens.spacingVerticalXL,
  },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  buttons: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  checks: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  report: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

const OUTCOME_WORDS: Record<SelfTestCheck["outcome"], string> = {
  pass: "Passed",
  fail: "Failed",
  unavailable: "Not available in this Excel",
};

export interface CheckExcelProps {
  inExcel: boolean;
  /** Runs the check in Excel; undefined outside Excel. */
  run?: () => Promise<SelfTestReport>;
}

type State =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "done"; report: SelfTestReport }
  | { kind: "error"; message: string };

export function CheckExcel({ inExcel, run }: CheckExcelProps): React.JSX.Element {
  const styles = useStyles();
  const [state, setState] = React.useState<State>({ kind: "idle" });
  const [copied, setCopied] = React.useState<string | undefined>(undefined);
  const reportRef = React.useRef<HTMLTextAreaElement>(null);

  const start = async () => {
    if (!run) return;
    setCopied(undefined);
    setState({ kind: "running" });
    try {
      setState({ kind: "done", report: await run() });
    } catch (error) {
      setState({ kind: "error", message: errorLine(error, "The check could not run") });
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("The report is copied: paste it into your support request.");
    } catch {
      // Some Office webviews refuse the clipboard API: select the report so Ctrl+C (Cmd+C) copies it.
      reportRef.current?.focus();
      reportRef.current?.select();
      setCopied("The report is selected: press Ctrl+C (Cmd+C on a Mac) to copy it.");
    }
  };

  const report = state.kind === "done" ? state.report : undefined;
  const failed = report?.checks.filter((c) => c.outcome === "fail").length ?? 0;
  const reportText = report ? selfTestReportText(report) : "";

  return (
    <section className={styles.root} aria-labelledby="check-excel-heading">
      <h2 id="check-excel-heading" className={styles.heading}>
        Check this Excel
      </h2>
      {!inExcel || !run ? (
        <Text className={styles.muted}>
          This check needs Excel: it runs the add-in&apos;s own steps in your workbook. Open Billing Usage in Excel
          (Home &gt; Add-ins), then run it from Settings there.
        </Text>
      ) : (
        <>
          <Text className={styles.muted}>
            Proves the add-in works in this Excel: on a scratch sheet it writes a small billing table, refreshes it,
            reconciles it and pivots it, reads back what Excel stored, then deletes the scratch sheet. Your own sheets
            are not changed.
          </Text>
          <div className={styles.buttons}>
            <Button onClick={() => void start()} disabled={state.kind === "running"}>
              Run the check
            </Button>
            {state.kind === "running" ? <Spinner size="tiny" label="Checking this Excel…" /> : null}
          </div>
        </>
      )}
      {state.kind === "error" ? (
        <MessageBar intent="error">
          <MessageBarBody>{state.message}</MessageBarBody>
        </MessageBar>
      ) : null}
      {report ? (
        <>
          <MessageBar intent={report.passed ? "success" : "error"} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {report.passed
                  ? "Billing Usage works in this Excel."
                  : `${failed} ${failed === 1 ? "check" : "checks"} failed.`}
              </MessageBarTitle>
              {report.passed
                ? "Every step passed (features this Excel lacks are marked as not available)."
                : "Copy the report below into a support request to your administrator."}
            </MessageBarBody>
          </MessageBar>
          <ul className={styles.checks} aria-label="Checks">
            {report.checks.map((check) => (
              <li key={check.title}>
                <strong>
                  {OUTCOME_WORDS[check.outcome]}: {check.title}
                </strong>{" "}
                — {check.detail}
              </li>
            ))}
          </ul>
          <Field label="Report to copy" hint="Excel version, platform, requirement sets and every check.">
            <Textarea
              ref={reportRef}
              className={styles.report}
              readOnly
              value={reportText}
              rows={8}
              resize="vertical"
            />
          </Field>
          <div className={styles.buttons}>
            <Button onClick={() => void copy(reportText)}>Copy report</Button>
          </div>
          {copied ? (
            <Text role="status" className={styles.muted}>
              {copied}
            </Text>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
