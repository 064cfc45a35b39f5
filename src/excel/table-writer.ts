/**
 * Writes a shaped billing result into an Excel table: a new table on its own sheet, or the rows of an
 * existing billing table replaced in place (refresh). Everything that can be decided without Excel
 * (shape, names, formats, row blocks) is decided by the pure modules beside this one; this file only
 * queues Office.js commands and syncs.
 *
 * As Microsoft's performance guidance for Excel on the web says:
 * - values go in row blocks through `range.values` (never repeated `table.rows.add`);
 * - each block's request stays under the 5 MB payload limit (estimated; a block Excel still refuses with
 *   `RequestPayloadSizeLimitExceeded` is halved and retried);
 * - calculation is suspended for every request that writes rows;
 * - values come before number formats, except the text format ("@") of text and ID columns, which must be
 *   in place before their values or Excel turns "0044" into 44 and long IDs into rounded numbers;
 * - formats and conditional formats cover the rows in use only;
 * - syncs: one to read the names/geometry in use, then one per row block — the fewest the limit allows.
 *
 * Refresh keeps the table: same sheet, same name, same header row, resized with `Table.resize` (ExcelApi
 * 1.13), so formulas, charts and PivotTables on it keep working. Our columns are found by their header
 * names; any other column in the table (a user's calculated column) is neither written nor cleared. When the
 * table grows, cells are inserted below it (within its columns) so that nothing under it is overwritten;
 * when it shrinks, the freed cells are deleted upwards, as deleting table rows does.
 */
import { headerLabels } from "./billing-table";
import {
  DEFAULT_PAYLOAD_BUDGET_BYTES,
  estimateBytes,
  planRowBlocks,
  rowBytes,
  splitBlock,
  type RowBlock,
} from "./chunks";
import { isTextKind, numberFormatsFor, periodStatusIndex, provisionalRule } from "./formats";
import {
  EXCEL_MAX_ROWS,
  MAX_TABLE_DATA_ROWS,
  PROVENANCE_LABELS,
  PROVENANCE_ROW_COUNT,
  TABLE_HEADER_ROW_INDEX,
  provenanceCells,
} from "./layout";
import { defaultTitle, uniqueSheetName, uniqueTableName } from "./names";
import { createSerialQueue } from "./serial";
import { headersOf, type ExcelCell, type TableShape } from "./shape";

export type TableDestination =
  | {
      kind: "new-sheet";
      /** Sheet name wanted (made valid and unique); defaults to the title. */
      sheetName?: string;
    }
  | { kind: "replace"; tableName: string };

export interface WriteOptions {
  /** Title for the sheet, the table name and the provenance heading; defaults to the dimensions. */
  title?: string;
  /** Payload budget per request (default 4 MB, under Excel on the web's 5 MB). */
  payloadBudgetBytes?: number;
  /** Called after each block of rows is written. */
  onProgress?: (progress: { rowsWritten: number; totalRows: number }) => void;
  /** Where Excel's debug information goes (default: console.error). */
  log?: (message: string, details: unknown) => void;
}

export interface WriteReport {
  tableName: string;
  tableId: string;
  sheetName: string;
  /** The table's range after writing, header included. */
  address: string;
  rowCount: number;
  /** `context.sync` calls made. */
  syncs: number;
  /** Row blocks written (requests that carried rows or setup). */
  blocks: number;
  /** Blocks Excel refused as too large and that were split. */
  retries: number;
  /** False when the provenance block above a refreshed table was not where we put it (it is then left alone). */
  provenanceWritten: boolean;
}

/** A failure explained in plain words; `cause` keeps Excel's error. */
export class BillingTableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown
  ) {
    super(message);
    this.name = "BillingTableError";
  }
}

export const TABLE_STYLE = "TableStyleMedium2";

/** Request bytes besides the rows: calculation suspension, the values command and its array brackets. */
const PER_BLOCK_BYTES = 512;
/** Per column: a number-format command, a conditional format, a text format. */
const PER_COLUMN_FORMAT_BYTES = 256;
const FIXED_SETUP_BYTES = 8 * 1024;

