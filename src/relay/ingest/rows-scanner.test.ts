import fc from "fast-check";
import { RowsScanner, type RowsScannerLimits } from "./rows-scanner";

type Reading = { ok: true; json: string } | { ok: false; reason: string };

/** Feeds `text` in the given pieces, then puts the rows back into the skeleton: what the relay reconstructs. */
function scan(text: string, cuts: number[] = [], limits: Partial<RowsScannerLimits> = {}): Reading {
  const bytes = Buffer.from(text, "utf8");
  const rows: unknown[] = [];
  let rowProblem: string | undefined;
  let handedOver = 0;
  const scanner = new RowsScanner(
    (row, index) => {
      expect(index).toBe(handedOver++);
      try {
        rows.push(JSON.parse(row.toString("utf8")));
      } catch {
        rowProblem ??= `row ${index} is not JSON`;
      }
    },
    { limits }
  );
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const point of [...points, bytes.length]) {
    scanner.write(bytes.subarray(start, point));
    start = point;
  }
  const outcome = scanner.end();
  if (outcome.problem !== undefined) return { ok: false, reason: outcome.problem };
  if (rowProblem !== undefined) return { ok: false, reason: rowProblem };
  expect(outcome.rowCount).toBe(rows.length);
  let document: unknown;
  try {
    document = JSON.parse(outcome.skeleton ?? "");
  } catch (error) {
    return { ok: false, reason: String(error) };
  }
  const response = (document as { response?: { rows?: unknown } } | null)?.response;
  if (rows.length > 0) {
    expect(Array.isArray(response?.rows) && (response.rows as unknown[]).length === 0).toBe(true);
    (response as { rows: unknown[] }).rows = rows;
  }
  return { ok: true, json: JSON.stringify(document) };
}

/** JSON.parse of the body's bytes read as UTF-8 (as the relay reads them: a lone surrogate becomes U+FFFD). */
function parseDirectly(text: string): Reading {
  try {
    return { ok: true, json: JSON.stringify(JSON.parse(Buffer.from(text, "utf8").toString("utf8"))) };
  } catch (error) {
    return { ok: false, reason: String(error) };
  }
}

const sample = {
  requestId: "B61D150B0F6596F68D88D253886432B5",
  status: "SUCCESS",
  response: {
    requestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
    totalRows: 3,
    columns: [
      { columnName: "CATEGORY_CODE", columnDataType: "STRING" },
      { columnName: "QUANTITY", columnDataType: "NUMBER" },
    ],
    rows: [
      ["SMS", 450],
      ['WHATSAPP "quoted" ], [ {', "N/A"],
      ["ünïcødé ✓ 🚀", 0.0089],
    ],
  },
  metadata: { clientRequestedPeriod: { sentSince: "2026-03-01", sentUntil: "2026-04-01" }, billingPeriods: [] },
};

