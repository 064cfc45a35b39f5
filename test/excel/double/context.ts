/**
 * The request context of the double: client objects queue commands here, and nothing touches the workbook
 * until `context.sync()`, as in Office.js. Each sync is recorded with its operations, its request payload and
 * its response payload.
 *
 * Excel on the web "limits requests and responses to 5 MB" (https://learn.microsoft.com/office/dev/add-ins/excel/performance):
 * - a request over the limit is rejected whole and nothing in it is applied: with `RequestPayloadSizeLimitExceeded`,
 *   or, on a configurable share of such requests, with the generic `GeneralException` "An internal error has
 *   occurred." that some Excel on the web builds answer instead (OfficeDev/office-js#1314, #1012,
 *   office-js-docs-reference#354);
 * - a response over the limit fails with `ResponsePayloadSizeLimitExceeded`
 *   (https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling).
 * Otherwise the operations are applied in order; one that fails stops the sync there (earlier operations stay
 * applied, as in Excel). Tests can make a chosen sync fail, before anything in it or part-way through it.
 */
import { officeError, OfficeErrorDouble } from "./errors";
import type { RequirementState } from "./requirements";
import type { WorkbookState } from "./state/workbook-state";
import { WorkbookDouble } from "./workbook";
import { ApplicationDouble } from "./application";

export interface OperationRecord {
  /** values, formulas, numberFormat, load, suspendCalculation, tables.add, table.resize, … */
  kind: string;
  /** How the code reached the object, e.g. `worksheets.getItem("Billing").getRangeByIndexes(1,0,500,12)`. */
  target: string;
  /** The resolved address (ranges) once applied. */
  address?: string;
  bytes: number;
  rows?: number;
  columns?: number;
  /** A short rendering of a scalar argument (a number format, a name, a formula). */
  detail?: string;
}

export interface SyncRecord {
  index: number;
  payloadBytes: number;
  /** JSON bytes of what the sync's loads and results returned. */
  responseBytes: number;
  operations: OperationRecord[];
  calculationSuspended: boolean;
  /** The error code when the sync failed. */
  error?: string;
}

/** A sync that fails on purpose: the sync at `index` (or the first whose operations match `when`). */
export interface SyncFault {
  index?: number;
  when?: (operations: readonly OperationRecord[]) => boolean;
  code: string;
  message: string;
  /** Operations applied before the failure (default 0: the request is refused whole). */
  afterOperations: number;
}

export interface DoubleRuntime {
  state: WorkbookState;
  syncs: SyncRecord[];
  payloadLimitBytes: number;
  faults: SyncFault[];
  requirements: RequirementState;
  /** Share (0–1) of over-the-limit requests answered with GeneralException instead of RequestPayloadSizeLimitExceeded. */
  oversizedGeneralExceptionShare: number;
  /** Accumulates the share above, so that the choice is deterministic (0.5: every second oversized request). */
  oversizedCredit: number;
  /** Called after every successful sync: a user (or another add-in) editing the workbook between requests. */
  betweenSyncs: ((sync: SyncRecord) => void)[];
}

/** The message Excel on the web gives with GeneralException (https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling). */
export const GENERAL_EXCEPTION_MESSAGE = "An internal error has occurred.";

/** Fixed cost charged per queued command (the JSON envelope of an action in the request). */
export const OPERATION_OVERHEAD_BYTES = 40;

export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

interface QueuedOperation {
  record: OperationRecord;
  apply: () => void;
}

function shapeOf(value: unknown): { rows?: number; columns?: number } {
  if (!Array.isArray(value)) return {};
  const first: unknown = value[0];
  return { rows: value.length, columns: Array.isArray(first) ? first.length : 0 };
}

function detailOf(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (value.length === 1 && Array.isArray(first) && first.length === 1) return String(first[0]);
    return undefined;
  }
  if (value === undefined) return undefined;
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

export class RequestContextDouble {
  readonly workbook: WorkbookDouble;
  readonly application: ApplicationDouble;
  readonly trackedObjects = { add: (): void => undefined, remove: (): void => undefined };
  private queue: QueuedOperation[] = [];
  private responseBytes = 0;
  /** True while a sync applies its operations. */
  applying = false;

