/**
 * The parse worker's thread (started by {@link ParseWorker} in parse-in-worker.ts): `JSON.parse` of a whole callback
 * body, the rows checked, and the rows serialised again in blocks ready to store — all off the relay's event loop,
 * so a 10 MB body costs the main thread only the inserts of a hundred blocks.
 *
 * It answers only the plain case: a JSON document whose `response.rows` is a list of rows of valid cells. Anything
 * else is answered `notPlain`, and the relay reads the body the streaming way (read-result.ts), which finds the
 * problem and words it for the user exactly as before. It imports nothing but Node and row-cells.ts, so it starts
 * in a blink.
 */
import { parentPort } from "node:worker_threads";
import type { RowsBlock } from "../store/row-blocks";
import { cellProblem } from "./row-cells";

export interface ParseRequest {
  id: number;
  /** The whole body, transferred (not copied) to this thread. */
  body: Uint8Array;
  blockRows: number;
  /** Blocks sent to the main thread per message. */
  blocksPerMessage: number;
}

export type ParseMessage =
  | { id: number; kind: "blocks"; blocks: RowsBlock[] }
  | {
      id: number;
      kind: "parsed";
      /** The document with `response.rows` emptied, as JSON. */
      skeleton: string;
      rowCount: number;
      /** Row width → first row with that width. */
      widths: [number, number][];
    }
  | { id: number; kind: "notPlain"; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parse(request: ParseRequest, post: (message: ParseMessage) => void): void {
  const { id, blockRows } = request;
  let text: string;
  try {
    // Fatal: a body that is not valid UTF-8 is not plain; the streaming reader keeps it unreadable and says where,
    // instead of a lenient decode turning the bad bytes into U+FFFD inside the stored rows.
    text = new TextDecoder("utf-8", { fatal: true }).decode(request.body);
  } catch {
    post({ id, kind: "notPlain", reason: "not UTF-8" });
    return;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    post({ id, kind: "notPlain", reason: "not JSON" });
    return;
  }
  const response = isObject(document) ? document.response : undefined;
  const rows = isObject(response) ? response.rows : undefined;
  if (!isObject(response) || !Array.isArray(rows)) {
    post({ id, kind: "notPlain", reason: "no response.rows list" });
    return;
  }
  const widths = new Map<number, number>();
  let blocks: RowsBlock[] = [];
  for (let start = 0; start < rows.length; start += blockRows) {
    const block = rows.slice(start, start + blockRows) as unknown[];
    for (let i = 0; i < block.length; i++) {
      const row = block[i];
      if (!Array.isArray(row)) {
        post({ id, kind: "notPlain", reason: "a row is not a list" });
        return;
      }
      for (const cell of row as unknown[]) {
        if (cellProblem(cell) !== undefined) {
          post({ id, kind: "notPlain", reason: "a cell is not a plain value" });
          return;
        }
      }
      if (!widths.has(row.length)) widths.set(row.length, start + i);
    }
    blocks.push({ start, count: block.length, json: JSON.stringify(block).slice(1, -1) });
    if (blocks.length >= request.blocksPerMessage) {
      post({ id, kind: "blocks", blocks });
      blocks = [];
    }
  }
  if (blocks.length > 0) post({ id, kind: "blocks", blocks });
  response.rows = [];
  post({ id, kind: "parsed", skeleton: JSON.stringify(document), rowCount: rows.length, widths: [...widths] });
}

parentPort?.on("message", (request: ParseRequest) => {
  parse(request, (message) => parentPort?.postMessage(message));
});
