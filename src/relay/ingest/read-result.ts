/**
 * Reads a stored callback body into rows and an outcome, two ways:
 *
 * - **In the parse worker** (the happy path, bodies up to {@link DEFAULT_WORKER_MAX_BYTES}): the body is read back
 *   whole and handed to a worker thread, which runs `JSON.parse`, checks the rows and serialises them again in
 *   blocks; the main thread only writes the blocks as they come (a few per transaction, a turn of the event loop
 *   between). A 100k-row result is ready about as fast as `JSON.parse` of it, without blocking other requests.
 * - **Streaming** (larger bodies, no worker, or a body the worker finds not plain): read back from the store chunk
 *   by chunk, split by the {@link RowsScanner} in slices of 64 KiB, the rows written in batches, one transaction
 *   each, with a turn of the event loop between slices; never held whole in memory. This is also the way that
 *   finds and words what is wrong with a body that is not a readable result.
 *
 * Outcomes: a well-formed SUCCESS for this query's requestId → `succeeded`; FAILED → `failed` with
 * Infobip's failureMessage; anything else → `unreadable` with the reason (the raw bytes stay available).
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { z } from "zod";
import { BillingUsageResultSchema, violationsFromZod } from "../../billing";
import type { QueryOutcome, RawDelivery, RelayStore, RowsBlock, StoredQuery } from "../store";
import type { ParseWorker } from "./parse-in-worker";
import { cellProblem, describeCell } from "./row-cells";
import { RowsScanner } from "./rows-scanner";

export interface ReadResultOptions {
  /** The stored body's bytes, still in memory from its reception: the worker path need not read them back. */
  body?: readonly Buffer[];
  /** Reads plain bodies in this worker (the happy path); without it, every body is read streaming. */
  parseWorker?: ParseWorker;
  /** Larger bodies are read streaming, in bounded memory, rather than parsed whole in the worker. */
  workerMaxBytes?: number;
  /** Bytes scanned between two turns of the event loop. */
  sliceBytes?: number;
  /** Rows written per transaction. */
  batchRows?: number;
  /** Aborted when the relay closes: reading stops and resumes from the start at the next start. */
  signal?: AbortSignal;
}

export type ReadResult =
  { kind: "settled"; outcome: QueryOutcome; rows: number } | { kind: "gone" } | { kind: "interrupted" };

// Measured on a 100k-row result: slices of 64 KiB and transactions of 2,000 rows keep every turn of the
// event loop to a few tens of milliseconds at most (256 KiB / 5,000 rows: stalls of 100+ ms).
const DEFAULT_SLICE_BYTES = 64 * 1024;
const DEFAULT_BATCH_ROWS = 2_000;
/**
 * Bodies parsed whole in the worker: up to 64 MiB (the parsed document then holds about 230 MB in the worker for
 * a moment). Larger ones, up to RELAY_MAX_CALLBACK_BYTES, are read streaming: slower, in constant memory.
 */
export const DEFAULT_WORKER_MAX_BYTES = 64 * 1024 * 1024;
/** Blocks written per transaction by the worker path: ~400 KB, a few milliseconds of the event loop each. */
const WORKER_BLOCKS_PER_WRITE = 4;

/** JSON.parse's message without positions, which would point into the skeleton rather than the body. */
function jsonMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, "")
    .replace(/, ".*" is not valid JSON$/s, "");
}

export async function readResult(
  store: RelayStore,
  queryId: string,
  options: ReadResultOptions = {}
): Promise<ReadResult> {
  const query = await store.getQuery(queryId);
  if (query === undefined || query.state !== "received") return { kind: "gone" };
  const raw = await store.rawDelivery(queryId);
  if (raw === undefined) return { kind: "gone" };
  await store.clearRows(queryId); // from a reading interrupted by a restart
  if (options.parseWorker !== undefined && raw.byteLength <= (options.workerMaxBytes ?? DEFAULT_WORKER_MAX_BYTES)) {
    const read = await readInWorker(store, query, raw, options.parseWorker, options);
    if (read !== "notPlain") return read;
    await store.clearRows(queryId); // blocks written before the worker found the body not plain
  }
  return readStreaming(store, query, raw, options);
}

/** The whole body, read back from the store into one buffer that can be transferred to the worker. */
async function wholeBody(store: RelayStore, raw: RawDelivery): Promise<Uint8Array | undefined> {
  const body = new Uint8Array(new ArrayBuffer(raw.byteLength));
  let filled = 0;
  for (let seq = 0; seq < raw.chunkCount; seq++) {
    const chunk = await store.readChunk(raw.deliveryId, seq);
    if (chunk === undefined || filled + chunk.length > body.length) return undefined;
    body.set(chunk, filled);
    filled += chunk.length;
  }
  return filled === body.length ? body : undefined;
}

