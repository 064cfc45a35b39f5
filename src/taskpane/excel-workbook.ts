/**
 * Thin adapters from what the pane needs ({@link Workbook}) to the workbook modules in `src/excel/`:
 * the table writer, the workbook store (table records and pending queries in a custom XML part), the table
 * snapshot, the reconciliation sheet and PivotTables. Each action is one `Excel.run`; the UI never touches
 * Office.js, and nothing here receives the API key.
 */
import type { BillingPeriod } from "../billing";
import { createOverview, updateOverview } from "../excel/overview";
import { buildReconciliation, updateReconciliation } from "../excel/reconciliation";
import { createBillingPivot, refreshPivotTablesOn } from "../excel/pivot";
import { BILLING_TABLE_COLUMNS } from "../excel/billing-table";
import { headersOf } from "../excel/shape";
import { officeRequirements, supports } from "../excel/requirements";
import { cutCellsNote } from "../excel/sheet-cells";
import { runSelfTest } from "../excel/self-test";
import { readTableSnapshot } from "../excel/table-snapshot";
import { writeBillingTable, type TableDestination } from "../excel/table-writer";
import {
  addPendingQuery,
  findTableRecord,
  listBillingTables,
  listPendingQueries,
  removePendingQuery,
  saveTableRecord,
  tableRecordFor,
  type BillingTableRecord,
} from "../excel/workbook-store";
import type { Destination } from "./composer-state";
import type { FetchedResult, PendingQuery, PendingStore, ResultSink, ResultPlacement } from "./query-runner";
import { shapeFetched } from "./result-view";
import type { BillingTableInfo, OverviewChoice, PivotOutcome, Workbook } from "./workbook";

/**
 * Columns a PivotTable's rows are not chosen from: the amounts, the currency (the PivotTable keeps currencies
 * apart itself), and the months (Billing month is its columns already).
 */
const NOT_DIMENSIONS: ReadonlySet<string> = new Set([
  BILLING_TABLE_COLUMNS.month,
  BILLING_TABLE_COLUMNS.unit,
  BILLING_TABLE_COLUMNS.unitPrice,
  BILLING_TABLE_COLUMNS.quantity,
  BILLING_TABLE_COLUMNS.total,
  BILLING_TABLE_COLUMNS.currency,
  BILLING_TABLE_COLUMNS.billingMonth,
  BILLING_TABLE_COLUMNS.periodStatus,
]);

function tableInfo(record: BillingTableRecord): BillingTableInfo {
  return {
    tableName: record.tableName,
    sheetName: record.sheetName,
    ...(record.definition.label ? { label: record.definition.label } : {}),
    definition: record.definition,
    retrievedAt: record.provenance.retrievedAt,
    rowCount: record.provenance.rowCount,
    dimensionLabels: record.columns.filter((header) => !NOT_DIMENSIONS.has(header)),
  };
}

/**
 * `metadata.billingPeriods` again, from the statuses a table's record keeps. A table over connections has one set
 * per connection: none is given then, so each month's status comes from its rows' Period status, which is their
 * own connection's (billing-table.ts, `billingMonthStatus`).
 */
