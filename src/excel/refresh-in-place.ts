/**
 * Refresh in place: the rows of an existing billing table replaced by a new result, so that formulas, charts,
 * PivotTables and the user's own columns on the table keep working. The table keeps its sheet, name, header row and
 * every column that is not ours (found by header name); it is resized with `Table.resize` (ExcelApi 1.13).
 *
 * **Staging, then swap** (chosen over "keep the old rows and restore them on failure", see the README's figures):
 * 1. one request reads the table (and the workbook's date system and calculation mode);
 * 2. the new rows go, in blocks under the 5 MB limit, to a hidden staging sheet of ours. The table is not touched,
 *    so a failure here — a refused block, a lost connection, a closed workbook — leaves it exactly as it was (a
 *    staging sheet left behind by a crash is removed by the next refresh). The last block reads the table's
 *    position and our conditional formats again: positions are read from the table for every step that writes to
 *    it, never carried over from a read several requests earlier;
 * 3. the table's size changes in requests of their own, each undone if the next fails: growing inserts cells below
 *    the table (within its columns, so nothing under it is overwritten) and then resizes; shrinking resizes and then
 *    deletes the freed cells upwards, as deleting table rows does. Where Excel refuses to shift those cells (another
 *    table, a PivotTable, merged cells, a spilled array below), the message says what to move, and the table is as
 *    it was;
 * 4. one small request swaps the rows in: `Range.copyFrom(staging, "Values")` (ExcelApi 1.9) for each run of our
 *    columns, addressed from the table itself, then number formats, our provisional marking, the provenance, and the
 *    staging sheet goes. Every command in it can be repeated, so a failed swap is read again and tried once more.
 *
 * Conditional formats: only the rule the add-in created (a custom rule `=$<col><row>="Provisional"`) is removed, by
 * its id, after the table has its new size; the user's own rules, on the table or below it, stay.
 * A workbook in manual calculation is recalculated at the end ("Once set, it is the developer's responsibility to
 * re-calc the workbook", `suspendApiCalculationUntilNextSync`:
 * https://learn.microsoft.com/javascript/api/excel/excel.application#excel-excel-application-suspendapicalculationuntilnextsync-member(1)).
 */
import {
  BillingTableError,
  FIXED_SETUP_BYTES,
  PER_COLUMN_FORMAT_BYTES,
  budgetOf,
  defaultLog,
  errorCode,
  errorMessage,
  explain,
  planRows,
  runBatches,
  type BatchSteps,
  type Log,
  type TableAfterFailure,
} from "./batches";
import { headerLabels } from "./billing-table";
import { queueManualCalculationCheck, recalculate } from "./calculation";
import { isTextKind, numberFormatsFor, periodStatusIndex, provisionalRule } from "./formats";
import { PROVENANCE_LABELS, PROVENANCE_ROW_COUNT, TABLE_HEADER_ROW_INDEX, columnLetters } from "./layout";
import { defaultTitle } from "./names";
import { officeRequirements, supports, unavailableMessage } from "./requirements";
import type { TableShape } from "./shape";
import { sheetRowsOf } from "./sheet-cells";
import {
  assertFitsSheet,
  columnRuns,
  oneWriteAtATime,
  queueProvenance,
  readWithDateSystem,
  runValues,
  type ColumnRun,
  type WriteOptions,
  type WriteReport,
} from "./write-common";

/** Staging sheets are named `BU_Staging_<time>_<random>` (under Excel's 31 characters). */
export const STAGING_SHEET_PREFIX = "BU_Staging_";
/**
 * A staging sheet older than this is a leftover (a refresh cut off by a crash or a closed workbook) and is removed.
 * Younger ones may belong to a refresh running elsewhere (a co-author's Excel) and are left alone.
 */
export const STAGING_LEFTOVER_AGE_MS = 60 * 60 * 1000;
/** The custom rule the writer adds to mark provisional rows (formats.ts): `=$M11="Provisional"`. */
export const OUR_PROVISIONAL_RULE = /^=\$[A-Z]{1,3}\d+="Provisional"$/;

/**
 * Refresh in place: the rows of the table `tableName` are replaced by the shape's rows (see the file comment).
 * Refuses, before writing anything, a host without ExcelApi 1.13, a table that lacks one of our columns, or a result
 * that would not fit on the sheet.
 */
export async function replaceTableRowsInPlace(
  context: Excel.RequestContext,
  tableName: string,
  shape: TableShape,
  options: WriteOptions = {}
): Promise<WriteReport> {
  assertFitsSheet(shape.rows.length, 0);
  return oneWriteAtATime(() => new InPlaceRefresh(context, tableName, shape, options).run());
}