interface OfficeLikeError {
  code?: unknown;
  message?: unknown;
  debugInfo?: unknown;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as OfficeLikeError | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function isPayloadTooLarge(error: unknown): boolean {
  return errorCode(error) === "RequestPayloadSizeLimitExceeded";
}

function defaultLog(message: string, details: unknown): void {
  console.error(message, details);
}

/** Logs Excel's debug info (OfficeExtension.Error) and returns an error in plain words. */
function explain(error: unknown, action: string, log: WriteOptions["log"]): BillingTableError {
  if (error instanceof BillingTableError) return error;
  const office = error as OfficeLikeError | undefined;
  (log ?? defaultLog)(`Excel error while ${action}`, {
    code: office?.code,
    message: office?.message,
    debugInfo: office?.debugInfo,
  });
  const reason = typeof office?.message === "string" ? office.message : String(error);
  return new BillingTableError(`Excel could not finish ${action}: ${reason}`, error);
}

/**
 * Does the host have `Table.resize` (ExcelApi 1.13)? Outside Office (tests on the double, the bench) there
 * is no `Office` global and the double has it.
 */
export function hostSupportsTableResize(): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  const requirements = office?.context?.requirements;
  return requirements === undefined ? true : requirements.isSetSupported("ExcelApi", "1.13");
}

/** Refuses a result that cannot fit below a header at `headerRowIndex`, before anything is written. */
export function assertFitsSheet(rowCount: number, headerRowIndex: number): void {
  const capacity = EXCEL_MAX_ROWS - (headerRowIndex + 1);
  if (rowCount > capacity) {
    throw new BillingTableError(
      `This result has ${rowCount.toLocaleString("en-US")} rows, more than the ${capacity.toLocaleString("en-US")} ` +
        `an Excel sheet can hold below the table header. Nothing was written. Choose a shorter period, fewer ` +
        `dimensions (for example Month instead of Day) or more filters, and run the query again.`
    );
  }
}

interface Batch extends RowBlock {
  prelude: boolean;
  finale: boolean;
}

interface BatchSteps {
  /** Setup queued at the start of the first request. */
  prelude: () => void;
  /** Rows `[start, start + count)` queued. */
  rows: (start: number, count: number) => void;
  /** Formats and the rest, queued at the end of the last request. */
  finale: () => void;
}

interface BatchRun {
  /** The planned requests, in order. */
  plan: readonly RowBlock[];
  steps: BatchSteps;
  totalRows: number;
  /** What is being done, for error messages: "writing the table Billing_1". */
  action: string;
  options: WriteOptions;
}

/**
 * Runs the planned requests. A request Excel refuses as too large is split (rows halved; setup or
 * formats moved to a request of their own) and retried; anything else stops with a plain message.
 */
async function runBatches(
  context: Excel.RequestContext,
  { plan, steps, totalRows, action, options }: BatchRun
): Promise<{ syncs: number; blocks: number; retries: number }> {
  const pending: Batch[] = plan.map((block, index) => ({
    ...block,
    prelude: index === 0,
    finale: index === plan.length - 1,
  }));
  let syncs = 0;
  let retries = 0;
  let blocks = 0;
  let written = 0;
  while (pending.length > 0) {
    const batch = pending.shift() as Batch;
    context.application.suspendApiCalculationUntilNextSync();
    if (batch.prelude) steps.prelude();
    if (batch.count > 0) steps.rows(batch.start, batch.count);
    if (batch.finale) steps.finale();
    try {
      syncs += 1;
      // eslint-disable-next-line office-addins/no-context-sync-in-loop -- each row block must be its own request to stay under Excel on the web's 5 MB payload limit; this is the one place that syncs in a loop.
      await context.sync();
    } catch (error) {
      if (!isPayloadTooLarge(error)) throw explain(error, action, options.log);
      const halves = splitBlock(batch);
      if (halves) {
        pending.unshift(
          { ...halves[0], prelude: batch.prelude, finale: false },
          { ...halves[1], prelude: false, finale: batch.finale }
        );
      } else if (batch.prelude && (batch.count > 0 || batch.finale)) {
        pending.unshift({ ...batch, count: 0, finale: false }, { ...batch, prelude: false });
      } else if (batch.finale && batch.count > 0) {
        pending.unshift({ ...batch, finale: false }, { ...batch, count: 0, prelude: false });
      } else {
        throw new BillingTableError(
          `Excel refused a request as too large even for a single row of this result (row ${batch.start + 1}). ` +
            `Nothing more was written; the row's text may be unusually long.`,
          error
        );
      }
      retries += 1;
      continue;
    }
    blocks += 1;
    written += batch.count;
    if (batch.count > 0) options.onProgress?.({ rowsWritten: written, totalRows });
  }
  return { syncs, blocks, retries };
}