/** The body kept in memory since its reception, in one buffer that can be transferred to the worker. */
function inOneBuffer(pieces: readonly Buffer[], raw: RawDelivery): Uint8Array | undefined {
  const body = new Uint8Array(new ArrayBuffer(raw.byteLength));
  let filled = 0;
  for (const piece of pieces) {
    if (filled + piece.length > body.length) return undefined;
    body.set(piece, filled);
    filled += piece.length;
  }
  return filled === body.length ? body : undefined;
}

async function readInWorker(
  store: RelayStore,
  query: StoredQuery,
  raw: RawDelivery,
  worker: ParseWorker,
  options: ReadResultOptions
): Promise<ReadResult | "notPlain"> {
  const signal = options.signal;
  const body = (options.body && inOneBuffer(options.body, raw)) ?? (await wholeBody(store, raw));
  if (body === undefined) return { kind: "gone" };

  // Blocks are written in order as they arrive, while the worker goes on with the next ones.
  const waiting: RowsBlock[] = [];
  let writing: Promise<void> | undefined;
  let gone = false;
  let failure: unknown;
  const write = async (): Promise<void> => {
    while (waiting.length > 0 && !gone && failure === undefined) {
      const blocks = waiting.splice(0, WORKER_BLOCKS_PER_WRITE);
      try {
        if (!(await store.appendRowBlocks(query.id, blocks))) gone = true;
      } catch (error) {
        failure = error;
      }
      await yieldToEventLoop();
    }
    writing = undefined;
  };
  const parse = await worker.parse(
    body,
    (blocks) => {
      waiting.push(...blocks);
      writing ??= write();
    },
    signal
  );
  await writing;
  if (failure !== undefined) throw failure;
  if (parse.kind === "aborted" || signal?.aborted) return { kind: "interrupted" };
  if (gone) return { kind: "gone" };
  if (parse.kind === "notPlain") return "notPlain";
  const outcome = decide(undefined, parse.skeleton, {
    rowCount: parse.rowCount,
    widths: parse.widths,
    expectedRequestId: query.requestId,
  });
  return { kind: "settled", outcome, rows: outcome.state === "succeeded" ? outcome.totalRows : 0 };
}

async function readStreaming(
  store: RelayStore,
  query: StoredQuery,
  raw: RawDelivery,
  options: ReadResultOptions
): Promise<ReadResult> {
  const queryId = query.id;
  const sliceBytes = options.sliceBytes ?? DEFAULT_SLICE_BYTES;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;

  let batch: string[] = [];
  let batchStart = 0;
  let rowProblem: string | undefined;
  /** Row width → first row with that width; the widths are checked once the columns are known. */
  const widths = new Map<number, number>();

  const scanner = new RowsScanner((bytes, index) => {
    if (rowProblem !== undefined) return;
    let cells: unknown;
    try {
      cells = JSON.parse(bytes.toString("utf8"));
    } catch (error) {
      rowProblem = `row ${index} of response.rows is not valid JSON (${jsonMessage(error)})`;
      return;
    }
    if (!Array.isArray(cells)) {
      rowProblem = `row ${index} of response.rows is ${describeCell(cells)}, not a list of values`;
      return;
    }
    for (let column = 0; column < cells.length; column++) {
      const problem = cellProblem(cells[column]);
      if (problem !== undefined) {
        rowProblem = `value ${column} of row ${index} in response.rows ${problem}`;
        return;
      }
    }
    if (!widths.has(cells.length)) widths.set(cells.length, index);
    batch.push(JSON.stringify(cells));
  });

  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    const rows = batch;
    batch = [];
    const written = await store.appendRows(queryId, batchStart, rows);
    batchStart += rows.length;
    return written;
  };

  // JSON is UTF-8 (RFC 8259 §8.1). Decoding leniently would turn a bad byte into U+FFFD and store a changed
  // value as if Infobip had sent it; a strict decoder over the same slices refuses the body instead.
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let encodingProblem: string | undefined;
  let offset = 0;
  const checkUtf8 = (slice: Buffer | undefined): boolean => {
    try {
      if (slice === undefined) utf8.decode();
      else utf8.decode(slice, { stream: true });
      return true;
    } catch {
      encodingProblem =
        slice === undefined
          ? "it is not valid UTF-8 text (it ends inside a multi-byte character)"
          : `it is not valid UTF-8 text (an invalid byte sequence within bytes ${offset}–${offset + slice.length - 1})`;
      return false;
    }
  };

  reading: for (let seq = 0; seq < raw.chunkCount; seq++) {
    const chunk = await store.readChunk(raw.deliveryId, seq);
    if (chunk === undefined) return { kind: "gone" };
    for (let start = 0; start < chunk.length; start += sliceBytes) {
      const slice = chunk.subarray(start, start + sliceBytes);
      if (!checkUtf8(slice)) break reading;
      offset += slice.length;
      scanner.write(slice);
      if (scanner.failure !== undefined || rowProblem !== undefined) break reading;
      if (batch.length >= batchRows && !(await flush())) return { kind: "gone" };
      await yieldToEventLoop();
      if (options.signal?.aborted) return { kind: "interrupted" };
    }
  }
  if (encodingProblem === undefined) checkUtf8(undefined);
  if (encodingProblem !== undefined) {
    await store.clearRows(queryId);
    return {
      kind: "settled",
      outcome: unreadable(`The callback body is not a readable result: ${encodingProblem}.`),
      rows: 0,
    };
  }
  if (!(await flush())) return { kind: "gone" };

  const scanned = scanner.end();
  // A row problem comes first: reading stopped there, so the scanner also saw the body end early.
  const outcome = decide(rowProblem ?? scanned.problem, scanned.skeleton, {
    rowCount: scanned.rowCount,
    widths,
    expectedRequestId: query.requestId,
  });
  const rows = outcome.state === "succeeded" ? outcome.totalRows : 0;
  return { kind: "settled", outcome, rows };
}

