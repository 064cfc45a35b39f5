import { RECONCILIATION_HEADER } from "../../test/excel/billing-fixture";
import { toExcelSerial, isoDateToUtc } from "../billing";
import type { BillingTableCells, SnapshotCell } from "./billing-table";
import { columnLetters } from "./layout";
import { uniqueSheetName } from "./names";
import {
  billingTotalFormula,
  computeReconciliationTotals,
  differenceFormula,
  differenceRuleFormula,
  NOT_IN_TABLE_STATUS,
  planReconciliation,
  reconciliationTableName,
} from "./reconciliation-plan";
import { shapeResult } from "./shape";
import { criterionMode } from "./sumifs";

const WITH_ACCOUNT = [
  "Account",
  "Category code",
  "Day",
  "Unit",
  "Unit price",
  "Quantity",
  "Total",
  "Currency",
  "Billing month",
  "Period status",
];
const NO_ACCOUNT = ["Account key", "Country", "Total", "Currency", "Billing month", "Period status"].filter(
  (c) => c !== "Account key"
);

function billingRow(
  account: string,
  total: number,
  currency: string,
  month: string,
  status = "Provisional"
): SnapshotCell[] {
  return [account, "SMS", 46300, "message", 0.01, total * 100, total, currency, month, status];
}

const BILLING: BillingTableCells = {
  header: WITH_ACCOUNT,
  rows: [
    billingRow("Beta", 5, "EUR", "2026-10"),
    billingRow("Acme", 10.1, "EUR", "2026-09", "Final"),
    billingRow("Acme", 0.2, "EUR", "2026-09", "Final"),
    billingRow("Acme", 1.25, "USD", "2026-10"),
    billingRow("ACME", 1, "USD", "2026-10"),
  ],
  billingPeriods: [
    { month: "2026-09", volumeFinalized: true },
    { month: "2026-10", volumeFinalized: false },
  ],
};

describe("formula text", () => {
  it("sums the billing table's Total by structured references, per month, currency and account", () => {
    expect(billingTotalFormula("Costs_2026", "Account")).toBe(
      "=SUMIFS(Costs_2026[Total],Costs_2026[Billing month],[@[Billing month]],Costs_2026[Currency],[@Currency],Costs_2026[Account],[@Account])"
    );
    expect(billingTotalFormula("Costs_2026", undefined)).toBe(
      "=SUMIFS(Costs_2026[Total],Costs_2026[Billing month],[@[Billing month]],Costs_2026[Currency],[@Currency])"
    );
    expect(billingTotalFormula("T", "Account key")).toContain("T[Account key],[@Account]");
  });

  it("shows the difference only once an invoice amount is typed", () => {
    expect(differenceFormula()).toBe('=IF([@[Invoice amount]]="","",[@[Invoice amount]]-[@[Billing total]])');
  });

  it("matches blank and operator-like keys exactly and escapes wildcards", () => {
    expect(criterionMode(["Acme", "Beta"])).toBe("plain");
    expect(criterionMode(["Acme", ""])).toBe("exact");
    expect(criterionMode(["<internal>"])).toBe("exact");
    expect(criterionMode(["Acme*", ""])).toBe("escaped");
    expect(billingTotalFormula("T", "Account", { currency: "plain", account: "exact" })).toContain(
      'T[Account],"="&[@Account])'
    );
    expect(billingTotalFormula("T", "Account", { currency: "plain", account: "escaped" })).toContain(
      'T[Account],"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE([@Account],"~","~~"),"*","~*"),"?","~?"))'
    );
  });

  it("marks differences beyond the tolerance from the first Difference cell", () => {
    expect(differenceRuleFormula({ row: 4, column: 7 }, "Costs_Recon_Tolerance")).toBe(
      "=AND(ISNUMBER($H5),ROUND(ABS($H5),9)>Costs_Recon_Tolerance)"
    );
    expect([columnLetters(0), columnLetters(25), columnLetters(26), columnLetters(701), columnLetters(702)]).toEqual([
      "A",
      "Z",
      "AA",
      "ZZ",
      "AAA",
    ]);
  });
});

describe("names", () => {
  it("derives the reconciliation table name and a free, valid sheet name", () => {
    expect(reconciliationTableName("Costs_2026")).toBe("Costs_2026_Recon");
    expect(uniqueSheetName("Recon Costs_2026", ["recon costs_2026"])).toBe("Recon Costs_2026 (2)");
    expect(uniqueSheetName("Recon a/b:c", [])).toBe("Recon a-b-c");
    const long = uniqueSheetName("Recon " + "x".repeat(40), ["Recon " + "x".repeat(25)]);
    expect(long).toHaveLength(31);
    expect(long.endsWith(" (2)")).toBe(true);
  });
});