interface Geometry {
  top: number;
  left: number;
  width: number;
  headers: string[];
  bodyRows: number;
}

/** Loads a table's header and body geometry; the returned function reads them after the sync. */
function queueGeometry(table: Excel.Table): () => Geometry {
  const header = table.getHeaderRowRange().load("values, rowIndex, columnIndex, columnCount");
  const body = table.getDataBodyRange().load("rowCount");
  return () => ({
    top: header.rowIndex,
    left: header.columnIndex,
    width: header.columnCount,
    headers: headerLabels(header.values),
    bodyRows: body.rowCount,
  });
}

/** Loads the ids of the conditional formats on the table's body that the add-in created. */
function queueOurRules(table: Excel.Table): () => string[] {
  const formats = table
    .getDataBodyRange()
    .conditionalFormats.load("items/id, items/type, items/customOrNullObject/rule/formula");
  return () =>
    formats.items
      .filter((cf) => cf.type === "Custom" && !cf.customOrNullObject.isNullObject)
      .filter((cf) => OUR_PROVISIONAL_RULE.test(cf.customOrNullObject.rule.formula))
      .map((cf) => cf.id);
}

/** A contiguous piece of table columns whose values sit side by side on the staging sheet. */
interface CopySegment {
  tableOffset: number;
  stagingColumn: number;
  width: number;
}

class InPlaceRefresh {
  private syncs = 0;
  private readonly log: Log | undefined;
  private readonly title: string;
  private readonly table = () => this.context.workbook.tables.getItem(this.tableName);

  constructor(
    private readonly context: Excel.RequestContext,
    private readonly tableName: string,
    private readonly shape: TableShape,
    private readonly options: WriteOptions
  ) {
    this.log = options.log;
    this.title = defaultTitle(options.title, shape.dimensionLabels);
  }

  private async sync(): Promise<void> {
    this.syncs += 1;
    await this.context.sync();
  }

  private fail(error: unknown, action: string, table: TableAfterFailure, after: string): BillingTableError {
    const explained = explain(error, action, this.log, table);
    return new BillingTableError(`${explained.message} ${after}`, error, table);
  }