function billingPeriodsOf(record: BillingTableRecord | undefined): BillingPeriod[] {
  if (record?.provenance.connections) return [];
  return (record?.provenance.billingPeriods ?? []).map((p) => ({
    month: p.month,
    volumeFinalized: p.status === "Final",
  }));
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

/** Pending queries kept with the workbook, so that reopening it picks them up. */
export class WorkbookPendingStore implements PendingStore {
  async add(pending: PendingQuery): Promise<void> {
    await Excel.run((context) =>
      addPendingQuery(context, {
        queryId: pending.queryId,
        ...(pending.label ? { label: pending.label } : {}),
        destination: pending.destination,
        definition: pending.definition,
        submittedAt: pending.submittedAt,
        ...(pending.parts ? { parts: pending.parts } : {}),
      })
    );
  }

  async remove(queryId: string): Promise<void> {
    await Excel.run((context) => removePendingQuery(context, queryId));
  }

  async list(): Promise<PendingQuery[]> {
    const stored = await Excel.run((context) => listPendingQueries(context));
    // A query saved without its definition cannot be shaped; it is left for the relay to expire.
    return stored.flatMap((p): PendingQuery[] =>
      p.definition
        ? [
            {
              queryId: p.queryId,
              ...(p.label ? { label: p.label } : {}),
              definition: p.definition,
              destination:
                p.destination.kind === "replace"
                  ? { kind: "replace", tableName: p.destination.tableName }
                  : { kind: "new-sheet" },
              submittedAt: p.submittedAt,
              ...(p.parts ? { parts: p.parts } : {}),
            },
          ]
        : []
    );
  }
}

/** Writes a result as a billing table (new sheet, or rows replaced in place) and records its query. */
export class WorkbookSink implements ResultSink {
  async write(
    result: FetchedResult,
    destination: Destination,
    onProgress: (written: number, total: number) => void
  ): Promise<ResultPlacement> {
    const shape = shapeFetched(result);
    const target: TableDestination =
      destination.kind === "replace" ? { kind: "replace", tableName: destination.tableName } : { kind: "new-sheet" };
    const written = await Excel.run((context) =>
      writeBillingTable(context, shape, target, {
        ...(result.label ? { title: result.label } : {}),
        onProgress: ({ rowsWritten, totalRows }) => onProgress(rowsWritten, totalRows),
      })
    );
    await Excel.run((context) =>
      saveTableRecord(
        context,
        tableRecordFor(written, result.definition, headersOf(shape), shape.provenance, result.retrievedAt)
      )
    );
    const where = `table ${written.tableName} on sheet \u201c${written.sheetName}\u201d`;
    const cut = cutCellsNote(written.cutCells);
    return {
      message:
        (written.rowCount === 0
          ? `No billed usage for these filters: ${where} has its header only.`
          : `${destination.kind === "replace" ? "Replaced the rows of" : "Wrote"} ${where}: ${plural(written.rowCount, "row")}.`) +
        (cut ? ` ${cut}` : ""),
      tableName: written.tableName,
      sheetName: written.sheetName,
      rowsWritten: written.rowCount,
    };
  }
}

/** The workbook actions over Office.js, for the pane and the ribbon's Refresh all. */
export function excelWorkbook(): Workbook {
  return {
    pending: new WorkbookPendingStore(),
    sink: new WorkbookSink(),

    async listTables() {
      const records = await Excel.run((context) => listBillingTables(context));
      return records.map(tableInfo).sort((a, b) => a.sheetName.localeCompare(b.sheetName));
    },

    async selectedTableName() {
      // Range.getTables is ExcelApi 1.9; without it the Tables list's own choice stands.
      if (!supports(officeRequirements(), "tableAtSelection")) return undefined;
      return Excel.run(async (context) => {
        const tables = context.workbook.getActiveCell().getTables(false).load("items/name");
        await context.sync();
        return tables.items[0]?.name;
      });
    },

    async snapshot(tableName) {
      return Excel.run(async (context) => {
        const record = await findTableRecord(context, tableName);
        return readTableSnapshot(context, tableName, billingPeriodsOf(record));
      });
    },

    async afterRefresh(tableName) {
      return Excel.run(async (context) => {
        const notes: string[] = [];
        const pivots = await refreshPivotTablesOn(context, tableName);
        if (pivots.refreshed.length > 0) {
          notes.push(`${plural(pivots.refreshed.length, "PivotTable")} refreshed: ${pivots.refreshed.join(", ")}.`);
        }
        const reconciliation = await updateReconciliation(context, tableName);
        if (reconciliation) {
          notes.push(`Reconciliation sheet \u201c${reconciliation.sheetName}\u201d updated.`, ...reconciliation.notes);
        }
        // The overview's numbers follow the table by themselves; it is written again only when it must grow.
        const record = await findTableRecord(context, tableName);
        const overview = await updateOverview(context, {
          tableName,
          ...(record ? { retrievedAt: record.provenance.retrievedAt } : {}),
        });
        if (overview?.written)
          notes.push(`Overview sheet \u201c${overview.sheetName}\u201d updated.`, ...overview.notes);
        return notes;
      });
    },

    async reconcile(tableName) {
      const result = await Excel.run((context) => buildReconciliation(context, tableName));
      const what = result.created ? "created" : "updated";
      return [
        `Reconciliation sheet \u201c${result.sheetName}\u201d ${what}: ${plural(result.rowCount, "row")} by billing month and currency. Type the invoice amounts in its Invoice amount column.`,
        ...result.notes,
      ].join(" ");
    },

    async createOverview(tableName, choice: OverviewChoice = {}) {
      const result = await Excel.run(async (context) => {
        const record = await findTableRecord(context, tableName);
        return createOverview(context, {
          tableName,
          ...choice,
          ...(record ? { retrievedAt: record.provenance.retrievedAt } : {}),
        });
      });
      const what = result.created ? "created" : result.written ? "updated" : "is up to date";
      const charts = `${plural(result.charts, "chart")} for ${result.currencies.length === 0 ? "no currency yet" : result.currencies.join(", ")}`;
      return [
        `Overview sheet \u201c${result.sheetName}\u201d ${what}: ${charts}, over live formulas that follow the table when it is refreshed.`,
        ...result.notes,
      ].join(" ");
    },

    async selfTest() {
      const diagnostics = Office.context.diagnostics;
      return runSelfTest({
        run: (batch) => Excel.run(batch),
        host: officeRequirements(),
        info: { excelVersion: diagnostics?.version ?? "unknown", platform: String(diagnostics?.platform ?? "unknown") },
        now: new Date(),
      });
    },

    async createPivot(tableName, rowLabels): Promise<PivotOutcome> {
      const outcome = await Excel.run((context) => createBillingPivot(context, { tableName, rowFields: rowLabels }));
      if (!outcome.created) return { ok: false, message: outcome.message };
      const currency =
        outcome.currencyMode === "filter" && outcome.currency
          ? ` It shows ${outcome.currency}; pick another currency in its Currency filter.`
          : "";
      return {
        ok: true,
        message: [
          `PivotTable ${outcome.pivotName} created on sheet \u201c${outcome.sheetName}\u201d.${currency}`,
          ...outcome.notes,
        ].join(" "),
      };
    },
  };
}
