/**
 * Writes a shaped billing result into an Excel table: a new table on its own sheet (here), or the rows of an
 * existing billing table replaced in place (refresh-in-place.ts). Everything that can be decided without Excel
 * (shape, names, formats, row blocks, what each cell must look like to Excel) is decided by the pure modules beside
 * this one; this file only queues Office.js commands and syncs.
 *
 * As Microsoft's performance guidance for Excel on the web says (https://learn.microsoft.com/office/dev/add-ins/excel/performance):
 * - values go in row blocks through `range.values` (never repeated `table.rows.add`);
 * - each block's request stays under the 5 MB payload limit (estimated; a block Excel still refuses as too large
 *   is halved and retried, batches.ts);
 * - calculation is suspended for every request that writes rows;
 * - values come before number formats, except the text format ("@") of text and ID columns, which must be in place
 *   before their values or Excel turns "0044" into 44 and long IDs into rounded numbers;
 * - formats and conditional formats cover the rows in use only;
 * - syncs: one to read the names in use (and the workbook's date system), then one per row block.
 *
 * After the first request has created the table, each block is addressed from the table itself
 * (`table.getDataBodyRange()`), which Excel resolves when the request runs: rows land in the table even if the
 * user inserted rows above it meanwhile. Cells go through sheet-cells.ts (text that looks like a formula kept as
 * text, over-long text cut, dates in the workbook's date system).
 */
import {
  BillingTableError,
  FIXED_SETUP_BYTES,
  PER_COLUMN_FORMAT_BYTES,
  budgetOf,
  defaultLog,
  explain,
  planRows,
  runBatches,
  type BatchSteps,
  type Log,
} from "./batches";
import { estimateBytes, type RowBlock } from "./chunks";
import { isTextKind, numberFormatsFor, periodStatusIndex, provisionalRule } from "./formats";
import { MAX_TABLE_DATA_ROWS, PROVENANCE_ROW_COUNT, TABLE_HEADER_ROW_INDEX, provenanceCells } from "./layout";
import { defaultTitle, uniqueSheetName, uniqueTableName } from "./names";
import { replaceTableRowsInPlace } from "./refresh-in-place";
import { headersOf, type TableShape } from "./shape";
import { sheetRowsOf, type DateSystem } from "./sheet-cells";
import {
  TABLE_STYLE,
  assertFitsSheet,
  oneWriteAtATime,
  queueProvenance,
  readWithDateSystem,
  runValues,
  type ColumnRun,
  type TableDestination,
  type WriteOptions,
  type WriteReport,
} from "./write-common";

export { BillingTableError } from "./batches";
export type { TableAfterFailure } from "./batches";
export { replaceTableRowsInPlace } from "./refresh-in-place";
export {
  TABLE_STYLE,
  assertFitsSheet,
  columnRuns,
  type ColumnRun,
  type TableDestination,
  type WriteOptions,
  type WriteReport,
} from "./write-common";

/**
 * Writes a billing table: on a new sheet (`{kind: "new-sheet"}`) or in place of an existing table's rows
 * (`{kind: "replace", tableName}`, see refresh-in-place.ts).
 */
export async function writeBillingTable(
  context: Excel.RequestContext,
  shape: TableShape,
  destination: TableDestination,
  options: WriteOptions = {}
): Promise<WriteReport> {
  if (destination.kind === "replace") return replaceTableRowsInPlace(context, destination.tableName, shape, options);
  assertFitsSheet(shape.rows.length, TABLE_HEADER_ROW_INDEX);
  return oneWriteAtATime(() => writeNewSheet(context, shape, destination, options));
}