  async run(): Promise<WriteReport> {
    const { context, shape, tableName } = this;
    if (!supports(this.options.host ?? officeRequirements(), "refreshInPlace")) {
      throw new BillingTableError(
        `${unavailableMessage("refreshInPlace")} Nothing was written.`,
        undefined,
        "as-it-was"
      );
    }

    // 1. Read the table, the workbook's date system and calculation mode.
    let first;
    try {
      first = await readWithDateSystem(
        context,
        () => {
          const table = this.table().load("name, id, showTotals, worksheet/name");
          return {
            table,
            geometry: queueGeometry(table),
            provenance: table.worksheet.getRangeByIndexes(0, 0, PROVENANCE_ROW_COUNT, 1).load("values"),
            sheets: context.workbook.worksheets.load("items/name"),
            manual: queueManualCalculationCheck(context),
          };
        },
        this.log
      );
    } catch (error) {
      if (errorCode(error) === "ItemNotFound") {
        throw new BillingTableError(
          `There is no table named "${tableName}" in this workbook any more (it was renamed or deleted). Nothing was written.`,
          error,
          "no-table"
        );
      }
      throw this.fail(error, `reading the table ${tableName}`, "as-it-was", "Nothing was written.");
    }
    this.syncs += first.syncs;
    const { table, provenance, sheets } = first.reads;
    const before = first.reads.geometry();
    this.offsetsOf(before.headers); // refuses, before anything is written, a table that lost one of our columns
    const hasTotals = table.showTotals;
    assertFitsSheet(shape.rows.length + (hasTotals ? 1 : 0), before.top);
    const sheetName = table.worksheet.name;
    const manual = first.reads.manual();
    const probe = provenance.values.map((row) => String(row[0] ?? ""));
    const provenanceFound =
      before.top === TABLE_HEADER_ROW_INDEX &&
      before.left === 0 &&
      PROVENANCE_LABELS.every((label, i) => probe[i + 1] === label);

    // 2. The new rows to the staging sheet, in blocks; the last block reads the table again.
    const { rows, cutCells } = sheetRowsOf(shape, first.dateSystem);
    const rowCount = rows.length;
    const width = shape.columns.length;
    const formats = numberFormatsFor(shape);
    // Staging columns follow the table's order of our columns, so each run of them is one copy.
    const stagingOrder = columnRuns(this.offsetsOf(before.headers)).flatMap((run) => run.shapeIndexes);
    const stagingRun: ColumnRun = { tableOffset: 0, shapeIndexes: stagingOrder };
    const existing = sheets.items.map((s) => s.name);
    const now = Date.now();
    const leftovers = existing.filter((name) => {
      const made = stagingTime(name);
      return made !== undefined && now - made > STAGING_LEFTOVER_AGE_MS;
    });
    const stagingName = stagingNameAt(now);
    const staging = () => context.workbook.worksheets.getItem(stagingName);
    let readAgain: { geometry: () => Geometry; rules: () => string[] } | undefined;

    const steps: BatchSteps = {
      prelude: () => {
        for (const name of leftovers) context.workbook.worksheets.getItem(name).delete();
        const sheet = context.workbook.worksheets.add(stagingName);
        sheet.visibility = "Hidden";
        if (rowCount > 0) {
          stagingOrder.forEach((shapeIndex, column) => {
            const kind = shape.columns[shapeIndex]?.kind;
            if (kind !== undefined && isTextKind(kind))
              sheet.getRangeByIndexes(0, column, rowCount, 1).numberFormat = [["@"]];
          });
        }
      },
      rows: (start, count) => {
        staging().getRangeByIndexes(start, 0, count, width).values = runValues(rows, stagingRun, start, count);
      },
      finale: () => {
        const fresh = this.table();
        readAgain = { geometry: queueGeometry(fresh), rules: queueOurRules(fresh) };
      },
    };
    const budgetBytes = budgetOf(this.options);
    const plan = planRows(rows, {
      budgetBytes,
      firstBlockBytes: FIXED_SETUP_BYTES + PER_COLUMN_FORMAT_BYTES * width,
      lastBlockBytes: FIXED_SETUP_BYTES,
    });
    let batches;
    try {
      batches = await runBatches(context, {
        plan,
        steps,
        totalRows: rowCount,
        action: `writing the new rows of the table ${tableName}`,
        ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
      });
    } catch (error) {
      await this.removeStaging(stagingName);
      throw this.fail(
        error,
        `writing the new rows of the table ${tableName}`,
        "as-it-was",
        "The table was left as it was: nothing in it changed."
      );
    }
    this.syncs += batches.syncs;
    if (!readAgain)
      throw new BillingTableError("The staging requests did not read the table again.", undefined, "as-it-was");
    const after = readAgain.geometry();
    const ourRules = readAgain.rules();
    // The provenance is rewritten only where the writer put it (A1, above a table at row 10), and only if the table
    // has not moved since it was found there: nothing is written at a position read requests ago.
    const provenanceInPlace = provenanceFound && after.top === before.top && after.left === before.left;
    let offsets: number[];
    try {
      offsets = this.offsetsOf(after.headers);
    } catch (error) {
      await this.removeStaging(stagingName);
      throw error;
    }

    // 3. The table's new size.
    const newRows = Math.max(rowCount, 1);
    await this.resize(after, newRows, hasTotals, stagingName, sheetName);

    // 4. The swap: values from staging, formats, marking, provenance; the staging sheet goes.
    const segments = copySegments(offsets, stagingOrder);
    const statusAt = offsets[periodStatusIndex(shape.columns)];
    const swap = (rules: readonly string[]): Excel.Range => {
      context.application.suspendApiCalculationUntilNextSync();
      const body = () => this.table().getDataBodyRange();
      if (rowCount > 0) {
        for (const segment of segments) {
          body()
            .getCell(0, segment.tableOffset)
            .getAbsoluteResizedRange(rowCount, segment.width)
            .copyFrom(staging().getRangeByIndexes(0, segment.stagingColumn, rowCount, segment.width), "Values");
        }
        shape.columns.forEach((_, index) => {
          body().getColumn(offsets[index] ?? 0).numberFormat = [[formats[index] ?? "General"]];
        });
      } else {
        for (const run of columnRuns(offsets)) {
          body().getCell(0, run.tableOffset).getAbsoluteResizedRange(1, run.shapeIndexes.length).values = [
            run.shapeIndexes.map(() => ""),
          ];
        }
      }
      for (const id of rules) body().conditionalFormats.getItem(id).delete();
      if (rowCount > 0 && shape.provisionalRowCount > 0 && statusAt !== undefined) {
        const rule = provisionalRule(after.left + statusAt, after.top + 1);
        for (const run of columnRuns(offsets)) {
          const marked = body().getCell(0, run.tableOffset).getAbsoluteResizedRange(rowCount, run.shapeIndexes.length);
          const format = marked.conditionalFormats.add("Custom");
          format.custom.rule.formula = rule.formula;
          format.custom.format.fill.color = rule.fillColor;
          format.custom.format.font.italic = rule.italic;
          format.custom.format.font.color = rule.fontColor;
        }
      }
      if (provenanceInPlace) queueProvenance(this.table().worksheet.getRange("A1"), shape, this.title);
      if (hasTotals) this.table().showTotals = true;
      staging().delete();
      return this.table().getRange().load("address");
    };
    let range: Excel.Range;
    try {
      range = swap(ourRules);
      await this.sync();
    } catch (firstError) {
      // Every command of the swap can be repeated; read our rules again (some may be gone) and try once more.
      try {
        const rules = queueOurRules(this.table());
        await this.sync();
        range = swap(rules());
        await this.sync();
      } catch (error) {
        await this.removeStaging(stagingName);
        (this.log ?? defaultLog)("The first swap attempt failed too", firstError);
        throw this.fail(
          error,
          `putting the new rows into the table ${tableName}`,
          "mixed",
          "The table may now hold a mix of old and new rows: refresh it again, or write the result to a new sheet."
        );
      }
    }

    if (manual) {
      this.syncs += 1;
      await recalculate(context);
    }
    return {
      tableName: table.name,
      tableId: table.id,
      sheetName,
      address: range.address,
      rowCount,
      syncs: this.syncs,
      blocks: batches.blocks,
      retries: batches.retries,
      provenanceWritten: provenanceInPlace,
      dateSystem: first.dateSystem,
      cutCells,
    };
  }

