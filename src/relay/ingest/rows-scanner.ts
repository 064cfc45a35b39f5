/**
 * Splits a callback body, fed in byte chunks, into the elements of its `response.rows` array and a small
 * "skeleton": the rest of the document with that array emptied (`"rows":[]`). Each row is handed over as it
 * is found, so a 100k-row result is processed in bounded slices and never held as one parsed object; the
 * skeleton (a few kilobytes: period, columns, metadata) is parsed once at the end.
 *
 * Why this is exact: the scanner tracks only JSON's structure (strings with their escapes, brackets, commas
 * and colons, the object keys on the way to the rows array). It works on bytes because no byte of a
 * multi-byte UTF-8 sequence is ever one of those ASCII characters. If the skeleton parses as JSON and every
 * row parses as JSON, and the commas between rows are in place (checked here), then the whole body is valid
 * JSON and means exactly the skeleton with those rows put back, the same as `JSON.parse` of the body would
 * give. Anything else is reported as a problem and the caller treats the body as unreadable.
 *
 * Pure: no I/O. `onRow` receives a view into the chunk (valid only during the call; copy it to keep it).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const OBJECT = 1;
const ARRAY = 2;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export interface RowsScannerLimits {
  /** A row larger than this is not a billing row; the body is reported unreadable. */
  maxRowBytes: number;
  /** Everything outside the rows array larger than this is not a billing result. */
  maxSkeletonBytes: number;
  /** Deeper nesting is not a billing result. */
  maxDepth: number;
}

export const DEFAULT_SCANNER_LIMITS: RowsScannerLimits = {
  maxRowBytes: 1024 * 1024,
  maxSkeletonBytes: 4 * 1024 * 1024,
  maxDepth: 64,
};

export interface RowsScanOutcome {
  /** The document without the rows (`"rows":[]`), undefined when a problem was found. */
  skeleton: string | undefined;
  rowCount: number;
  /** Why the body cannot be a well-formed result; undefined when the structure is sound so far. */
  problem: string | undefined;
}

type RowsState = "open" | "element" | "afterComma";

export class RowsScanner {
  private readonly path: readonly string[];
  private readonly limits: RowsScannerLimits;

  private offset = 0;
  private inString = false;
  private escaped = false;
  /** Container kinds from the root down; its length is the current depth. */
  private readonly stack: number[] = [];
  /** For object levels on the way to the rows (depth 1..path.length): expecting a key, and the current key. */
  private readonly expectKey: boolean[] = [];
  private readonly keys: (string | undefined)[] = [];

  private capturingKey = false;
  private keyParts: Buffer[] = [];
  private keyBytes = 0;

  /** Depth of the rows array while inside it (elements sit directly at this depth), else 0. */
  private rowsDepth = 0;
  private rowsEntered = 0;
  private rowsState: RowsState = "open";
  private elementParts: Buffer[] = [];
  private elementBytes = 0;
  private rowCount = 0;

  private skeletonParts: Buffer[] = [];
  private skeletonBytes = 0;

  private problem: string | undefined;

  constructor(
    private readonly onRow: (row: Buffer, index: number) => void,
    options: { path?: readonly string[]; limits?: Partial<RowsScannerLimits> } = {}
  ) {
    this.path = options.path ?? ["response", "rows"];
    this.limits = { ...DEFAULT_SCANNER_LIMITS, ...options.limits };
  }

  /** The first problem found, if any; once set, further input is ignored. */
  get failure(): string | undefined {
    return this.problem;
  }

