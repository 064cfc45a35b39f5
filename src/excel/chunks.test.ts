import fc from "fast-check";
import { DEFAULT_PAYLOAD_BUDGET_BYTES, estimateBytes, planRowBlocks, rowBytes, splitBlock, utf8Length } from "./chunks";
import type { ExcelCell } from "./shape";

const cell = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean()
) as fc.Arbitrary<ExcelCell>;
const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { maxLength: 30 });

describe("estimateBytes", () => {
  it("is the UTF-8 size of JSON.stringify(rows), give or take the last row's comma", () => {
    fc.assert(
      fc.property(rows, (input) => {
        const exact = Buffer.byteLength(JSON.stringify(input), "utf8");
        const estimate = estimateBytes(input);
        expect(estimate).toBeGreaterThanOrEqual(exact);
        expect(estimate - exact).toBeLessThanOrEqual(1);
      })
    );
  });

  it("counts UTF-8 like Node does (lone surrogates as the replacement character)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) =>
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, "utf8"))
      )
    );
  });
});

describe("planRowBlocks", () => {
  // Every item fits a block on its own (oversized rows are tested separately).
  const sizes = fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 300 });
  const budget = fc.integer({ min: 400, max: 5000 });
  const extra = fc.integer({ min: 0, max: 100 });

  it("covers every row once, in order, each block within the budget, each block but the last full", () => {
    fc.assert(
      fc.property(
        sizes,
        budget,
        extra,
        extra,
        extra,
        (rowSizes, budgetBytes, perBlockBytes, firstBlockBytes, lastBlockBytes) => {
          const plan = planRowBlocks(rowSizes, { budgetBytes, perBlockBytes, firstBlockBytes, lastBlockBytes });
          let next = 0;
          plan.forEach((block, index) => {
            expect(block.start).toBe(next);
            next += block.count;
            const rowsBytes = rowSizes.slice(block.start, block.start + block.count).reduce((a, b) => a + b, 0);
            const expected =
              perBlockBytes +
              rowsBytes +
              (index === 0 ? firstBlockBytes : 0) +
              (index === plan.length - 1 ? lastBlockBytes : 0);
            expect(block.bytes).toBe(expected);
            expect(block.bytes).toBeLessThanOrEqual(budgetBytes);
            const following = plan[index + 1];
            if (following) {
              // Greedy fullness: the next item did not fit, so no plan has fewer blocks.
              const nextItem = following.count > 0 ? (rowSizes[following.start] ?? 0) : lastBlockBytes;
              expect(block.bytes + nextItem).toBeGreaterThan(budgetBytes);
            }
          });
          expect(next).toBe(rowSizes.length);
        }
      )
    );
  });

  it("needs no more blocks than the bytes divided by the room per block, rounded up, plus one", () => {
    fc.assert(
      fc.property(sizes, budget, (rowSizes, budgetBytes) => {
        const plan = planRowBlocks(rowSizes, { budgetBytes });
        const total = rowSizes.reduce((a, b) => a + b, 0);
        expect(plan.length).toBeLessThanOrEqual(Math.ceil((2 * total) / budgetBytes) + 1);
        expect(plan.length).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(total / budgetBytes)));
      })
    );
  });

  it("gives an empty result one block and an oversized row a block of its own", () => {
    expect(planRowBlocks([], { firstBlockBytes: 100 })).toEqual([{ start: 0, count: 0, bytes: 100 }]);
    expect(planRowBlocks([10, 5000, 10], { budgetBytes: 1000 }).map((b) => b.count)).toEqual([1, 1, 1]);
  });

  it("defaults to a 4 MB budget, under Excel on the web's 5 MB", () => {
    const row: ExcelCell[] = [
      "Main account",
      "SMS",
      46082,
      "Germany",
      "Telekom",
      "InfoSMS",
      "message",
      0.0075,
      120,
      0.9,
      "EUR",
      "2026-03",
      "Final",
    ];
    const size = rowBytes(row);
    const plan = planRowBlocks(new Array<number>(100_000).fill(size));
    for (const block of plan) expect(block.bytes).toBeLessThanOrEqual(DEFAULT_PAYLOAD_BUDGET_BYTES);
    expect(plan.length).toBe(Math.ceil((100_000 * size) / DEFAULT_PAYLOAD_BUDGET_BYTES));
  });
});

describe("splitBlock", () => {
  it("halves a block and refuses to split a single row", () => {
    expect(splitBlock({ start: 10, count: 5, bytes: 500 })).toEqual([
      { start: 10, count: 2, bytes: 200 },
      { start: 12, count: 3, bytes: 300 },
    ]);
    expect(splitBlock({ start: 3, count: 1, bytes: 9 })).toBeUndefined();
  });
});