function planFor(shape: TableShape, firstBlockBytes: number, options: WriteOptions, extraPerRow = 0): RowBlock[] {
  const sizes = shape.rows.map((row) => rowBytes(row) + extraPerRow);
  return planRowBlocks(sizes, {
    budgetBytes: options.payloadBudgetBytes ?? DEFAULT_PAYLOAD_BUDGET_BYTES,
    perBlockBytes: PER_BLOCK_BYTES,
    firstBlockBytes,
    lastBlockBytes: FIXED_SETUP_BYTES + PER_COLUMN_FORMAT_BYTES * shape.columns.length,
  });
}

/** Queues the provenance block at A1 (text-formatted first, so dates and IDs stay as written). */
function queueProvenance(sheet: Excel.Worksheet, shape: TableShape, title: string): void {
  const cells = provenanceCells(shape.provenance, title);
  const block = sheet.getRangeByIndexes(0, 0, cells.length, 2);
  block.numberFormat = [["@"]];
  block.values = cells;
  block.getCell(0, 0).format.font.bold = true;
  sheet.getRangeByIndexes(1, 0, cells.length - 1, 1).format.font.color = "#595959";
}

/** A run of our columns that sit side by side in the table. */
interface ColumnRun {
  /** Offset of the run's first column in the table. */
  tableOffset: number;
  /** Indexes into the shape's columns. */
  shapeIndexes: number[];
}

/** Groups our columns (shape index → table offset) into runs of adjacent table columns. */
export function columnRuns(tableOffsets: readonly number[]): ColumnRun[] {
  const order = tableOffsets.map((offset, shapeIndex) => ({ offset, shapeIndex })).sort((a, b) => a.offset - b.offset);
  const runs: ColumnRun[] = [];
  for (const { offset, shapeIndex } of order) {
    const last = runs[runs.length - 1];
    if (last && last.tableOffset + last.shapeIndexes.length === offset) last.shapeIndexes.push(shapeIndex);
    else runs.push({ tableOffset: offset, shapeIndexes: [shapeIndex] });
  }
  return runs;
}

interface FormatTarget {
  sheet: Excel.Worksheet;
  firstDataRow: number;
  rowCount: number;
  /** Sheet column of each shape column. */
  sheetColumns: readonly number[];
}

function queueTextFormats(shape: TableShape, formats: readonly string[], target: FormatTarget): void {
  if (target.rowCount === 0) return;
  shape.columns.forEach((column, index) => {
    if (!isTextKind(column.kind)) return;
    const col = target.sheetColumns[index] ?? 0;
    target.sheet.getRangeByIndexes(target.firstDataRow, col, target.rowCount, 1).numberFormat = [
      [formats[index] ?? "@"],
    ];
  });
}

function queueNumberFormats(shape: TableShape, formats: readonly string[], target: FormatTarget): void {
  if (target.rowCount === 0) return;
  shape.columns.forEach((column, index) => {
    if (isTextKind(column.kind)) return;
    const col = target.sheetColumns[index] ?? 0;
    target.sheet.getRangeByIndexes(target.firstDataRow, col, target.rowCount, 1).numberFormat = [
      [formats[index] ?? "General"],
    ];
  });
}

