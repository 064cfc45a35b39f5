/**
 * A strict Excel double for testing workbook code without Excel.
 *
 * Why not office-addin-mock: it is a property bag — properties hold whatever the test seeds, methods are
 * functions the test supplies, and `sync()` only flips "loaded" flags. It has no cells, so a written value
 * cannot be read back, a wrong array shape or an over-5-MB request cannot fail, and a table cannot be resized
 * or keep a user's column. This double has a real (sparse) cell store and applies queued commands at
 * `sync()` as Excel does, so the tests exercise the same contract as Excel on the web:
 * - reading a property that was not `load`ed and synced throws PropertyNotLoaded (`isNullObject` too, until
 *   the sync that resolves a `…OrNullObject`; a ClientResult's `value` throws ValueNotLoaded until synced);
 * - a sync whose queued payload (JSON of every command's arguments plus 40 bytes per command) exceeds
 *   `payloadLimitBytes` (default 5 MB) throws `RequestPayloadSizeLimitExceeded` and applies nothing;
 * - a 2D array whose shape differs from its range throws InvalidArgument (a single value / 1×1 array
 *   applies to every cell);
 * - sheet and table names follow Excel's rules and are unique; tables cannot overlap;
 * - Excel's input conversion applies unless the cell is formatted "@" (see state/cell-input.ts);
 * - every sync is recorded (`syncs`) with its payload bytes and operations.
 *
 * Files: `context.ts` (requests and syncs), `client-object.ts` (the proxy, collection and named-collection
 * bases), one file per Office object family (`workbook`, `worksheets`, `ranges`, `range-formats`,
 * `conditional-formats`, `tables`, `table-rows`, `table-columns`, `names`, `pivot-tables`, `charts`,
 * `custom-xml-parts`), and `state/` for the workbook they act on (cells, tables, the rest, input and name rules).
 *
 * Usage:
 *   const excel = createExcelDouble();
 *   await writeSomething(excel.context);          // typed as Excel.RequestContext
 *   excel.syncs; excel.inspect.values("Sheet1", "A1:C3"); excel.inspect.table("Billing_1")
 */
import { RequestContextDouble, type DoubleRuntime, type SyncRecord } from "./context";
import { createInspector, type ExcelInspector } from "./inspector";
import type { FormulaEvaluator } from "./state/cells";
import { WorkbookState } from "./state/workbook-state";

export { OfficeErrorDouble } from "./errors";
export { OPERATION_OVERHEAD_BYTES, jsonBytes, RequestContextDouble } from "./context";
export type { OperationRecord, SyncRecord } from "./context";
export type { ConditionalFormatSnapshot, ExcelInspector, TableSnapshot } from "./inspector";
export type { CellValue, FormulaEvaluator } from "./state/cells";
export { validateTableName, validateSheetName } from "./state/rules";
export { MAX_ROWS, MAX_COLUMNS, columnLetters, formatA1, formatAddress, parseA1, quoteSheet } from "./address";

export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

export interface ExcelDoubleOptions {
  /** Request payload limit; default 5 MB (Excel on the web). Lower it to exercise retries cheaply. */
  payloadLimitBytes?: number;
  /** Computes formula cells' values; by default a formula cell reads back as its formula text. */
  evaluateFormula?: FormulaEvaluator;
}

export interface ExcelDouble {
  /** A request context for code under test (one per `Excel.run`; make more with `newContext`). */
  context: Excel.RequestContext;
  newContext(): Excel.RequestContext;
  /** `Excel.run` for the double: runs `batch`, then syncs what is still queued. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  /** Every sync so far, in order. */
  syncs: SyncRecord[];
  /** Makes the next sync fail with this error code (then the following syncs behave normally). */
  failNextSync(code: string, message?: string): void;
  payloadLimitBytes: number;
  /** Direct, non-strict reads and set-ups for assertions (no syncs, nothing recorded). */
  inspect: ExcelInspector;
  state: WorkbookState;
}

export function createExcelDouble(options: ExcelDoubleOptions = {}): ExcelDouble {
  const state = new WorkbookState(options.evaluateFormula ?? ((formula) => formula));
  const runtime: DoubleRuntime = {
    state,
    syncs: [],
    payloadLimitBytes: options.payloadLimitBytes ?? EXCEL_WEB_PAYLOAD_LIMIT_BYTES,
    faults: [],
  };
  const newContext = (): Excel.RequestContext => new RequestContextDouble(runtime) as unknown as Excel.RequestContext;

  const double: ExcelDouble = {
    context: newContext(),
    newContext,
    run: async (batch) => {
      const context = newContext();
      const result = await batch(context);
      if ((context as unknown as RequestContextDouble).pendingOperations > 0) await context.sync();
      return result;
    },
    syncs: runtime.syncs,
    failNextSync: (code, message = `Simulated ${code}.`) => {
      runtime.faults.push({ code, message });
    },
    get payloadLimitBytes() {
      return runtime.payloadLimitBytes;
    },
    set payloadLimitBytes(limit: number) {
      runtime.payloadLimitBytes = limit;
    },
    inspect: createInspector(state),
    state,
  };
  return double;
}
