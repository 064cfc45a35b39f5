/**
 * Where things go on a billing sheet: the provenance block above the table, one blank row, then the table.
 *
 * The provenance sits above (not beside) the table so that the columns to the right stay free for the
 * user's own calculated columns, and the table can grow downwards on refresh without meeting anything.
 * The block has a fixed height, so a refresh rewrites it in place.
 *
 *   row 1   Billing usage — <title>
 *   row 2   Requested period        | 2026-03-01 to 2026-03-31
 *   row 3   Client-requested period | …
 *   row 4   Retrieved at (UTC)      | 2026-04-10 09:31:05
 *   row 5   Request ID              | …
 *   row 6   Provisional data included | Yes / No
 *   row 7   Billing periods         | 2026-02 Final; 2026-03 Provisional (final on 2026-04-05)
 *   row 8   Rows                    | 1,234  or  No billed usage for these filters.
 *   row 9   (blank)
 *   row 10  table header
 */
import { addDays } from "../billing";
import type { Provenance } from "./shape";

/** Excel's last row (1,048,576 rows per sheet). */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

/** Each provenance field's one label: the sheet and the pane's browser preview both use these. */
export const PROVENANCE_LABEL = {
  requestedPeriod: "Requested period",
  clientRequestedPeriod: "Client-requested period",
  retrievedAt: "Retrieved at (UTC)",
  requestId: "Request ID",
  includeUnfinalizedData: "Provisional data included",
  billingPeriods: "Billing periods",
  rowCount: "Rows",
} as const;

export const PROVENANCE_LABELS = [
  PROVENANCE_LABEL.requestedPeriod,
  PROVENANCE_LABEL.clientRequestedPeriod,
  PROVENANCE_LABEL.retrievedAt,
  PROVENANCE_LABEL.requestId,
  PROVENANCE_LABEL.includeUnfinalizedData,
  PROVENANCE_LABEL.billingPeriods,
  PROVENANCE_LABEL.rowCount,
] as const;

/** Title row plus one row per label. */
export const PROVENANCE_ROW_COUNT = 1 + PROVENANCE_LABELS.length;
/** Zero-based row of the table's header on a sheet we create (one blank row below the provenance). */
export const TABLE_HEADER_ROW_INDEX = PROVENANCE_ROW_COUNT + 1;
/** Data rows a table whose header is at {@link TABLE_HEADER_ROW_INDEX} can hold. */
export const MAX_TABLE_DATA_ROWS = EXCEL_MAX_ROWS - (TABLE_HEADER_ROW_INDEX + 1);

export const EMPTY_RESULT_NOTE = "No billed usage for these filters.";

export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** `[sentSince, sentUntil)` written with an inclusive end, as people read periods. */
export function describePeriod(period: { sentSince: string; sentUntil: string }): string {
  if (period.sentUntil <= period.sentSince) return `${period.sentSince} (empty period)`;
  return `${period.sentSince} to ${addDays(period.sentUntil, -1)}`;
}

export function describeBillingPeriods(provenance: Pick<Provenance, "billingPeriods">): string {
  if (provenance.billingPeriods.length === 0) return "none reported";
  return provenance.billingPeriods
    .map((p) => (p.status === "Final" ? `${p.month} Final` : `${p.month} Provisional (final on ${p.finalizationDate})`))
    .join("; ");
}

/**
 * Beside the title of a table over connections: which connections it holds and, loudly, which it does not (the
 * user chose to write the others when one failed) — never a silently partial table.
 */
export function connectionsNote(provenance: Provenance): string {
  if (!provenance.connections) return "";
  const held = `Connections: ${provenance.connections.map((c) => c.name).join(", ")}`;
  const missing = provenance.missingConnections ?? [];
  if (missing.length === 0) return `${held}.`;
  const why = missing.map((m) => `${m.name} (${m.reason.replace(/\.$/, "")})`).join("; ");
  return `${held}. MISSING, not in this table or its totals: ${why}.`;
}

/** The provenance block as text cells: `PROVENANCE_ROW_COUNT` rows × 2 columns. */
export function provenanceCells(provenance: Provenance, title: string): string[][] {
  const retrieved = provenance.retrievedAt.slice(0, 19).replace("T", " ");
  const connections = provenance.connections;
  const values = [
    describePeriod(provenance.requestedPeriod),
    describePeriod(provenance.clientRequestedPeriod),
    retrieved,
    provenance.requestId,
    provenance.includeUnfinalizedData ? "Yes" : "No",
    connections
      ? connections.map((c) => `${c.name}: ${describeBillingPeriods(c)}`).join(" | ")
      : describeBillingPeriods(provenance),
    provenance.rowCount === 0 ? EMPTY_RESULT_NOTE : provenance.rowCount.toLocaleString("en-US"),
  ];
  return [
    [`Billing usage — ${title}`, connectionsNote(provenance)],
    ...PROVENANCE_LABELS.map((label, i) => [label, values[i] ?? ""]),
  ];
}