/** Marks provisional rows over the rows in use, one conditional format per run of our columns. */
function queueProvisionalMarking(
  shape: TableShape,
  runs: readonly ColumnRun[],
  left: number,
  target: FormatTarget
): void {
  if (target.rowCount === 0 || shape.provisionalRowCount === 0) return;
  const statusColumn = target.sheetColumns[periodStatusIndex(shape.columns)];
  if (statusColumn === undefined) return;
  const rule = provisionalRule(statusColumn, target.firstDataRow);
  for (const run of runs) {
    const range = target.sheet.getRangeByIndexes(
      target.firstDataRow,
      left + run.tableOffset,
      target.rowCount,
      run.shapeIndexes.length
    );
    const format = range.conditionalFormats.add("Custom");
    format.custom.rule.formula = rule.formula;
    format.custom.format.fill.color = rule.fillColor;
    format.custom.format.font.italic = rule.italic;
    format.custom.format.font.color = rule.fontColor;
  }
}

/** The values of one run of columns for rows `[start, start + count)`. */
function runValues(rows: readonly ExcelCell[][], run: ColumnRun, start: number, count: number): ExcelCell[][] {
  const block: ExcelCell[][] = new Array<ExcelCell[]>(count);
  for (let r = 0; r < count; r++) {
    const row = rows[start + r] ?? [];
    block[r] = run.shapeIndexes.map((index) => row[index] ?? "");
  }
  return block;
}

/**
 * Writes a billing table: on a new sheet (`{kind: "new-sheet"}`) or in place of an existing table's rows
 * (`{kind: "replace", tableName}`, see {@link replaceTableRowsInPlace}).
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

/** Writes run one after another (see serial.ts): concurrent new-sheet writes would pick the same names. */
const oneWriteAtATime = createSerialQueue();

async function writeNewSheet(
  context: Excel.RequestContext,
  shape: TableShape,
  destination: Extract<TableDestination, { kind: "new-sheet" }>,
  options: WriteOptions
): Promise<WriteReport> {
  assertFitsSheet(shape.rows.length, TABLE_HEADER_ROW_INDEX);
  const log = options.log;
  const title = defaultTitle(options.title, shape.dimensionLabels);

  const sheets = context.workbook.worksheets;
  sheets.load("items/name");
  const tables = context.workbook.tables;
  tables.load("items/name");
  try {
    await context.sync();
  } catch (error) {
    throw explain(error, "reading the workbook's sheet and table names", log);
  }
  const sheetName = uniqueSheetName(
    destination.sheetName ?? title,
    sheets.items.map((s) => s.name)
  );
  const tableName = uniqueTableName(
    title,
    tables.items.map((t) => t.name)
  );

  const width = shape.columns.length;
  const rowCount = shape.rows.length;
  const headerRow = TABLE_HEADER_ROW_INDEX;
  const firstDataRow = headerRow + 1;
  const formats = numberFormatsFor(shape);
  const sheetColumns = shape.columns.map((_, index) => index);
  const allColumns: ColumnRun = { tableOffset: 0, shapeIndexes: sheetColumns };
  let loadedTable: Excel.Table | undefined;
  let loadedRange: Excel.Range | undefined;

  const steps: BatchSteps = {
    prelude: () => {
      const sheet = context.workbook.worksheets.add(sheetName);
      queueProvenance(sheet, shape, title);
      sheet.getRangeByIndexes(headerRow, 0, 1, width).values = [headersOf(shape)];
      // An Excel table always has at least one data row: an empty result gets one empty row.
      const table = sheet.tables.add(sheet.getRangeByIndexes(headerRow, 0, 1 + Math.max(rowCount, 1), width), true);
      table.name = tableName;
      table.style = TABLE_STYLE;
      table.showBandedRows = true;
      queueTextFormats(shape, formats, { sheet, firstDataRow, rowCount, sheetColumns });
    },
    rows: (start, count) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      sheet.getRangeByIndexes(firstDataRow + start, 0, count, width).values = runValues(
        shape.rows,
        allColumns,
        start,
        count
      );
    },
    finale: () => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      const target = { sheet, firstDataRow, rowCount, sheetColumns };
      queueNumberFormats(shape, formats, target);
      queueProvisionalMarking(shape, [allColumns], 0, target);
      sheet.getRangeByIndexes(headerRow, 0, 1 + Math.min(Math.max(rowCount, 1), 1000), width).format.autofitColumns();
      sheet.activate();
      loadedTable = context.workbook.tables.getItem(tableName);
      loadedTable.load("id");
      loadedRange = loadedTable.getRange();
      loadedRange.load("address");
    },
  };

  const plan = planNewSheetWrite(shape, options);
  let run: { syncs: number; blocks: number; retries: number };
  try {
    run = await runBatches(context, {
      plan,
      steps,
      totalRows: rowCount,
      action: `writing the table ${tableName}`,
      options,
    });
  } catch (error) {
    await removeHalfWrittenSheet(context, sheetName, log);
    throw error;
  }
  return {
    tableName,
    tableId: loadedTable?.id ?? "",
    sheetName,
    address: loadedRange?.address ?? "",
    rowCount,
    syncs: 1 + run.syncs,
    blocks: run.blocks,
    retries: run.retries,
    provenanceWritten: true,
  };
}