describe("planReconciliation: a new sheet", () => {
  const plan = planReconciliation({ billingTableName: "Costs", billing: BILLING });

  it("has one row per billing month × currency × account, grouped as SUMIFS groups (without case)", () => {
    expect(plan.header).toEqual(RECONCILIATION_HEADER);
    expect(plan.rows.map((r) => [r.billingMonth, r.currency, r.account, r.periodStatus, r.finalizesOn])).toEqual([
      ["2026-09", "EUR", "Acme", "Final", "2026-10-05"],
      ["2026-10", "EUR", "Beta", "Provisional", "2026-11-05"],
      ["2026-10", "USD", "Acme", "Provisional", "2026-11-05"],
    ]);
    expect(plan.appendRows).toBe(3);
    expect(plan.deleteRows).toEqual([]);
    expect(plan.values.finalizesOn?.[0]).toEqual([toExcelSerial(isoDateToUtc("2026-10-05"))]);
    expect(plan.billingTotalFormula).toBe(
      "=SUMIFS(Costs[Total],Costs[Billing month],[@[Billing month]],Costs[Currency],[@Currency],Costs[Account],[@Account])"
    );
    expect(plan.numberFormats["Billing month"]).toBe("@");
    expect(plan.numberFormats["Billing total"]).toBe("#,##0.00");
  });

  it("has no account column when the billing table has none", () => {
    const noAccount = planReconciliation({
      billingTableName: "Costs",
      billing: { header: NO_ACCOUNT, rows: [["DE", 3, "EUR", "2026-10", "Provisional"]] },
    });
    expect(noAccount.header).not.toContain("Account");
    expect(noAccount.columnIndex.account).toBeUndefined();
    expect(noAccount.values.account).toBeUndefined();
    expect(noAccount.rows).toEqual([
      { billingMonth: "2026-10", currency: "EUR", periodStatus: "Provisional", finalizesOn: "2026-11-05" },
    ]);
    expect(noAccount.billingTotalFormula).not.toContain("Account");
  });

  it("takes the status from billingPeriods, or from the Period status column without them", () => {
    const closed = planReconciliation({
      billingTableName: "Costs",
      billing: {
        ...BILLING,
        billingPeriods: [
          { month: "2026-09", volumeFinalized: true },
          { month: "2026-10", volumeFinalized: true },
        ],
      },
    });
    expect(closed.rows.map((r) => r.periodStatus)).toEqual(["Final", "Final", "Final"]);
    const fromRows = planReconciliation({
      billingTableName: "Costs",
      billing: { header: BILLING.header, rows: BILLING.rows },
    });
    expect(fromRows.rows.map((r) => r.periodStatus)).toEqual(["Final", "Provisional", "Provisional"]);
  });

  it("finalizes a span of months on its last month's date", () => {
    const span = planReconciliation({
      billingTableName: "Costs",
      billing: { header: NO_ACCOUNT, rows: [["DE", 3, "EUR", "2026-08 – 2026-10", "Provisional"]] },
    });
    expect(span.rows[0]?.finalizesOn).toBe("2026-11-05");
  });

  it("names the missing column when the table is not a billing table", () => {
    expect(() =>
      planReconciliation({ billingTableName: "Sales", billing: { header: ["Total", "Currency"], rows: [] } })
    ).toThrow('Table Sales has no "Billing month" column');
  });
});

