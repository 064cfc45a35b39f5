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
 * - Excel's input conversion applies (see state/cell-input.ts): a leading "=", "+", "-" or "@" makes a formula,
 *   an apostrophe keeps text as text, text over 32,767 characters is refused, typed dates follow the workbook's
 *   date system (1900, or 1904 with `dateSystem: 1904`);
 * - the ExcelApi requirement sets: a member above this Excel's level fails with ApiNotFound, one above the
 *   version the manifest declares is refused unless the code checked for it (requirements.ts);
 * - a request over the limit can be answered with the generic GeneralException on a share of calls, a response
 *   over the limit fails too, and a chosen sync can fail, whole or part-way (`failSync`);
 * - tables and defined names share one namespace; inserting or deleting cells is refused where Excel refuses it
 *   (part of a table, a PivotTable, a merged cell, a spilled array), and formats, conditional formats, merged
 *   areas and names move with the cells (state/shift.ts);
 * - manual calculation keeps formula results stale until `application.calculate` (application.ts);
 * - every sync is recorded (`syncs`) with its request and response bytes and operations.
 *
 * Files: `context.ts` (requests and syncs), `client-object.ts` (the proxy, collection and named-collection
 * bases), `requirements.ts` (requirement sets), one file per Office object family (`application`, `workbook`,
 * `worksheets`, `ranges`, `range-formats`, `conditional-formats`, `tables`, `table-rows`, `table-columns`,
 * `names`, `pivot-tables`, `charts`, `custom-xml-parts`), `office.ts` (the `Office` global and the add-in's runtimes),
 * and `state/` for the workbook they act on (cells, tables, the rest, shifts, input and name rules).
 *
 * Usage:
 *   const excel = createExcelDouble();
 *   await writeSomething(excel.context);          // typed as Excel.RequestContext
 *   excel.syncs; excel.inspect.values("Sheet1", "A1:C3"); excel.inspect.table("Billing_1")
 */
import {
  GENERAL_EXCEPTION_MESSAGE,
  RequestContextDouble,
  type DoubleRuntime,
  type OperationRecord,
  type SyncRecord,
} from "./context";
import { createInspector, type ExcelInspector } from "./inspector";
import { MODELLED_EXCEL_API, RequirementState, manifestExcelApi } from "./requirements";
import type { CalculationMode, FormulaEvaluator } from "./state/cells";
import { WorkbookState } from "./state/workbook-state";

export { OfficeErrorDouble } from "./errors";
export { GENERAL_EXCEPTION_MESSAGE, OPERATION_OVERHEAD_BYTES, jsonBytes, RequestContextDouble } from "./context";
export type { OperationRecord, SyncRecord } from "./context";
export {
  EXCEL_API_MEMBERS,
  MODELLED_EXCEL_API,
  RequirementState,
  compareVersions,
  manifestExcelApi,
} from "./requirements";
export { DATE_1904_OFFSET, MAX_CELL_TEXT, serialOf } from "./state/cell-input";
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
  /** The ExcelApi version this Excel supports; default {@link MODELLED_EXCEL_API} (a current Microsoft 365). */
  excelApi?: string;
  /** The ExcelApi version the add-in declares; default what manifest.xml declares. */
  declaredExcelApi?: string;
  /** Other requirement sets, e.g. `{ SharedRuntime: "1.1" }`; default SharedRuntime 1.1 and DialogApi 1.2. */
  otherSets?: Record<string, string>;
  /** Share (0–1) of over-the-limit requests answered with GeneralException; default 0. */
  oversizedGeneralExceptionShare?: number;
  /** The workbook's date system; default 1900. */
  dateSystem?: 1900 | 1904;
  calculationMode?: CalculationMode;
}

export interface SyncFailure {
  /** Which sync fails: 1 = the next one (default), 2 = the one after… */
  at?: number;
  /** Or: the first sync whose operations match. */
  when?: (operations: readonly OperationRecord[]) => boolean;
  code?: string;
  message?: string;
  /** Operations of that sync applied before it fails (default 0: refused whole, as a request Excel rejects). */
  afterOperations?: number;
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
  /** Makes a chosen sync fail (default GeneralException, "An internal error has occurred."). */
  failSync(failure: SyncFailure): void;
  /** Runs after every successful sync: someone editing the workbook between the add-in's requests. */
  betweenSyncs(edit: (sync: SyncRecord) => void): void;
  payloadLimitBytes: number;
  /** Share (0–1) of over-the-limit requests answered with GeneralException. */
  oversizedGeneralExceptionShare: number;
  /** `Office.context.requirements` of this Excel (records what the code checked). */
  requirements: RequirementState;
  /** Direct, non-strict reads and set-ups for assertions (no syncs, nothing recorded). */
  inspect: ExcelInspector;
  state: WorkbookState;
}

export function createExcelDouble(options: ExcelDoubleOptions = {}): ExcelDouble {
  const state = new WorkbookState(options.evaluateFormula ?? ((formula) => formula));
  state.date1904 = options.dateSystem === 1904;
  if (options.calculationMode) state.setCalculationMode(options.calculationMode);
  const runtime: DoubleRuntime = {
    state,
    syncs: [],
    payloadLimitBytes: options.payloadLimitBytes ?? EXCEL_WEB_PAYLOAD_LIMIT_BYTES,
    faults: [],
    requirements: new RequirementState(
      options.excelApi ?? MODELLED_EXCEL_API,
      options.declaredExcelApi ?? manifestExcelApi(),
      options.otherSets ?? { SharedRuntime: "1.1", DialogApi: "1.2" }
    ),
    oversizedGeneralExceptionShare: options.oversizedGeneralExceptionShare ?? 0,
    oversizedCredit: 0,
    betweenSyncs: [],
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
      const taken = new Set(runtime.faults.map((f) => f.index));
      let index = runtime.syncs.length;
      while (taken.has(index)) index++;
      runtime.faults.push({ index, code, message, afterOperations: 0 });
    },
    failSync: ({ at = 1, when, code = "GeneralException", message, afterOperations = 0 }) => {
      runtime.faults.push({
        ...(when ? { when } : { index: runtime.syncs.length + at - 1 }),
        code,
        message: message ?? (code === "GeneralException" ? GENERAL_EXCEPTION_MESSAGE : `Simulated ${code}.`),
        afterOperations,
      });
    },
    betweenSyncs: (edit) => {
      runtime.betweenSyncs.push(edit);
    },
    get payloadLimitBytes() {
      return runtime.payloadLimitBytes;
    },
    set payloadLimitBytes(limit: number) {
      runtime.payloadLimitBytes = limit;
    },
    get oversizedGeneralExceptionShare() {
      return runtime.oversizedGeneralExceptionShare;
    },
    set oversizedGeneralExceptionShare(share: number) {
      runtime.oversizedGeneralExceptionShare = share;
    },
    requirements: runtime.requirements,
    inspect: createInspector(state),
    state,
  };
  return double;
}