/** After a failed write to a new sheet, the sheet goes: a half-written table is worse than none. */
async function removeHalfWrittenSheet(
  context: Excel.RequestContext,
  sheetName: string,
  log: WriteOptions["log"]
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

/**
 * Refresh in place: the rows of the table `tableName` are replaced by the shape's rows. The table keeps its
 * sheet, name, header row and any columns that are not ours (found by header name). Refuses, before writing
 * anything, a table that lacks one of our columns or a result that would not fit on the sheet.
 */
export async function replaceTableRowsInPlace(
  context: Excel.RequestContext,
  tableName: string,
  shape: TableShape,
  options: WriteOptions = {}
): Promise<WriteReport> {
  assertFitsSheet(shape.rows.length, 0);
  return oneWriteAtATime(() => replaceRows(context, tableName, shape, options));
}

async function replaceRows(
  context: Excel.RequestContext,
  tableName: string,
  shape: TableShape,
  options: WriteOptions
): Promise<WriteReport> {
  if (!hostSupportsTableResize()) {
    throw new BillingTableError(
      "Refreshing a table in place needs Table.resize, which this Excel does not have (requirement set ExcelApi 1.13: " +
        "Microsoft 365, Excel 2021 or later, Excel on the web). Nothing was written. Write the result to a new sheet instead."
    );
  }
  const log = options.log;
  const title = defaultTitle(options.title, shape.dimensionLabels);

  const table = context.workbook.tables.getItem(tableName);
  table.load("name, id, showTotals, worksheet/name");
  const header = table.getHeaderRowRange();
  header.load("values, rowIndex, columnIndex, columnCount");
  const body = table.getDataBodyRange();
  body.load("rowCount");
  const provenanceProbe = table.worksheet.getRangeByIndexes(0, 0, PROVENANCE_ROW_COUNT, 1);
  provenanceProbe.load("values");
  try {
    await context.sync();
  } catch (error) {
    if (errorCode(error) === "ItemNotFound") {
      throw new BillingTableError(
        `There is no table named "${tableName}" in this workbook any more (it was renamed or deleted). Nothing was written.`,
        error
      );
    }
    throw explain(error, `reading the table ${tableName}`, log);
  }

  const headers = headerLabels(header.values);
  const tableOffsets = shape.columns.map((column) =>
    headers.findIndex((h) => h.toLowerCase() === column.header.toLowerCase())
  );
  const missing = shape.columns.filter((_, index) => tableOffsets[index] === -1).map((c) => `"${c.header}"`);
  if (missing.length > 0) {
    throw new BillingTableError(
      `The table "${tableName}" has no column ${missing.join(", ")} any more, so its rows cannot be replaced in place. ` +
        `Nothing was written. Rename the column back, or write the result to a new sheet.`
    );
  }
  const top = header.rowIndex;
  const left = header.columnIndex;
  const tableWidth = header.columnCount;
  const hasTotals = table.showTotals;
  assertFitsSheet(shape.rows.length + (hasTotals ? 1 : 0), top);

  const sheetName = table.worksheet.name;
  const rowCount = shape.rows.length;
  const oldBodyRows = body.rowCount;
  const newBodyRows = Math.max(rowCount, 1);
  const firstDataRow = top + 1;
  const runs = columnRuns(tableOffsets);
  const sheetColumns = tableOffsets.map((offset) => left + offset);
  const formats = numberFormatsFor(shape);
  const probe = provenanceProbe.values.map((row) => String(row[0] ?? ""));
  const provenanceInPlace =
    top === TABLE_HEADER_ROW_INDEX && left === 0 && PROVENANCE_LABELS.every((label, i) => probe[i + 1] === label);
  let loadedRange: Excel.Range | undefined;

  const steps: BatchSteps = {
    prelude: () => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      const target = context.workbook.tables.getItem(tableName);
      if (hasTotals) target.showTotals = false;
      for (const run of runs) {
        sheet
          .getRangeByIndexes(
            firstDataRow,
            left + run.tableOffset,
            Math.max(oldBodyRows, newBodyRows),
            run.shapeIndexes.length
          )
          .conditionalFormats.clearAll();
      }
      const newRange = sheet.getRangeByIndexes(top, left, 1 + newBodyRows, tableWidth);
      if (newBodyRows > oldBodyRows) {
        sheet.getRangeByIndexes(firstDataRow + oldBodyRows, left, newBodyRows - oldBodyRows, tableWidth).insert("Down");
        target.resize(newRange);
      } else if (newBodyRows < oldBodyRows) {
        target.resize(newRange);
        sheet.getRangeByIndexes(firstDataRow + newBodyRows, left, oldBodyRows - newBodyRows, tableWidth).delete("Up");
      }
      queueTextFormats(shape, formats, { sheet, firstDataRow, rowCount, sheetColumns });
      if (rowCount === 0) {
        for (const run of runs) {
          sheet.getRangeByIndexes(firstDataRow, left + run.tableOffset, 1, run.shapeIndexes.length).values = [
            run.shapeIndexes.map(() => ""),
          ];
        }
      }
    },
    rows: (start, count) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      for (const run of runs) {
        sheet.getRangeByIndexes(firstDataRow + start, left + run.tableOffset, count, run.shapeIndexes.length).values =
          runValues(shape.rows, run, start, count);
      }
    },
    finale: () => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      const target = { sheet, firstDataRow, rowCount, sheetColumns };
      queueNumberFormats(shape, formats, target);
      queueProvisionalMarking(shape, runs, left, target);
      if (provenanceInPlace) queueProvenance(sheet, shape, title);
      const refreshed = context.workbook.tables.getItem(tableName);
      if (hasTotals) refreshed.showTotals = true;
      loadedRange = refreshed.getRange();
      loadedRange.load("address");
    },
  };

  const firstBlockBytes =
    FIXED_SETUP_BYTES +
    PER_COLUMN_FORMAT_BYTES * shape.columns.length +
    estimateBytes(provenanceCells(shape.provenance, title));
  // Each extra run of columns adds its own brackets and comma per row.
  const plan = planFor(shape, firstBlockBytes, options, 3 * Math.max(0, runs.length - 1));
  const run = await runBatches(context, {
    plan,
    steps,
    totalRows: rowCount,
    action: `refreshing the table ${tableName}`,
    options,
  });
  return {
    tableName: table.name,
    tableId: table.id,
    sheetName,
    address: loadedRange?.address ?? "",
    rowCount,
    syncs: 1 + run.syncs,
    blocks: run.blocks,
    retries: run.retries,
    provenanceWritten: provenanceInPlace,
  };
}

/** Exposed for tests and the bench: the plan the writer would use for a new sheet. */
export function planNewSheetWrite(shape: TableShape, options: WriteOptions = {}): RowBlock[] {
  const title = defaultTitle(options.title, shape.dimensionLabels);
  const firstBlockBytes =
    FIXED_SETUP_BYTES +
    estimateBytes(provenanceCells(shape.provenance, title)) +
    estimateBytes([headersOf(shape)]) +
    PER_COLUMN_FORMAT_BYTES * shape.columns.length;
  return planFor(shape, firstBlockBytes, options);
}

export { MAX_TABLE_DATA_ROWS };