  /** Our columns' offsets in the table; refuses a table that lost one. */
  private offsetsOf(headers: readonly string[]): number[] {
    const offsets = this.shape.columns.map((column) =>
      headers.findIndex((h) => h.toLowerCase() === column.header.toLowerCase())
    );
    const missing = this.shape.columns.filter((_, index) => offsets[index] === -1).map((c) => `"${c.header}"`);
    if (missing.length > 0) {
      throw new BillingTableError(
        `The table "${this.tableName}" has no column ${missing.join(", ")} any more, so its rows cannot be replaced in place. ` +
          `Nothing was written. Rename the column back, or write the result to a new sheet.`,
        undefined,
        "as-it-was"
      );
    }
    return offsets;
  }

  /**
   * Gives the table `newRows` data rows, one request per step, each undone when the next fails; Excel's refusal to
   * shift the cells below becomes a message that says what to move.
   */
  private async resize(
    after: Geometry,
    newRows: number,
    hasTotals: boolean,
    stagingName: string,
    sheetName: string
  ): Promise<void> {
    const delta = newRows - after.bodyRows;
    if (delta === 0 && !hasTotals) return;
    const width = after.width;
    const header = () => this.table().getHeaderRowRange();
    const resizeTo = (rows: number) => this.table().resize(header().getAbsoluteResizedRange(1 + rows, width));
    const belowBody = (rows: number) =>
      this.table().getDataBodyRange().getLastRow().getOffsetRange(1, 0).getAbsoluteResizedRange(rows, width);
    const where = {
      sheetName,
      columns: `${columnLetters(after.left)}–${columnLetters(after.left + width - 1)}`,
      firstRowBelow: after.top + 1 + after.bodyRows + 1,
      rows: Math.abs(delta),
      grow: delta > 0,
    };

    // Step A: a total row would sit in the way of the shift, so it goes first (and comes back with the swap).
    this.context.application.suspendApiCalculationUntilNextSync();
    if (hasTotals) this.table().showTotals = false;
    if (delta > 0) belowBody(delta).insert("Down");
    else if (delta < 0) resizeTo(newRows);
    try {
      await this.sync();
    } catch (error) {
      await this.undo(() => {
        if (hasTotals) this.table().showTotals = true;
      });
      await this.removeStaging(stagingName);
      throw this.shiftRefused(error, where);
    }
    if (delta === 0) return;

    // Step B.
    this.context.application.suspendApiCalculationUntilNextSync();
    if (delta > 0) resizeTo(newRows);
    else belowBody(-delta).delete("Up");
    try {
      await this.sync();
    } catch (error) {
      await this.undo(() => {
        if (delta > 0) belowBody(delta).delete("Up");
        else resizeTo(after.bodyRows);
        if (hasTotals) this.table().showTotals = true;
      });
      await this.removeStaging(stagingName);
      throw this.shiftRefused(error, where);
    }
  }

