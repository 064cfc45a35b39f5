/** The workbook store against the strict double: one custom XML part, validated both ways, no API key. */
import type { QueryDefinition } from "../../src/billing";
import { shapeResult } from "../../src/excel/shape";
import { writeBillingTable } from "../../src/excel/table-writer";
import {
  WORKBOOK_STATE_NAMESPACE,
  WorkbookStateError,
  addPendingQuery,
  findTableRecord,
  listBillingTables,
  listPendingQueries,
  loadWorkbookState,
  removePendingQuery,
  removeTableRecord,
  resetWorkbookState,
  saveTableRecord,
  stateFromXml,
  tableRecordFor,
  type BillingTableRecord,
  type PendingQuery,
} from "../../src/excel/workbook-store";
import { createExcelDouble, type ExcelDouble } from "./excel-double";
import { fixtureInput } from "./fixtures";

const API_KEY = "App 7f1c2e9a4b8d4e0f9a1b2c3d4e5f6a7b-secret";
const NOW = new Date("2026-03-20T10:00:00Z");

const definition: QueryDefinition = {
  version: 1,
  label: "Weekly <R&D> costs",
  period: { preset: "last-month" },
  aggregateBy: ["DAY", "COUNTRY_NAME"],
  filters: { categories: ["SMS"], countryCodes: ["DE", "HR"] },
  includeUnfinalizedData: true,
};

async function withTable(excel: ExcelDouble): Promise<BillingTableRecord> {
  const shape = shapeResult(fixtureInput({ rows: 8 }));
  const written = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, { log: () => undefined });
  return tableRecordFor(
    written,
    definition,
    shape.columns.map((c) => c.header),
    shape.provenance,
    NOW
  );
}

function ourParts(excel: ExcelDouble): { xml: string }[] {
  return excel.inspect.customXmlParts().filter((p) => p.namespaceUri === WORKBOOK_STATE_NAMESPACE);
}