/** zod's messages in the project's plain words ("is required", "must be one of: ..."). */
const plainWords: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") return issue.input === undefined ? "is required" : `must be ${issue.expected}`;
  if (issue.code === "invalid_value") return `must be one of: ${issue.values.map(String).join(", ")}`;
  return undefined;
};

function unreadable(reason: string): QueryOutcome {
  return { state: "unreadable", failureMessage: reason };
}

function decide(
  structuralProblem: string | undefined,
  skeleton: string | undefined,
  facts: { rowCount: number; widths: Map<number, number>; expectedRequestId: string | null }
): QueryOutcome {
  if (structuralProblem !== undefined || skeleton === undefined) {
    return unreadable(`The callback body is not a readable result: ${structuralProblem ?? "it is not valid JSON"}.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(skeleton);
  } catch (error) {
    return unreadable(`The callback body is not valid JSON: ${jsonMessage(error)}.`);
  }
  const parsed = BillingUsageResultSchema.safeParse(document, { error: plainWords });
  if (!parsed.success) {
    const violations = violationsFromZod(parsed.error)
      .slice(0, 5)
      .map((v) => `${v.property || "the body"} ${v.violation}`);
    return unreadable(`The callback body is JSON but not a BillingUsageResult: ${violations.join("; ")}.`);
  }
  const result = parsed.data;
  if (facts.expectedRequestId !== null && result.requestId !== facts.expectedRequestId) {
    return unreadable(
      `The callback carried the result of requestId ${result.requestId}, but this query is requestId ${facts.expectedRequestId}.`
    );
  }
  if (result.status === "FAILED") {
    return {
      state: "failed",
      failureMessage: result.failureMessage ?? "Infobip reported the query as FAILED without a reason.",
    };
  }
  const response = result.response;
  if (response === undefined) return unreadable("The callback reported SUCCESS but carried no response.");
  // The same checks as `resultInconsistencies` in src/billing, made on the rows as they streamed past.
  const width = response.columns.length;
  const badRows = [...facts.widths].filter(([rowWidth]) => rowWidth !== width).map(([, firstRow]) => firstRow);
  if (badRows.length > 0) {
    const firstBad = Math.min(...badRows);
    const badWidth = [...facts.widths].find(([, row]) => row === firstBad)?.[0] ?? 0;
    return unreadable(`Row ${firstBad} has ${badWidth} values for ${width} columns.`);
  }
  if (response.totalRows !== facts.rowCount) {
    return unreadable(`totalRows is ${response.totalRows} but ${facts.rowCount} rows were delivered.`);
  }
  return {
    state: "succeeded",
    requestId: result.requestId,
    totalRows: facts.rowCount,
    columns: response.columns,
    metadata: result.metadata ?? null,
    requestedPeriod: response.requestedPeriod,
  };
}
