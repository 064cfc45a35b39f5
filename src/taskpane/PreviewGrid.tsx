/**
 * The browser preview of a result: the first rows of the shaped table (the workbook's headers, Billing month
 * and Period status included, provisional rows marked), totals per currency, the billing periods with their
 * status, the reconciliation totals by billing month × currency, the provenance, and a CSV of everything.
 */
import * as React from "react";
import {
  Badge,
  MessageBar,
  MessageBarBody,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { addDays, finalizationDate } from "../billing";
import { PROVENANCE_LABEL, connectionsNote } from "../excel/layout";
import { computeReconciliationTotals } from "../excel/reconciliation-plan";
import { headersOf, totalsByCurrency, type TableShape } from "../excel/shape";
import { csvFileName, toCsv } from "./csv";
import { longDate, monthName } from "./composer-state";
import type { FetchedResult } from "./query-runner";
import {
  displayCell,
  formatMoney,
  isNumericKind,
  previewRows,
  rowStatuses,
  shapeFetched,
  snapshotOf,
} from "./result-view";

export const PREVIEW_ROWS = 200;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  subheading: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  scroller: {
    overflow: "auto",
    maxHeight: "60vh",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  // Columns as wide as their content (Fluent's fixed layout would squeeze them into the pane's width).
  grid: { tableLayout: "auto", width: "max-content", minWidth: "100%" },
  headerCell: {
    position: "sticky",
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground3,
    whiteSpace: "nowrap",
  },
  cell: { whiteSpace: "nowrap" },
  number: { textAlign: "right", fontVariantNumeric: "tabular-nums" },
  // Fluent lays a header cell's label out in an inner flex button, so text-align alone leaves it on the left.
  numberHeader: { "& .fui-TableHeaderCell__button": { justifyContent: "flex-end" } },
  provisionalRow: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, alignItems: "center" },
  dl: {
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    fontSize: tokens.fontSizeBase200,
  },
  dd: { margin: 0, overflowWrap: "anywhere" },
});