describe("workbook store", () => {
  let excel: ExcelDouble;
  beforeEach(() => {
    excel = createExcelDouble();
  });

  it("starts empty and round-trips a table's definition and provenance through one custom XML part", async () => {
    expect(await loadWorkbookState(excel.newContext())).toEqual({ version: 1, tables: [], pendingQueries: [] });
    const record = await withTable(excel);
    await saveTableRecord(excel.newContext(), record);
    await saveTableRecord(excel.newContext(), { ...record, writtenAt: "2026-03-21T08:00:00.000Z" });
    expect(ourParts(excel)).toHaveLength(1);
    const state = await loadWorkbookState(excel.newContext());
    expect(state.tables).toEqual([{ ...record, writtenAt: "2026-03-21T08:00:00.000Z" }]);
    expect(state.tables[0]?.definition.period).toEqual({ preset: "last-month" });
    expect(ourParts(excel)[0]?.xml).toContain("&lt;R&amp;D&gt;");
  });

  it("never writes the API key, even when one is smuggled onto the objects it saves", async () => {
    const record = await withTable(excel);
    const smuggled = {
      ...record,
      apiKey: API_KEY,
      definition: { ...definition, apiKey: API_KEY },
    } as unknown as BillingTableRecord;
    await saveTableRecord(excel.newContext(), smuggled);
    const pending = {
      queryId: "q-1",
      destination: { kind: "new-sheet" },
      submittedAt: NOW.toISOString(),
      apiKey: API_KEY,
    } as unknown as PendingQuery;
    await addPendingQuery(excel.newContext(), pending);
    const xml = ourParts(excel)
      .map((p) => p.xml)
      .join("\n");
    expect(xml).toContain("q-1");
    expect(xml).not.toContain(API_KEY);
    expect(xml).not.toContain("7f1c2e9a4b8d");
    expect(xml.toLowerCase()).not.toContain("apikey");
  });

  it("refuses to save a record with a wrong field, in plain words", async () => {
    const record = await withTable(excel);
    const wrong = {
      ...record,
      definition: { ...definition, filters: { countryCodes: ["Germany"] } },
    } as unknown as BillingTableRecord;
    await expect(saveTableRecord(excel.newContext(), wrong)).rejects.toThrow(
      /Cannot save the record of table .*: definition\.filters\.countryCodes\.0/
    );
    expect(ourParts(excel)).toHaveLength(0);
  });

  it("lists the billing tables that still exist, following renames by table id", async () => {
    const first = await withTable(excel);
    const second = await withTable(excel);
    await saveTableRecord(excel.newContext(), first);
    await saveTableRecord(excel.newContext(), second);
    const ctx = excel.newContext();
    ctx.workbook.tables.getItem(first.tableName).name = "MyCosts";
    ctx.workbook.tables.getItem(second.tableName).delete();
    await ctx.sync();
    const listed = await listBillingTables(excel.newContext());
    expect(listed).toEqual([{ ...first, tableName: "MyCosts" }]);
    expect(await findTableRecord(excel.newContext(), "mycosts")).toMatchObject({ tableId: first.tableId });
    await removeTableRecord(excel.newContext(), first.tableId);
    expect((await loadWorkbookState(excel.newContext())).tables.map((t) => t.tableName)).toEqual([second.tableName]);
  });

  it("keeps every record when saves run at the same time (Refresh all)", async () => {
    const records = await Promise.all([1, 2, 3, 4].map(() => withTable(excel)));
    await Promise.all(records.map((record) => saveTableRecord(excel.newContext(), record)));
    expect((await loadWorkbookState(excel.newContext())).tables.map((t) => t.tableName).sort()).toEqual(
      records.map((r) => r.tableName).sort()
    );
  });

  it("adds, lists and removes pending queries", async () => {
    const a: PendingQuery = {
      queryId: "q-a",
      label: "March",
      destination: { kind: "new-sheet" },
      definition,
      submittedAt: NOW.toISOString(),
    };
    const b: PendingQuery = {
      queryId: "q-b",
      destination: { kind: "replace", tableName: "Billing_Day_1" },
      submittedAt: NOW.toISOString(),
    };
    await addPendingQuery(excel.newContext(), a);
    await addPendingQuery(excel.newContext(), b);
    await addPendingQuery(excel.newContext(), { ...a, label: "March (again)" });
    expect(await listPendingQueries(excel.newContext())).toEqual([b, { ...a, label: "March (again)" }]);
    await removePendingQuery(excel.newContext(), "q-b");
    expect((await listPendingQueries(excel.newContext())).map((q) => q.queryId)).toEqual(["q-a"]);
  });

  it.each([
    [
      "not JSON",
      `<billingUsage xmlns="${WORKBOOK_STATE_NAMESPACE}"><state>{oops</state></billingUsage>`,
      /not valid JSON/,
    ],
    ["no state element", `<billingUsage xmlns="${WORKBOOK_STATE_NAMESPACE}"/>`, /no <state> element/],
    [
      "a wrong field",
      `<billingUsage xmlns="${WORKBOOK_STATE_NAMESPACE}"><state>{"version":1,"tables":[{"tableName":""}],"pendingQueries":[]}</state></billingUsage>`,
      /damaged \(tables\.0\.tableName: /,
    ],
  ])("explains a damaged part (%s) instead of crashing, and can reset it", async (_case, xml, message) => {
    const ctx = excel.newContext();
    ctx.workbook.customXmlParts.add(xml);
    await ctx.sync();
    await expect(loadWorkbookState(excel.newContext())).rejects.toThrow(message);
    await expect(loadWorkbookState(excel.newContext())).rejects.toBeInstanceOf(WorkbookStateError);
    await resetWorkbookState(excel.newContext());
    expect(await loadWorkbookState(excel.newContext())).toEqual({ version: 1, tables: [], pendingQueries: [] });
  });

  it("uses the first of duplicated parts and removes the others on the next save", async () => {
    const ctx = excel.newContext();
    const empty = `<billingUsage xmlns="${WORKBOOK_STATE_NAMESPACE}"><state>{"version":1,"tables":[],"pendingQueries":[]}</state></billingUsage>`;
    ctx.workbook.customXmlParts.add(empty);
    ctx.workbook.customXmlParts.add(empty);
    await ctx.sync();
    await addPendingQuery(excel.newContext(), {
      queryId: "q-1",
      destination: { kind: "new-sheet" },
      submittedAt: NOW.toISOString(),
    });
    expect(ourParts(excel)).toHaveLength(1);
    expect(stateFromXml(ourParts(excel)[0]?.xml ?? "").pendingQueries.map((q) => q.queryId)).toEqual(["q-1"]);
  });
});