  write(chunk: Buffer): void {
    if (this.problem !== undefined) return;
    const pathLength = this.path.length;
    let skeletonStart = this.rowsDepth === 0 ? 0 : -1;
    let elementStart = this.rowsState === "element" && this.rowsDepth > 0 ? 0 : -1;
    let keyStart = this.capturingKey ? 0 : -1;
    const length = chunk.length;

    for (let i = 0; i < length; i++) {
      const byte = chunk[i] as number;

      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.capturingKey) {
            this.finishKey(chunk.subarray(keyStart, i + 1));
            keyStart = -1;
          }
        }
        continue;
      }

      const depth = this.stack.length;
      if (this.rowsDepth !== 0 && depth === this.rowsDepth) {
        // Directly inside the rows array: separators, the closing bracket, or the first byte of a row.
        if (byte === COMMA) {
          if (this.rowsState !== "element") return this.fail(`an element of ${this.pathText()} is missing`, i);
          this.finishElement(chunk.subarray(elementStart, i));
          elementStart = -1;
          this.rowsState = "afterComma";
          continue;
        }
        if (byte === CLOSE_OBJECT) return this.fail(`a } closes ${this.pathText()}, which is an array`, i);
        if (byte === CLOSE_ARRAY) {
          if (this.rowsState === "afterComma") return this.fail(`${this.pathText()} ends with a comma`, i);
          if (this.rowsState === "element") this.finishElement(chunk.subarray(elementStart, i));
          elementStart = -1;
          this.stack.pop();
          this.rowsDepth = 0;
          skeletonStart = i;
          continue;
        }
        if (this.rowsState !== "element") {
          if (isWhitespace(byte)) continue;
          this.rowsState = "element";
          elementStart = i;
          this.elementParts = [];
          this.elementBytes = 0;
        }
      }

      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (depth <= pathLength && depth > 0 && this.stack[depth - 1] === OBJECT && this.expectKey[depth] === true) {
            this.capturingKey = true;
            this.keyParts = [];
            this.keyBytes = 0;
            keyStart = i;
          }
          break;
        case OPEN_OBJECT:
          if (!this.push(OBJECT, i)) return;
          if (depth + 1 <= pathLength) {
            this.expectKey[depth + 1] = true;
            this.keys[depth + 1] = undefined;
          }
          break;
        case OPEN_ARRAY:
          if (this.opensRows(depth)) {
            if (this.rowsEntered > 0) return this.fail(`${this.pathText()} appears more than once`, i);
            this.rowsEntered++;
            this.stack.push(ARRAY);
            this.rowsDepth = depth + 1;
            this.rowsState = "open";
            if (!this.appendSkeleton(chunk.subarray(skeletonStart, i + 1), i)) return;
            skeletonStart = -1;
          } else if (!this.push(ARRAY, i)) return;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          // A mismatched bracket is left for JSON.parse (of the skeleton or the row) to reject.
          this.stack.pop();
          break;
        case COLON:
          if (depth <= pathLength && depth > 0) this.expectKey[depth] = false;
          break;
        case COMMA:
          if (depth <= pathLength && depth > 0 && this.stack[depth - 1] === OBJECT) this.expectKey[depth] = true;
          break;
        default:
          break;
      }
    }

    // Carry whatever is unfinished into the next chunk (copies: the chunk may be reused by the caller).
    if (this.rowsDepth === 0 && skeletonStart >= 0) this.appendSkeleton(chunk.subarray(skeletonStart), length);
    if (this.rowsDepth !== 0 && this.rowsState === "element" && elementStart >= 0) {
      this.carryElement(chunk.subarray(elementStart), length);
    }
    if (this.capturingKey && keyStart >= 0) this.carryKey(chunk.subarray(keyStart));
    this.offset += length;
  }

  end(): RowsScanOutcome {
    // Any other unfinished structure stays in the skeleton, where JSON.parse reports it in its own words.
    if (this.problem === undefined && this.rowsDepth !== 0) this.fail(`the body ends inside ${this.pathText()}`, 0);
    if (this.problem !== undefined) return { skeleton: undefined, rowCount: this.rowCount, problem: this.problem };
    const skeleton = Buffer.concat(this.skeletonParts, this.skeletonBytes).toString("utf8");
    this.skeletonParts = [];
    return { skeleton, rowCount: this.rowCount, problem: undefined };
  }

  private pathText(): string {
    return this.path.join(".");
  }

  private fail(problem: string, index: number): void {
    this.problem = `${problem} (near byte ${this.offset + index})`;
    this.skeletonParts = [];
    this.elementParts = [];
  }

  private push(kind: number, index: number): boolean {
    if (this.stack.length >= this.limits.maxDepth) {
      this.fail(`the JSON is nested more than ${this.limits.maxDepth} levels deep`, index);
      return false;
    }
    this.stack.push(kind);
    return true;
  }

  /** True when an array starting at `depth` is the value of the rows path. */
  private opensRows(depth: number): boolean {
    const pathLength = this.path.length;
    if (depth !== pathLength || this.rowsDepth !== 0) return false;
    for (let level = 1; level <= pathLength; level++) {
      if (this.stack[level - 1] !== OBJECT || this.keys[level] !== this.path[level - 1]) return false;
    }
    return this.expectKey[depth] === false;
  }

  private appendSkeleton(bytes: Buffer, index: number): boolean {
    if (bytes.length === 0) return true;
    this.skeletonBytes += bytes.length;
    if (this.skeletonBytes > this.limits.maxSkeletonBytes) {
      this.fail(
        `more than ${this.limits.maxSkeletonBytes} bytes lie outside ${this.pathText()}, which a billing result never has`,
        index
      );
      return false;
    }
    this.skeletonParts.push(Buffer.from(bytes));
    return true;
  }

  private carryElement(bytes: Buffer, index: number): void {
    this.elementBytes += bytes.length;
    if (this.elementBytes > this.limits.maxRowBytes) {
      this.fail(`row ${this.rowCount} of ${this.pathText()} is larger than ${this.limits.maxRowBytes} bytes`, index);
      return;
    }
    this.elementParts.push(Buffer.from(bytes));
  }

  private finishElement(tail: Buffer): void {
    const index = this.rowCount++;
    if (this.elementParts.length === 0) {
      if (tail.length > this.limits.maxRowBytes) {
        this.fail(`row ${index} of ${this.pathText()} is larger than ${this.limits.maxRowBytes} bytes`, 0);
        return;
      }
      this.onRow(tail, index);
      return;
    }
    if (this.elementBytes + tail.length > this.limits.maxRowBytes) {
      this.fail(`row ${index} of ${this.pathText()} is larger than ${this.limits.maxRowBytes} bytes`, 0);
      return;
    }
    const whole = Buffer.concat([...this.elementParts, tail], this.elementBytes + tail.length);
    this.elementParts = [];
    this.elementBytes = 0;
    this.onRow(whole, index);
  }

  private carryKey(bytes: Buffer): void {
    this.keyBytes += bytes.length;
    // A key this long is not one of the path's; keep scanning without remembering it.
    if (this.keyBytes <= 1024) this.keyParts.push(Buffer.from(bytes));
  }

  private finishKey(tail: Buffer): void {
    this.capturingKey = false;
    const depth = this.stack.length;
    const total = this.keyBytes + tail.length;
    let key: string | undefined;
    if (total <= 1024) {
      try {
        const decoded: unknown = JSON.parse(Buffer.concat([...this.keyParts, tail], total).toString("utf8"));
        key = typeof decoded === "string" ? decoded : undefined;
      } catch {
        key = undefined; // malformed escapes: JSON.parse of the skeleton reports it
      }
    }
    this.keys[depth] = key;
    this.keyParts = [];
    this.keyBytes = 0;
  }
}