function downloadCsv(result: FetchedResult, shape: TableShape): void {
  const period = shape.provenance.clientRequestedPeriod;
  const csv = toCsv(
    headersOf(shape),
    shape.columns.map((c) => c.kind),
    previewRows(shape)
  );
  const blob = new Blob([csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = csvFileName(result.label, period);
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start the download after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function period(interval: { sentSince: string; sentUntil: string }): string {
  return `${longDate(interval.sentSince)} to ${longDate(addDays(interval.sentUntil, -1))}`;
}

export function PreviewGrid({ result }: { result: FetchedResult }): React.JSX.Element {
  const styles = useStyles();
  const shape = React.useMemo(() => shapeFetched(result), [result]);
  const totals = React.useMemo(() => totalsByCurrency(shape), [shape]);
  const statuses = React.useMemo(() => rowStatuses(shape), [shape]);
  const reconciliation = React.useMemo(() => {
    try {
      return computeReconciliationTotals(snapshotOf(result, shape));
    } catch {
      return [];
    }
  }, [result, shape]);
  const shown = React.useMemo(() => previewRows({ ...shape, rows: shape.rows.slice(0, PREVIEW_ROWS) }), [shape]);
  const provenance = shape.provenance;
  const periods = provenance.billingPeriods;
  const total = shape.rows.length;
  const provisionalCount = shape.provisionalRowCount;
  const hasAccount = reconciliation.some((r) => r.account !== undefined);
  const hasConnection = reconciliation.some((r) => r.connection !== undefined);
  // Over several connections each has its own month statuses (one data centre may have finalized a month another has not).
  const periodLists = provenance.connections
    ? provenance.connections.map((c) => ({ name: `${c.name}: `, periods: c.billingPeriods }))
    : [{ name: "", periods }];
  const missing = provenance.missingConnections ?? [];

  return (
    <section className={styles.root} aria-labelledby="preview-heading">
      <h2 id="preview-heading" className={styles.heading}>
        Preview
      </h2>

      {total === 0 ? (
        <Text>No billed usage for these filters.</Text>
      ) : (
        <Text className={styles.muted} size={200}>
          {total <= PREVIEW_ROWS
            ? `All ${total.toLocaleString("en-US")} rows.`
            : `First ${PREVIEW_ROWS} of ${total.toLocaleString("en-US")} rows; the CSV has them all.`}
          {provisionalCount > 0 ? ` ${provisionalCount.toLocaleString("en-US")} provisional rows are highlighted.` : ""}
        </Text>
      )}

      {provenance.connections ? (
        missing.length > 0 ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{connectionsNote(provenance)}</MessageBarBody>
          </MessageBar>
        ) : (
          <Text size={200}>{connectionsNote(provenance)}</Text>
        )
      ) : null}

      <div className={styles.actions}>
        <Button onClick={() => downloadCsv(result, shape)}>Download CSV</Button>
      </div>

      <h3 className={styles.subheading} id="totals-heading">
        Totals per currency
      </h3>
      {totals.length === 0 ? (
        <Text size={200}>None.</Text>
      ) : (
        <Table size="extra-small" aria-labelledby="totals-heading">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Currency</TableHeaderCell>
              <TableHeaderCell className={styles.numberHeader}>Total</TableHeaderCell>
              <TableHeaderCell className={styles.numberHeader}>Rows</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {totals.map((t) => (
              <TableRow key={t.currency}>
                <TableCell>{t.currency}</TableCell>
                <TableCell className={styles.number}>{formatMoney(t.total)}</TableCell>
                <TableCell className={styles.number}>{t.rows.toLocaleString("en-US")}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <h3 className={styles.subheading} id="periods-heading">
        Billing periods
      </h3>
      {periods.length === 0 ? (
        <Text size={200}>Infobip sent no period status with this result.</Text>
      ) : (
        <ul className={styles.list} aria-labelledby="periods-heading">
          {periodLists
            .flatMap(({ name, periods: list }) => list.map((p) => ({ name, p })))
            .map(({ name, p }) => (
              <li key={`${name}${p.month}`}>
                {name}
                {monthName(p.month)}:{" "}
                {p.status === "Final" ? (
                  <Badge appearance="tint" color="success">
                    Final
                  </Badge>
                ) : (
                  <>
                    <Badge appearance="tint" color="warning">
                      Provisional
                    </Badge>{" "}
                    <Text size={200}>finalizes on {longDate(finalizationDate(p.month))}</Text>
                  </>
                )}
              </li>
            ))}
        </ul>
      )}

      <h3 className={styles.subheading} id="reconciliation-heading">
        Reconciliation totals
      </h3>
      {reconciliation.length === 0 ? (
        <Text size={200}>None.</Text>
      ) : (
        <Table size="extra-small" aria-labelledby="reconciliation-heading">
          <TableHeader>
            <TableRow>
              {hasConnection ? <TableHeaderCell>Connection</TableHeaderCell> : null}
              <TableHeaderCell>Billing month</TableHeaderCell>
              <TableHeaderCell>Currency</TableHeaderCell>
              {hasAccount ? <TableHeaderCell>Account</TableHeaderCell> : null}
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell className={styles.numberHeader}>Billing total</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {reconciliation.map((r) => (
              <TableRow key={`${r.connection ?? ""}|${r.billingMonth}|${r.currency}|${r.account ?? ""}`}>
                {hasConnection ? <TableCell>{r.connection ?? ""}</TableCell> : null}
                <TableCell>{r.billingMonth}</TableCell>
                <TableCell>{r.currency}</TableCell>
                {hasAccount ? <TableCell>{r.account ?? ""}</TableCell> : null}
                <TableCell>
                  {r.periodStatus}
                  {r.periodStatus === "Provisional" && r.finalizesOn ? ` until ${r.finalizesOn}` : ""}
                </TableCell>
                <TableCell className={styles.number}>{formatMoney(r.billingTotal)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <h3 className={styles.subheading} id="rows-heading">
        Rows
      </h3>
      <div className={styles.scroller} tabIndex={0} role="region" aria-labelledby="rows-heading">
        <Table size="extra-small" className={styles.grid} aria-label="Result rows">
          <TableHeader>
            <TableRow>
              {shape.columns.map((c) => (
                <TableHeaderCell
                  key={c.header}
                  className={mergeClasses(styles.headerCell, isNumericKind(c.kind) && styles.numberHeader)}
                >
                  {c.header}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((row, rowIndex) => {
              const provisional = statuses[rowIndex] === "Provisional";
              return (
                <TableRow key={rowIndex} className={provisional ? styles.provisionalRow : undefined}>
                  {shape.columns.map((c, i) => (
                    <TableCell
                      key={c.header}
                      className={mergeClasses(styles.cell, isNumericKind(c.kind) && styles.number)}
                    >
                      {c.kind === "period-status" && provisional ? (
                        <Badge appearance="tint" color="warning" size="small">
                          Provisional
                        </Badge>
                      ) : (
                        displayCell(row[i] ?? "", c.kind)
                      )}
                    </TableCell>
                  ))}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>

      <h3 className={styles.subheading} id="provenance-heading">
        Where this comes from
      </h3>
      {/* Labelled as the sheet's provenance block labels them (src/excel/layout.ts), with dates in words. */}
      <dl className={styles.dl} aria-labelledby="provenance-heading">
        <dt>{PROVENANCE_LABEL.requestedPeriod}</dt>
        <dd className={styles.dd}>{period(provenance.requestedPeriod)} (the period Infobip used)</dd>
        <dt>{PROVENANCE_LABEL.clientRequestedPeriod}</dt>
        <dd className={styles.dd}>{period(provenance.clientRequestedPeriod)} (the period asked for)</dd>
        <dt>{PROVENANCE_LABEL.retrievedAt}</dt>
        <dd className={styles.dd}>{provenance.retrievedAt.slice(0, 19).replace("T", " ")}</dd>
        <dt>{PROVENANCE_LABEL.requestId}</dt>
        <dd className={styles.dd}>{provenance.requestId}</dd>
        <dt>{PROVENANCE_LABEL.includeUnfinalizedData}</dt>
        <dd className={styles.dd}>{provenance.includeUnfinalizedData ? "Yes" : "No (final data only)"}</dd>
      </dl>
    </section>
  );
}