describe("RowsScanner", () => {
  it("hands over every row and leaves an emptied rows array in the skeleton", () => {
    const text = JSON.stringify(sample, null, 2);
    const seen: string[] = [];
    const scanner = new RowsScanner((row) => seen.push(row.toString("utf8")));
    scanner.write(Buffer.from(text));
    const outcome = scanner.end();
    expect(outcome.problem).toBeUndefined();
    expect(outcome.rowCount).toBe(3);
    expect(seen.map((row) => JSON.parse(row) as unknown)).toEqual(sample.response.rows);
    const skeleton = JSON.parse(outcome.skeleton ?? "") as typeof sample;
    expect(skeleton.response.rows).toEqual([]);
    expect(skeleton.response.columns).toEqual(sample.response.columns);
    expect(skeleton.metadata).toEqual(sample.metadata);
  });

  it("gives the same document as JSON.parse however the bytes are cut", () => {
    const text = JSON.stringify(sample);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(scan(text, cuts)).toEqual(parseDirectly(text));
      }),
      { numRuns: 300 }
    );
  });

  it("agrees with JSON.parse on arbitrary JSON, with rows in any place and the body cut anywhere", () => {
    const document = fc.record({
      before: fc.jsonValue({ maxDepth: 3 }),
      rows: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }),
      after: fc.jsonValue({ maxDepth: 3 }),
      other: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (doc, cuts, pretty) => {
        const value = { a: doc.before, response: { ...doc.other, rows: doc.rows, z: doc.after }, tail: doc.other };
        const text = JSON.stringify(value, null, pretty ? 1 : undefined);
        const direct = parseDirectly(text);
        const scanned = scan(text, cuts);
        if (scanned.ok) expect(scanned).toEqual(direct);
        else expect(scanned.reason).toMatch(/more than once/); // a key named "rows" or "response" repeated
      }),
      { numRuns: 400 }
    );
  });

  it("never accepts a body JSON.parse refuses, and reads every body it accepts the same way", () => {
    const base = JSON.stringify(sample);
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 2 }),
      insert: fc.constantFrom("", "[", "]", "{", "}", ",", ":", '"', "\\", " ", "0", "x", '"rows":', "[]"),
    });
    fc.assert(
      fc.property(
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (edits, cuts) => {
          let text = base;
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
          }
          const direct = parseDirectly(text);
          const scanned = scan(text, cuts);
          if (scanned.ok) expect(scanned).toEqual(direct);
          else if (direct.ok) expect(scanned.reason).toMatch(/more than once/);
        }
      ),
      { numRuns: 1500 }
    );
  });

  it.each([
    ['{"response":{"rows":[,[1]]}}', /element of response.rows is missing/],
    ['{"response":{"rows":[[1],]}}', /ends with a comma/],
    ['{"response":{"rows":[[1],,[2]]}}', /element of response.rows is missing/],
    ['{"response":{"rows":[[1]}}', /closes response.rows/],
    ['{"response":{"rows":[[1],[2]', /ends inside response.rows/],
    ['{"response":{"rows":[]},"response":{"rows":[]}}', /appears more than once/],
    ['{"a":"unterminated', /Unterminated string/],
    ['{"response":{"rows":[]}', /JSON/],
  ])("reports %s as a problem", (text, reason) => {
    const reading = scan(text);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason).toMatch(reason);
  });

  it("matches the rows key written with escapes, as JSON.parse does", () => {
    const text = '{"response":{"r\\u006fws":[[1],[2]],"totalRows":2}}';
    const rows: string[] = [];
    const scanner = new RowsScanner((row) => rows.push(row.toString()));
    scanner.write(Buffer.from(text));
    expect(scanner.end().problem).toBeUndefined();
    expect(rows).toEqual(["[1]", "[2]"]);
  });

  it("leaves look-alike paths alone: rows elsewhere, or a response that is not at the top", () => {
    const text = '{"rows":[[9]],"meta":{"response":{"rows":[[8]]}},"response":{"x":{"rows":[[7]]}}}';
    expect(scan(text)).toEqual(parseDirectly(text));
    const rows: string[] = [];
    const scanner = new RowsScanner((row) => rows.push(row.toString()));
    scanner.write(Buffer.from(text));
    scanner.end();
    expect(rows).toEqual([]);
  });

  it("stops at the limits: a giant row, a large document outside the rows, deep nesting", () => {
    const bigRow = `{"response":{"rows":[["${"x".repeat(200)}"]]}}`;
    expect(scan(bigRow, [30, 90], { maxRowBytes: 100 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/row 0 .* larger than 100 bytes/),
    });
    const bigSkeleton = JSON.stringify({ padding: "y".repeat(500), response: { rows: [] } });
    expect(scan(bigSkeleton, [100], { maxSkeletonBytes: 200 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/more than 200 bytes lie outside/),
    });
    const deep = `${"[".repeat(20)}${"]".repeat(20)}`;
    expect(scan(deep, [], { maxDepth: 10 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/nested more than 10 levels/),
    });
  });
});