async function writeNewSheet(
  context: Excel.RequestContext,
  shape: TableShape,
  destination: Extract<TableDestination, { kind: "new-sheet" }>,
  options: WriteOptions
): Promise<WriteReport> {
  assertFitsSheet(shape.rows.length, TABLE_HEADER_ROW_INDEX);
  const log = options.log;
  const title = defaultTitle(options.title, shape.dimensionLabels);

  let read: {
    reads: { sheets: Excel.WorksheetCollection; tables: Excel.TableCollection; names: Excel.NamedItemCollection };
    dateSystem: DateSystem;
    syncs: number;
  };
  try {
    read = await readWithDateSystem(
      context,
      () => ({
        sheets: context.workbook.worksheets.load("items/name"),
        tables: context.workbook.tables.load("items/name"),
        names: context.workbook.names.load("items/name"),
      }),
      log
    );
  } catch (error) {
    throw explain(error, "reading the workbook's sheet and table names", log);
  }
  const { sheets, tables, names } = read.reads;
  const sheetName = uniqueSheetName(
    destination.sheetName ?? title,
    sheets.items.map((s) => s.name)
  );
  // Tables and defined names share one namespace: a table name must be neither.
  const tableName = uniqueTableName(title, [...tables.items.map((t) => t.name), ...names.items.map((n) => n.name)]);
  const { rows, cutCells } = sheetRowsOf(shape, read.dateSystem);

  const width = shape.columns.length;
  const rowCount = rows.length;
  const headerRow = TABLE_HEADER_ROW_INDEX;
  const firstDataRow = headerRow + 1;
  const formats = numberFormatsFor(shape);
  const allColumns: ColumnRun = { tableOffset: 0, shapeIndexes: shape.columns.map((_, index) => index) };
  let loadedTable: Excel.Table | undefined;
  let loadedRange: Excel.Range | undefined;
  /** The table's body, as Excel finds it when the request runs. */
  const body = () => context.workbook.tables.getItem(tableName).getDataBodyRange();

  const steps: BatchSteps = {
    prelude: () => {
      const sheet = context.workbook.worksheets.add(sheetName);
      queueProvenance(sheet.getRange("A1"), shape, title);
      sheet.getRangeByIndexes(headerRow, 0, 1, width).values = [headersOf(shape)];
      // An Excel table always has at least one data row: an empty result gets one empty row.
      const table = sheet.tables.add(sheet.getRangeByIndexes(headerRow, 0, 1 + Math.max(rowCount, 1), width), true);
      table.name = tableName;
      table.style = TABLE_STYLE;
      table.showBandedRows = true;
      if (rowCount > 0) {
        shape.columns.forEach((column, index) => {
          if (isTextKind(column.kind)) {
            sheet.getRangeByIndexes(firstDataRow, index, rowCount, 1).numberFormat = [[formats[index] ?? "@"]];
          }
        });
      }
    },
    rows: (start, count) => {
      body().getCell(start, 0).getAbsoluteResizedRange(count, width).values = runValues(rows, allColumns, start, count);
    },
    finale: () => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      if (rowCount > 0) {
        shape.columns.forEach((column, index) => {
          if (!isTextKind(column.kind)) {
            body().getColumn(index).numberFormat = [[formats[index] ?? "General"]];
          }
        });
        if (shape.provisionalRowCount > 0) {
          const rule = provisionalRule(periodStatusIndex(shape.columns), firstDataRow);
          const format = body().conditionalFormats.add("Custom");
          format.custom.rule.formula = rule.formula;
          format.custom.format.fill.color = rule.fillColor;
          format.custom.format.font.italic = rule.italic;
          format.custom.format.font.color = rule.fontColor;
        }
      }
      sheet.getRangeByIndexes(headerRow, 0, 1 + Math.min(Math.max(rowCount, 1), 1000), width).format.autofitColumns();
      sheet.activate();
      loadedTable = context.workbook.tables.getItem(tableName);
      loadedTable.load("id");
      loadedRange = loadedTable.getRange();
      loadedRange.load("address");
    },
  };

  const plan = planNewSheetWrite(shape, options, rows);
  let run: { syncs: number; blocks: number; retries: number };
  try {
    run = await runBatches(context, {
      plan,
      steps,
      totalRows: rowCount,
      action: `writing the table ${tableName}`,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    const explained = explain(error, `writing the table ${tableName}`, log, "no-table");
    await removeHalfWrittenSheet(context, sheetName, log);
    throw new BillingTableError(`${explained.message} Nothing was kept: the new sheet was removed.`, error, "no-table");
  }
  return {
    tableName,
    tableId: loadedTable?.id ?? "",
    sheetName,
    address: loadedRange?.address ?? "",
    rowCount,
    syncs: read.syncs + run.syncs,
    blocks: run.blocks,
    retries: run.retries,
    provenanceWritten: true,
    dateSystem: read.dateSystem,
    cutCells,
  };
}

/** After a failed write to a new sheet, the sheet goes: a half-written table is worse than none. */
async function removeHalfWrittenSheet(
  context: Excel.RequestContext,
  sheetName: string,
  log: Log | undefined
): Promise<void> {
  try {
    const sheet = context.workbook.worksheets.getItemOrNullObject(sheetName);
    await context.sync();
    if (sheet.isNullObject) return;
    sheet.delete();
    await context.sync();
  } catch (error) {
    (log ?? defaultLog)(`Could not remove the half-written sheet ${sheetName}`, error);
  }
}

/** Exposed for tests and the bench: the plan the writer would use for a new sheet. */
export function planNewSheetWrite(
  shape: TableShape,
  options: WriteOptions = {},
  rows = sheetRowsOf(shape, 1900).rows
): RowBlock[] {
  const title = defaultTitle(options.title, shape.dimensionLabels);
  return planRows(rows, {
    budgetBytes: budgetOf(options),
    firstBlockBytes:
      FIXED_SETUP_BYTES +
      estimateBytes(provenanceCells(shape.provenance, title)) +
      estimateBytes([headersOf(shape)]) +
      PER_COLUMN_FORMAT_BYTES * shape.columns.length,
    lastBlockBytes: FIXED_SETUP_BYTES + PER_COLUMN_FORMAT_BYTES * shape.columns.length,
  });
}

export { MAX_TABLE_DATA_ROWS, PROVENANCE_ROW_COUNT };
