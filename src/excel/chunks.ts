/**
 * Planning the row blocks of a large write. Excel on the web rejects a request over 5 MB
 * (`RequestPayloadSizeLimitExceeded`), so rows go in blocks whose estimated payload stays under a budget
 * (default 4 MB, leaving room for the request envelope), with as few blocks — so as few `context.sync`
 * calls — as the budget allows. Pure.
 */
import type { ExcelCell } from "./shape";

export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
export const DEFAULT_PAYLOAD_BUDGET_BYTES = 4 * 1024 * 1024;

/** UTF-8 length of a string, without Buffer or TextEncoder (works in the pane and in Node). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]);

/** Bytes of a string in JSON, quotes and escapes included (lone surrogates are written as \uXXXX). */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES.has(code)) bytes += 2;
    else if (code < 0x20) bytes += 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

/** Bytes of one cell in JSON (strings with their quotes and escapes). */
export function cellBytes(cell: ExcelCell | null | undefined): number {
  if (cell === null || cell === undefined) return 4;
  if (typeof cell === "number") return Number.isFinite(cell) ? JSON.stringify(cell).length : 4;
  if (typeof cell === "boolean") return cell ? 4 : 5;
  return jsonStringBytes(cell);
}

/** Bytes of one row in a JSON 2D array, with its brackets and the comma that separates it from the next. */
export function rowBytes(row: readonly (ExcelCell | null | undefined)[]): number {
  let bytes = 3 + Math.max(0, row.length - 1);
  for (const cell of row) bytes += cellBytes(cell);
  return bytes;
}

/** Estimated JSON bytes of a 2D array of rows (an upper bound of `JSON.stringify(rows)`'s UTF-8 length). */
export function estimateBytes(rows: readonly (readonly (ExcelCell | null | undefined)[])[]): number {
  let bytes = 2;
  for (const row of rows) bytes += rowBytes(row);
  return bytes;
}

export interface RowBlock {
  /** Index of the first row of the block. */
  start: number;
  /** Rows in the block (0 only for an empty result). */
  count: number;
  /** Estimated payload of the block's request, overheads included. */
  bytes: number;
}

export interface BlockPlanOptions {
  /** Payload budget per request; default 4 MB. */
  budgetBytes?: number;
  /** Bytes every request carries besides the rows (the 2D array brackets, calculation suspension, …). */
  perBlockBytes?: number;
  /** Extra bytes of the first request (creating the sheet and table, header, provenance, text formats). */
  firstBlockBytes?: number;
  /** Extra bytes of the last request (number formats, conditional format, table style). */
  lastBlockBytes?: number;
}

/**
 * Splits rows (given by their byte sizes) into consecutive blocks whose requests fit the budget. Filling
 * each block as far as it goes is optimal for consecutive blocks, so this gives the fewest requests. A row
 * larger than the budget on its own still gets a block (the writer then fails on it with a clear message).
 */
export function planRowBlocks(sizes: readonly number[], options: BlockPlanOptions = {}): RowBlock[] {
  const budget = options.budgetBytes ?? DEFAULT_PAYLOAD_BUDGET_BYTES;
  const perBlock = options.perBlockBytes ?? 0;
  const first = options.firstBlockBytes ?? 0;
  const last = options.lastBlockBytes ?? 0;
  // The first and last requests' extras are packed like rows at both ends of the sequence.
  const items = [first, ...sizes, last];
  const blocks: RowBlock[] = [];
  let start = 0;
  let bytes = perBlock;
  let rowsInBlock = 0;
  let itemsInBlock = 0;
  for (let i = 0; i < items.length; i++) {
    const size = items[i] ?? 0;
    const isRow = i > 0 && i < items.length - 1;
    if (itemsInBlock > 0 && bytes + size > budget && (isRow || size > 0)) {
      blocks.push({ start, count: rowsInBlock, bytes });
      start += rowsInBlock;
      bytes = perBlock;
      rowsInBlock = 0;
      itemsInBlock = 0;
    }
    bytes += size;
    itemsInBlock += 1;
    if (isRow) rowsInBlock += 1;
  }
  blocks.push({ start, count: rowsInBlock, bytes });
  return blocks;
}

/** Halves a block that Excel refused as too large: the two halves, or undefined for a single row. */
export function splitBlock(block: RowBlock): [RowBlock, RowBlock] | undefined {
  if (block.count < 2) return undefined;
  const half = Math.floor(block.count / 2);
  const ratio = half / block.count;
  return [
    { start: block.start, count: half, bytes: Math.round(block.bytes * ratio) },
    { start: block.start + half, count: block.count - half, bytes: Math.round(block.bytes * (1 - ratio)) },
  ];
}