  private async undo(queue: () => void): Promise<void> {
    try {
      queue();
      await this.sync();
    } catch (error) {
      (this.log ?? defaultLog)(`Could not undo the resize of the table ${this.tableName}`, error);
    }
  }

  private shiftRefused(
    error: unknown,
    where: { sheetName: string; columns: string; firstRowBelow: number; rows: number; grow: boolean }
  ): BillingTableError {
    const code = errorCode(error);
    const message = errorMessage(error);
    const obstacle = obstacleOf(code, message);
    const what = obstacle?.what;
    if (what === undefined) {
      return this.fail(error, `resizing the table ${this.tableName}`, "as-it-was", "The table was left as it was.");
    }
    (this.log ?? defaultLog)(`Excel refused to shift cells below the table ${this.tableName}`, error);
    const change = where.grow
      ? `make room for ${where.rows.toLocaleString("en-US")} more rows below the table ${this.tableName}`
      : `remove the ${where.rows.toLocaleString("en-US")} rows the table ${this.tableName} no longer needs`;
    return new BillingTableError(
      `Excel could not ${change} on sheet “${where.sheetName}”: it cannot move ${what} that ${obstacle?.plural ? "sit" : "sits"} below the table in ` +
        `columns ${where.columns} (from row ${where.firstRowBelow.toLocaleString("en-US")} down). Move ${obstacle?.plural ? "them" : "it"} to other ` +
        `columns or another sheet${what === "merged cells" ? ", or unmerge them" : ""}, then refresh again. ` +
        `The table was left as it was. (Excel said: ${message})`,
      error,
      "as-it-was"
    );
  }

  private async removeStaging(stagingName: string): Promise<void> {
    try {
      const context = this.context;
      const sheet = context.workbook.worksheets.getItemOrNullObject(stagingName);
      this.syncs += 1;
      await context.sync();
      if (sheet.isNullObject) return;
      sheet.delete();
      await this.sync();
    } catch (error) {
      (this.log ?? defaultLog)(`Could not remove the staging sheet ${stagingName}`, error);
    }
  }
}

/**
 * What stood in the way of shifting the cells below a table, from Excel's error: its code
 * (https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling) and message.
 */
function obstacleOf(code: string | undefined, message: string): { what: string; plural: boolean } | undefined {
  if (code === "PivotTableRangeConflict") return { what: "a PivotTable", plural: false };
  if (code === "MergedRangeConflict") return { what: "merged cells", plural: true };
  if (code === "InsertDeleteConflict") {
    if (/array|spill/i.test(message)) {
      return { what: "a formula whose results spill over several cells (a dynamic array)", plural: false };
    }
    if (/merge/i.test(message)) return { what: "merged cells", plural: true };
    return { what: "merged cells or a formula that spills over several cells", plural: true };
  }
  if (code === "NonBlankCellOffSheet") return { what: "data near the last row of the sheet", plural: false };
  if (code === "InvalidOperation" && /table/i.test(message)) return { what: "another table", plural: false };
  return undefined;
}

/** A staging sheet's name: when it was made, and a random part so that two refreshes never share one. */
export function stagingNameAt(time: number): string {
  return `${STAGING_SHEET_PREFIX}${time.toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

/** When a staging sheet was made, from its name; undefined for any other sheet. */
export function stagingTime(sheetName: string): number | undefined {
  const match = /^BU_Staging_([0-9a-z]+)_[0-9a-z]+$/.exec(sheetName);
  return match?.[1] ? parseInt(match[1], 36) : undefined;
}

/**
 * Where each piece of our columns comes from on the staging sheet: table columns that sit side by side and whose
 * values sit side by side on staging form one copy (normally one per run of our columns; more if the user moved
 * columns while the rows were staged).
 */
function copySegments(offsets: readonly number[], stagingOrder: readonly number[]): CopySegment[] {
  const stagingColumnOf = new Map(stagingOrder.map((shapeIndex, column) => [shapeIndex, column]));
  const byOffset = offsets
    .map((offset, shapeIndex) => ({ offset, column: stagingColumnOf.get(shapeIndex) ?? 0 }))
    .sort((a, b) => a.offset - b.offset);
  const segments: CopySegment[] = [];
  for (const { offset, column } of byOffset) {
    const last = segments[segments.length - 1];
    if (last && last.tableOffset + last.width === offset && last.stagingColumn + last.width === column) last.width += 1;
    else segments.push({ tableOffset: offset, stagingColumn: column, width: 1 });
  }
  return segments;
}