  constructor(readonly runtime: DoubleRuntime) {
    this.workbook = new WorkbookDouble(this);
    this.application = new ApplicationDouble(this, "application", () => this.runtime.state);
  }

  get state(): WorkbookState {
    return this.runtime.state;
  }

  /** Throws at sync time for a member this Excel lacks or that the code used above the manifest without a check. */
  requires(member: string): void {
    this.runtime.requirements.require(member);
  }

  /** Counts what a load or a result sends back in the current sync's response. */
  chargeResponse(value: unknown): void {
    this.responseBytes += jsonBytes(value);
  }

  /** Queues a command; `payload` is what goes on the wire (its JSON size is charged to the request). */
  enqueue(kind: string, target: string, payload: unknown, apply: (record: OperationRecord) => void): void {
    const record: OperationRecord = {
      kind,
      target,
      bytes: OPERATION_OVERHEAD_BYTES + jsonBytes(payload),
      ...shapeOf(payload),
    };
    const detail = kind === "values" || kind === "formulas" ? undefined : detailOf(payload);
    if (detail !== undefined) record.detail = detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
    this.queue.push({ record, apply: () => apply(record) });
  }

  get pendingOperations(): number {
    return this.queue.length;
  }

  async sync<T>(passThroughValue?: T): Promise<T | undefined> {
    await Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    const record: SyncRecord = {
      index: this.runtime.syncs.length,
      payloadBytes: batch.reduce((sum, op) => sum + op.record.bytes, 0),
      responseBytes: 0,
      operations: batch.map((op) => op.record),
      calculationSuspended: batch.some((op) => op.record.kind === "suspendCalculation"),
    };
    this.runtime.syncs.push(record);
    const fault = this.takeFault(record);
    if (record.payloadBytes > this.runtime.payloadLimitBytes && (fault === undefined || fault.afterOperations > 0)) {
      this.runtime.oversizedCredit += this.runtime.oversizedGeneralExceptionShare;
      if (this.runtime.oversizedCredit >= 1) {
        this.runtime.oversizedCredit -= 1;
        record.error = "GeneralException";
        throw officeError("GeneralException", GENERAL_EXCEPTION_MESSAGE);
      }
      record.error = "RequestPayloadSizeLimitExceeded";
      throw officeError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size has exceeded the limit (${record.payloadBytes} bytes queued, limit ${this.runtime.payloadLimitBytes}).`
      );
    }
    this.responseBytes = 0;
    const applyCount = fault ? Math.min(fault.afterOperations, batch.length) : batch.length;
    this.applying = true;
    try {
      for (const op of batch.slice(0, applyCount)) {
        try {
          op.apply();
        } catch (error) {
          if (error instanceof OfficeErrorDouble) {
            record.error = error.code;
            if (error.debugInfo.errorLocation === undefined) error.debugInfo.errorLocation = op.record.target;
            error.debugInfo.statement = `${op.record.kind} ${op.record.target}`;
          }
          record.responseBytes = this.responseBytes;
          throw error;
        }
      }
    } finally {
      this.applying = false;
    }
    record.responseBytes = this.responseBytes;
    if (fault) {
      record.error = fault.code;
      throw officeError(fault.code, fault.message);
    }
    if (record.responseBytes > this.runtime.payloadLimitBytes) {
      record.error = "ResponsePayloadSizeLimitExceeded";
      throw officeError(
        "ResponsePayloadSizeLimitExceeded",
        `The response payload size has exceeded the limit (${record.responseBytes} bytes, limit ${this.runtime.payloadLimitBytes}).`
      );
    }
    for (const hook of this.runtime.betweenSyncs) hook(record);
    return passThroughValue;
  }

  /** The fault planned for this sync, if any (removed from the plan). */
  private takeFault(record: SyncRecord): SyncFault | undefined {
    const at = this.runtime.faults.findIndex(
      (f) => f.index === record.index || (f.when !== undefined && f.when(record.operations))
    );
    if (at < 0) return undefined;
    return this.runtime.faults.splice(at, 1)[0];
  }
}
