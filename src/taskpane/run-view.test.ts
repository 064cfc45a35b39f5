import { predictColumns } from "../billing";
import { errorForStatus } from "./relay-client";
import type { RunOutcome } from "./query-runner";
import { describeMovedEnd, describeStep, formatElapsed, statusLine } from "./run-view";

describe("status words", () => {
  it("say where the query is, with counts", () => {
    expect(describeStep({ step: "receiving", queryId: "q", received: 10000, total: 123456 })).toBe(
      "Receiving rows: 10,000 of 123,456"
    );
    expect(describeStep({ step: "writing", queryId: "q", written: 5, total: 9 })).toBe("Writing rows: 5 of 9");
    expect(formatElapsed(65_000)).toBe("1 min 05 s");
    expect(formatElapsed(9_999)).toBe("9 s");
  });
});

describe("the status line", () => {
  const done: RunOutcome = {
    kind: "done",
    queryId: "q1",
    elapsedMs: 12_000,
    placement: { message: "Wrote table Billing_1 on sheet \u201cMarch\u201d: 3 rows.", rowsWritten: 3 },
    result: {
      queryId: "q1",
      definition: {
        version: 1,
        period: { preset: "this-month" },
        aggregateBy: ["MONTH"],
        filters: {},
        includeUnfinalizedData: true,
      },
      columns: predictColumns(["MONTH"]),
      rows: [],
      retrievedAt: new Date("2026-03-15T10:00:00Z"),
    },
  };
  const moved = {
    asked: { sentSince: "2026-03-01", sentUntil: "2026-04-01" },
    sent: { sentSince: "2026-03-01", sentUntil: "2026-03-15" },
  };

  it("counts the tables refreshing before anything else", () => {
    expect(statusLine({ kind: "idle" }, { A: "Waiting", B: "Writing" })).toBe("Refreshing 2 billing tables\u2026");
    expect(statusLine({ kind: "idle" }, {})).toBe("");
  });

  it("says how a run ended, and when its end moved back to today", () => {
    expect(statusLine({ kind: "finished", outcome: done, title: "x" }, {})).toBe(
      "Done in 12 s: Wrote table Billing_1 on sheet \u201cMarch\u201d: 3 rows."
    );
    expect(statusLine({ kind: "finished", outcome: { ...done, endMoved: moved }, title: "x" }, {})).toBe(
      `Done in 12 s: Wrote table Billing_1 on sheet \u201cMarch\u201d: 3 rows. ${describeMovedEnd(moved)}`
    );
    const failed: RunOutcome = {
      kind: "failed",
      error: errorForStatus(403, undefined),
      elapsedMs: 0,
      pendingKept: false,
    };
    expect(statusLine({ kind: "finished", outcome: failed, title: "x" }, {})).toBe(
      "Stopped: The API key is not allowed to read billing usage."
    );
  });

  it("names the days the shortened period covers, the last one included", () => {
    expect(describeMovedEnd(moved)).toBe(
      "Infobip did not accept a period ending after today, so the query ran up to today instead: " +
        "1 March 2026 to 14 March 2026 (UTC). Today's usage is not included yet."
    );
  });
});