describe("planReconciliation: updating in place", () => {
  const header = [...RECONCILIATION_HEADER, "Notes"];
  const formula = "=SUMIFS(...)";
  const existing = {
    header,
    rows: [
      ["2026-10", "USD", "Acme", "Provisional", 46331, formula, 2.25, "=IF(...)", ""],
      ["2026-08", "EUR", "Acme", "Final", 46270, formula, 99, "=IF(...)", ""],
      ["2026-08", "EUR", "Gone", "Final", 46270, formula, "", "=IF(...)", ""],
      ["2026-08", "USD", "Noted", "Final", 46270, formula, "", "=IF(...)", "asked Infobip"],
      ["2026-09", "EUR", "Acme", "Provisional", 46300, formula, 10.3, "=IF(...)", ""],
    ] as SnapshotCell[][],
  };
  const plan = planReconciliation({ billingTableName: "Costs", billing: BILLING, existing });

  it("keeps rows in place, appends new keys and keeps the user's columns in the header", () => {
    expect(plan.header).toEqual(header);
    expect(plan.rows.map((r) => `${r.billingMonth} ${r.currency} ${r.account} ${r.periodStatus}`)).toEqual([
      "2026-10 USD Acme Provisional",
      `2026-08 EUR Acme ${NOT_IN_TABLE_STATUS}`,
      `2026-08 USD Noted ${NOT_IN_TABLE_STATUS}`,
      "2026-09 EUR Acme Final",
      "2026-10 EUR Beta Provisional",
    ]);
    expect(plan.appendRows).toBe(1);
  });

  it("deletes only vanished rows with nothing typed in them, and says what it did", () => {
    expect(plan.deleteRows).toEqual([2]);
    expect(plan.notes).toEqual([
      "1 new row added at the end.",
      `2 rows are no longer in table Costs and kept because they have an invoice amount or notes (Period status "${NOT_IN_TABLE_STATUS}").`,
      "1 empty row no longer in the billing table removed.",
    ]);
  });

  it("never plans a write to the Invoice amount or to the user's columns", () => {
    expect(Object.keys(plan.values)).toEqual([
      "connection",
      "billingMonth",
      "currency",
      "account",
      "periodStatus",
      "finalizesOn",
    ]);
    expect(plan.columnIndex.invoiceAmount).toBe(6);
  });

  it("refuses to match rows when the billing table gained or lost its account column", () => {
    expect(() =>
      planReconciliation({ billingTableName: "Costs", billing: { header: NO_ACCOUNT, rows: [] }, existing })
    ).toThrow("Table Costs no longer has an account column");
  });
});

describe("computeReconciliationTotals", () => {
  it("takes the writer's table shape, with its months and statuses", () => {
    const shape = shapeResult({
      requestId: "req-1",
      columns: [
        { columnName: "ACCOUNT_NAME", columnDataType: "STRING" },
        { columnName: "MONTH", columnDataType: "DATE_TIME" },
        { columnName: "QUANTITY", columnDataType: "NUMBER" },
        { columnName: "TOTAL_PER_UNIT", columnDataType: "NUMBER" },
        { columnName: "CURRENCY", columnDataType: "STRING" },
      ],
      pages: [
        [
          ["Acme", "2026-09-01T00:00:00.000+0000", 10, 1.5, "EUR"],
          ["Acme", "2026-10-01T00:00:00.000+0000", 20, 2.25, "EUR"],
          ["Beta", "2026-10-01T00:00:00.000+0000", "N/A", "N/A", "EUR"],
        ],
      ],
      requestedPeriod: { sentSince: "2026-09-01T00:00:00.000+0000", sentUntil: "2026-11-01T00:00:00.000+0000" },
      billingPeriods: [
        { month: "2026-09", volumeFinalized: true },
        { month: "2026-10", volumeFinalized: false },
      ],
      retrievedAt: new Date("2026-10-20T00:00:00Z"),
      includeUnfinalizedData: true,
    });
    expect(
      computeReconciliationTotals(shape).map((t) => [t.billingMonth, t.account, t.periodStatus, t.billingTotal])
    ).toEqual([
      ["2026-09", "Acme", "Final", 1.5],
      ["2026-10", "Acme", "Provisional", 2.25],
      ["2026-10", "Beta", "Provisional", 0],
    ]);
  });

  it("adds up Total per key as the SUMIFS formulas do", () => {
    expect(
      computeReconciliationTotals(BILLING).map((t) => [t.billingMonth, t.currency, t.account, t.billingTotal])
    ).toEqual([
      ["2026-09", "EUR", "Acme", 10.3],
      ["2026-10", "EUR", "Beta", 5],
      ["2026-10", "USD", "Acme", 2.25],
    ]);
  });

  it("ignores empty and text totals, like SUMIFS", () => {
    const totals = computeReconciliationTotals({
      header: NO_ACCOUNT,
      rows: [
        ["DE", null, "EUR", "2026-10", "Provisional"],
        ["DE", "n/a", "EUR", "2026-10", "Provisional"],
        ["DE", 1.5, "EUR", "2026-10", "Provisional"],
      ],
    });
    expect(totals).toEqual([
      {
        billingMonth: "2026-10",
        currency: "EUR",
        periodStatus: "Provisional",
        finalizesOn: "2026-11-05",
        billingTotal: 1.5,
      },
    ]);
  });
});
