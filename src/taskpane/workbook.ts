/**
 * What the pane asks of the workbook, as the UI sees it. `excel-workbook.ts` implements it over Office.js and
 * the modules in `src/excel/`; the UI never calls Excel directly, and never hands it the API key.
 */
import type { QueryDefinition } from "../billing";
import type { TableSnapshot } from "../excel/changes";
import type { SelfTestReport } from "../excel/self-test";
import type { PendingStore, ResultSink } from "./query-runner";

/** A billing table in the workbook, with its saved query. */
export interface BillingTableInfo {
  tableName: string;
  sheetName: string;
  label?: string;
  definition: QueryDefinition;
  /** ISO instant of the last write. */
  retrievedAt?: string;
  rowCount?: number;
  /** Header labels of the table's dimension columns (what a PivotTable can group by). */
  dimensionLabels: string[];
}

export type PivotOutcome = { ok: true; message: string } | { ok: false; message: string };

export interface Workbook {
  /** Pending queries saved with the workbook. */
  pending: PendingStore;
  /** Writes a result: a new table on a new sheet, or the rows of an existing table replaced in place. */
  sink: ResultSink;
  listTables(): Promise<BillingTableInfo[]>;
  /** The table at the selection, if the selection is in a billing table. */
  selectedTableName(): Promise<string | undefined>;
  /** The table's cells as they are now (before a refresh, and after it, for the change summary). */
  snapshot(tableName: string): Promise<TableSnapshot | undefined>;
  /** After rows were replaced: refresh PivotTables on the table (and its reconciliation); plain-words notes. */
  afterRefresh(tableName: string): Promise<string[]>;
  /** Builds or updates the reconciliation sheet of a table; plain-words outcome. */
  reconcile(tableName: string): Promise<string>;
  createPivot(tableName: string, rowLabels: readonly string[]): Promise<PivotOutcome>;
  /** Builds the cost overview sheet of a table (or brings it up to date and shows it); plain-words outcome. */
  createOverview(tableName: string, options?: OverviewChoice): Promise<string>;
  /** "Check this Excel": the self-test on scratch sheets (src/excel/self-test.ts). */
  selfTest(): Promise<SelfTestReport>;
}

/** What the user picks for a cost overview. */
export interface OverviewChoice {
  /** The column to split costs by (default Category code). */
  dimension?: string;
  /** Forecast each value of that column too. */
  forecastByDimension?: boolean;
}
