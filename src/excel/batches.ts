/**
 * Writing many rows as a series of requests, each under Excel on the web's 5 MB limit ("Excel on the web limits
 * requests and responses to 5 MB": https://learn.microsoft.com/office/dev/add-ins/excel/performance), and the
 * errors that come back, in plain words. Used by the table writer (new sheets) and the refresh in place (staging).
 *
 * A request Excel refuses as too large is split (rows halved; setup or finishing commands moved to a request of
 * their own) and retried. Excel says `RequestPayloadSizeLimitExceeded`, or, on some Excel on the web builds, only
 * the generic `GeneralException` "An internal error has occurred." (OfficeDev/office-js#1314, #1012,
 * office-js-docs-reference#354): a generic error on a large request is split and retried the same way; on a small
 * one it is a real failure.
 */
import { DEFAULT_PAYLOAD_BUDGET_BYTES, planRowBlocks, rowBytes, splitBlock, type RowBlock } from "./chunks";
import type { ExcelCell } from "./shape";

/** What a failed write left the table as, so the message can say it. */
export type TableAfterFailure = "as-it-was" | "new" | "mixed" | "no-table";

/** A failure explained in plain words; `cause` keeps Excel's error. */
export class BillingTableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
    /** For a refresh in place: the table as it was, fully new, or (after two failures) a mix. */
    readonly table?: TableAfterFailure
  ) {
    super(message);
    this.name = "BillingTableError";
  }
}

/** Request bytes besides the rows: calculation suspension, the values command and its array brackets. */
export const PER_BLOCK_BYTES = 512;
/** Per column: a number-format command, a conditional format, a text format. */
export const PER_COLUMN_FORMAT_BYTES = 256;
export const FIXED_SETUP_BYTES = 8 * 1024;
/** A generic error on a request at least this large is taken for "too large"; on a smaller one it is a real failure. */
export const GENERIC_ERROR_SPLIT_BYTES = 64 * 1024;

interface OfficeLikeError {
  code?: unknown;
  message?: unknown;
  debugInfo?: unknown;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as OfficeLikeError | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

export function errorMessage(error: unknown): string {
  const message = (error as OfficeLikeError | undefined)?.message;
  return typeof message === "string" ? message : String(error);
}

export type Log = (message: string, details: unknown) => void;

export function defaultLog(message: string, details: unknown): void {
  console.error(message, details);
}

/** Logs Excel's debug info (OfficeExtension.Error) and returns an error in plain words. */
export function explain(
  error: unknown,
  action: string,
  log: Log | undefined,
  table?: TableAfterFailure
): BillingTableError {
  if (error instanceof BillingTableError) return error;
  const office = error as OfficeLikeError | undefined;
  (log ?? defaultLog)(`Excel error while ${action}`, {
    code: office?.code,
    message: office?.message,
    debugInfo: office?.debugInfo,
  });
  return new BillingTableError(`Excel could not finish ${action}: ${errorMessage(error)}`, error, table);
}

/** Did Excel refuse a request of this many bytes as too large? */
export function refusedAsTooLarge(error: unknown, requestBytes: number): boolean {
  const code = errorCode(error);
  if (code === "RequestPayloadSizeLimitExceeded") return true;
  return code === "GeneralException" && requestBytes >= GENERIC_ERROR_SPLIT_BYTES;
}

export interface Batch extends RowBlock {
  prelude: boolean;
  finale: boolean;
}

export interface BatchSteps {
  /** Setup queued at the start of the first request. */
  prelude: () => void;
  /** Rows `[start, start + count)` queued. */
  rows: (start: number, count: number) => void;
  /** Formats and the rest, queued at the end of the last request. */
  finale: () => void;
}

export interface BatchRun {
  /** The planned requests, in order. */
  plan: readonly RowBlock[];
  steps: BatchSteps;
  totalRows: number;
  /** What is being done, for error messages: "writing the table Billing_1". */
  action: string;
  onProgress?: (progress: { rowsWritten: number; totalRows: number }) => void;
  log?: Log;
}

export interface BatchFigures {
  syncs: number;
  blocks: number;
  retries: number;
}

/**
 * Runs the planned requests. A request Excel refuses as too large is split and retried; anything else stops with
 * the error (the caller words it, knowing what was left behind).
 */
export async function runBatches(
  context: Excel.RequestContext,
  { plan, steps, totalRows, action, onProgress }: BatchRun
): Promise<BatchFigures> {
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
      if (!refusedAsTooLarge(error, batch.bytes)) throw error;
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
          `Excel refused a request as too large even for a single row of this result (row ${batch.start + 1}) while ${action}. ` +
            `The row's text may be unusually long.`,
          error
        );
      }
      retries += 1;
      continue;
    }
    blocks += 1;
    written += batch.count;
    if (batch.count > 0) onProgress?.({ rowsWritten: written, totalRows });
  }
  return { syncs, blocks, retries };
}

/** The row blocks of a write, each request under the budget. */
export function planRows(
  rows: readonly ExcelCell[][],
  {
    budgetBytes,
    firstBlockBytes,
    lastBlockBytes,
    extraPerRow = 0,
  }: {
    budgetBytes: number;
    firstBlockBytes: number;
    lastBlockBytes: number;
    extraPerRow?: number;
  }
): RowBlock[] {
  return planRowBlocks(
    rows.map((row) => rowBytes(row) + extraPerRow),
    { budgetBytes, perBlockBytes: PER_BLOCK_BYTES, firstBlockBytes, lastBlockBytes }
  );
}

export function budgetOf(options: { payloadBudgetBytes?: number }): number {
  return options.payloadBudgetBytes ?? DEFAULT_PAYLOAD_BUDGET_BYTES;
}
