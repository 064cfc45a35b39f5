/**
 * The request context of the double: client objects queue commands here, and nothing touches the workbook
 * until `context.sync()`, as in Office.js. Each sync is recorded with its operations and estimated payload; a
 * sync over the payload limit is rejected whole with `RequestPayloadSizeLimitExceeded`, and nothing in it is
 * applied. Otherwise the operations are applied in order; one that fails stops the sync there (earlier
 * operations stay applied, as in Excel).
 */
import { officeError, OfficeErrorDouble } from "./errors";
import type { WorkbookState } from "./state/workbook-state";
import { WorkbookDouble } from "./workbook";

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
  operations: OperationRecord[];
  calculationSuspended: boolean;
  /** The error code when the sync failed. */
  error?: string;
}

export interface DoubleRuntime {
  state: WorkbookState;
  syncs: SyncRecord[];
  payloadLimitBytes: number;
  faults: { code: string; message: string }[];
}

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

  constructor(readonly runtime: DoubleRuntime) {
    this.workbook = new WorkbookDouble(this);
    this.application = new ApplicationDouble(this);
  }

  get state(): WorkbookState {
    return this.runtime.state;
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
      operations: batch.map((op) => op.record),
      calculationSuspended: batch.some((op) => op.record.kind === "suspendCalculation"),
    };
    this.runtime.syncs.push(record);
    const fault = this.runtime.faults.shift();
    if (fault) {
      record.error = fault.code;
      throw officeError(fault.code, fault.message);
    }
    if (record.payloadBytes > this.runtime.payloadLimitBytes) {
      record.error = "RequestPayloadSizeLimitExceeded";
      throw officeError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size has exceeded the limit (${record.payloadBytes} bytes queued, limit ${this.runtime.payloadLimitBytes}).`
      );
    }
    for (const op of batch) {
      try {
        op.apply();
      } catch (error) {
        if (error instanceof OfficeErrorDouble) {
          record.error = error.code;
          if (error.debugInfo.errorLocation === undefined) error.debugInfo.errorLocation = op.record.target;
          error.debugInfo.statement = `${op.record.kind} ${op.record.target}`;
        }
        throw error;
      }
    }
    return passThroughValue;
  }
}

/** `context.application`: calculation and screen updating, recorded but without effect on the cells. */
export class ApplicationDouble {
  constructor(private readonly context: RequestContextDouble) {}

  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue("suspendCalculation", "application", undefined, () => undefined);
  }

  suspendScreenUpdatingUntilNextSync(): void {
    this.context.enqueue("suspendScreenUpdating", "application", undefined, () => undefined);
  }

  calculate(calculationType: string): void {
    this.context.enqueue("calculate", "application", calculationType, () => undefined);
  }
}
