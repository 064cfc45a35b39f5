/**
 * "Check this Excel": the add-in's own workbook code, run in the user's Excel on scratch sheets, with what Excel
 * stored read back and compared to what was meant. It is how anyone with Excel proves the add-in works on their
 * machine, and what support asks for: the report names the Excel version, the platform and the requirement sets.
 *
 * It writes a small billing table with every kind of column (through the same writer a query uses), adds a column
 * and formulas of "the user's" beside it, refreshes it in place, builds its reconciliation and a PivotTable, and
 * reads back values, types, number formats, formulas and date serials. Everything it creates — the scratch sheet,
 * the reconciliation and PivotTable sheets, the tolerance name — is removed at the end, also when a step fails, and
 * the sheet that was active is active again. The user's own sheets are never written: the only thing the check does
 * outside its own sheets is to read which sheets and names exist, so that it removes only what it made.
 */
import type { BillingPeriod, ColumnInfo, RawCell } from "../billing";
import { BILLING_TABLE_COLUMNS, headerLabels } from "./billing-table";
import type { Log } from "./batches";
import { NUMBER_FORMATS } from "./formats";
import { createBillingPivot } from "./pivot";
import { buildReconciliation, updateReconciliation } from "./reconciliation";
import { replaceTableRowsInPlace } from "./refresh-in-place";
import { FEATURES, supports, type FeatureName, type HostRequirements } from "./requirements";
import { shapeResult, type TableShape } from "./shape";
import { CELL_TEXT_LIMIT, CUT_MARKER, serialIn, type DateSystem } from "./sheet-cells";
import { writeBillingTable } from "./table-writer";

export type CheckOutcome = "pass" | "fail" | "unavailable";

export interface SelfTestCheck {
  title: string;
  outcome: CheckOutcome;
  /** What was found, in plain words (what failed, or why a feature is unavailable). */
  detail: string;
}

export interface HostInfo {
  /** `Office.context.diagnostics.version`, e.g. 16.0.18526.20168. */
  excelVersion: string;
  /** `Office.context.diagnostics.platform`: PC, Mac, OfficeOnline, iOS… */
  platform: string;
}

export interface SelfTestReport {
  /** ISO 8601 UTC instant the check ran. */
  ranAt: string;
  host: HostInfo;
  /** The requirement sets this Excel supports, e.g. "ExcelApi 1.17", "SharedRuntime 1.1". */
  requirementSets: string[];
  dateSystem: DateSystem | undefined;
  checks: SelfTestCheck[];
  /** No check failed (features this Excel lacks are "unavailable", not failures). */
  passed: boolean;
}

/** `Excel.run`. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface SelfTestDeps {
  run: ExcelRun;
  host: HostRequirements;
  info: HostInfo;
  now: Date;
  log?: Log;
}

/** The scratch sheet's name; its table is `Billing_Self_test_<n>`. */
export const SCRATCH_SHEET = "BU self-test";
const TITLE = "Self-test";
const OURS = /^(BU self-test|Recon Billing_Self_test|Pivot Billing_Self_test|BU_Staging_)/;

// ------------------------------------------------------------------ the sample (pure)

const SAMPLE_COLUMNS: ColumnInfo[] = [
  { columnName: "ACCOUNT_NAME", columnDataType: "STRING" },
  { columnName: "ACCOUNT_KEY", columnDataType: "STRING" },
  { columnName: "DAY", columnDataType: "DATE_TIME" },
  { columnName: "MONTH", columnDataType: "DATE_TIME" },
  { columnName: "COUNTRY_NAME", columnDataType: "STRING" },
  { columnName: "SENDER", columnDataType: "STRING" },
  { columnName: "CAMPAIGN_REFERENCE", columnDataType: "STRING" },
  { columnName: "SENT_AT", columnDataType: "DATE_TIME" },
  { columnName: "IS_TEST", columnDataType: "BOOLEAN" },
  { columnName: "SEGMENTS", columnDataType: "NUMBER" },
  { columnName: "UNIT_TYPE", columnDataType: "STRING" },
  { columnName: "UNIT_PRICE", columnDataType: "NUMBER" },
  { columnName: "QUANTITY", columnDataType: "NUMBER" },
  { columnName: "TOTAL_PER_UNIT", columnDataType: "NUMBER" },
  { columnName: "CURRENCY", columnDataType: "STRING" },
];

/** An ID longer than a number keeps (Excel would round it past 15 digits). */
export const SAMPLE_ACCOUNT_KEY = "754564654689123456";
/** Text Excel would run as formulas or turn into numbers. */
export const SAMPLE_TEXTS = { sender: "+385911234567", zeros: "0044123", formula: "=SPRING" } as const;
const LONG_TEXT = "x".repeat(CELL_TEXT_LIMIT + 1000);
const UNIT_PRICE = 0.0075;
const QUANTITY = 100;
const TOTAL = 0.75;

/**
 * The sample result: `rows` rows of March 2026 (provisional), every kind of column: dates (day, month, date and
 * time), prices, quantities, totals, another number, a boolean, text, IDs, and text that looks like a formula or a
 * number, or is longer than a cell holds.
 */
export function sampleShape(rows: number, retrievedAt: Date): TableShape {
  const raw: RawCell[][] = Array.from({ length: rows }, (_, i) => [
    "Main account",
    SAMPLE_ACCOUNT_KEY,
    "2026-03-01T00:00:00.000+0000",
    "2026-03-01T00:00:00.000+0000",
    i % 2 === 0 ? "Croatia" : "Germany",
    i === 0 ? SAMPLE_TEXTS.sender : SAMPLE_TEXTS.zeros,
    i === 0 ? LONG_TEXT : SAMPLE_TEXTS.formula,
    "2026-03-01T08:30:00.000+0000",
    true,
    2,
    "message",
    UNIT_PRICE,
    QUANTITY,
    TOTAL,
    "EUR",
  ]);
  const period = { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" };
  const billingPeriods: BillingPeriod[] = [{ month: "2026-03", volumeFinalized: false }];
  return shapeResult({
    requestId: "self-test",
    columns: SAMPLE_COLUMNS,
    pages: [raw],
    requestedPeriod: period,
    billingPeriods,
    retrievedAt,
    includeUnfinalizedData: true,
  });
}

/** 2026-03-01 as an Excel serial in the 1900 date system. */
const MARCH_FIRST_1900 = 46_082;

// ------------------------------------------------------------------ the report (pure)

const MARK: Record<CheckOutcome, string> = { pass: "PASS", fail: "FAIL", unavailable: "N/A " };

/** The report as plain text, for a support ticket. */
export function selfTestReportText(report: SelfTestReport): string {
  return [
    `Billing Usage — Check this Excel: ${report.passed ? "passed" : "FAILED"}`,
    `Run at: ${report.ranAt.slice(0, 19).replace("T", " ")} UTC`,
    `Excel: ${report.host.excelVersion} on ${report.host.platform}`,
    `Requirement sets: ${report.requirementSets.join(", ") || "none reported"}`,
    `Date system: ${report.dateSystem ?? "unknown"}`,
    "",
    ...report.checks.map((check) => `${MARK[check.outcome]}  ${check.title}: ${check.detail}`),
  ].join("\n");
}

/** The highest version of a requirement set this host supports, or undefined. */
function highest(host: HostRequirements, set: string, minors: number): string | undefined {
  let found: string | undefined;
  for (let minor = 1; minor <= minors; minor++) {
    if (host.isSetSupported(set, `1.${minor}`)) found = `1.${minor}`;
  }
  return found;
}

// ------------------------------------------------------------------ the run

class Checks {
  readonly list: SelfTestCheck[] = [];
  pass(title: string, detail: string): void {
    this.list.push({ title, outcome: "pass", detail });
  }
  fail(title: string, detail: string): void {
    this.list.push({ title, outcome: "fail", detail });
  }
  unavailable(title: string, feature: FeatureName): void {
    const f = FEATURES[feature];
    this.list.push({ title, outcome: "unavailable", detail: `this Excel lacks ExcelApi ${f.excelApi} (${f.where})` });
  }
  /** Records "pass" when `problems` is empty, else "fail" with them. */
  expect(title: string, problems: readonly string[], passDetail: string): boolean {
    if (problems.length === 0) this.pass(title, passDetail);
    else this.fail(title, problems.join("; "));
    return problems.length === 0;
  }
}

interface RowRead {
  header: string[];
  values: unknown[];
  types: string[];
  formats: string[];
  formulas: unknown[];
  text: string[];
}

/** Row `index` of a table's body, as Excel stored it. */
async function readRow(context: Excel.RequestContext, tableName: string, index: number): Promise<RowRead> {
  const table = context.workbook.tables.getItem(tableName);
  const header = table.getHeaderRowRange().load("values");
  const row = table.getDataBodyRange().getRow(index).load("values, valueTypes, numberFormat, formulas, text");
  await context.sync();
  return {
    header: headerLabels(header.values),
    values: row.values[0] ?? [],
    types: (row.valueTypes[0] ?? []).map(String),
    formats: (row.numberFormat[0] ?? []).map(String),
    formulas: row.formulas[0] ?? [],
    text: (row.text[0] ?? []).map(String),
  };
}

function at(
  read: RowRead,
  header: string
): { value: unknown; type: string; format: string; formula: unknown; text: string } {
  const i = read.header.indexOf(header);
  return {
    value: read.values[i],
    type: read.types[i] ?? "",
    format: read.formats[i] ?? "",
    formula: read.formulas[i],
    text: read.text[i] ?? "",
  };
}

function textProblems(read: RowRead, header: string, expected: string): string[] {
  const cell = at(read, header);
  if (cell.value === expected && cell.type === "String") return [];
  return [
    `${header} holds ${JSON.stringify(cell.value)} (${cell.type}) instead of the text ${JSON.stringify(expected)}`,
  ];
}

/** Runs the check (see the file comment); never throws: every problem is a failed check in the report. */
export async function runSelfTest(deps: SelfTestDeps): Promise<SelfTestReport> {
  const checks = new Checks();
  const { run, host, now } = deps;
  const excelApi = highest(host, "ExcelApi", 20);
  const requirementSets = [
    ...(excelApi ? [`ExcelApi ${excelApi}`] : []),
    ...(host.isSetSupported("SharedRuntime", "1.1") ? ["SharedRuntime 1.1"] : []),
    ...(highest(host, "DialogApi", 2) ? [`DialogApi ${highest(host, "DialogApi", 2)}`] : []),
  ];
  checks.pass(
    "This Excel",
    `${deps.info.excelVersion} on ${deps.info.platform}; ${excelApi ? `Excel JavaScript API up to ${excelApi}` : "no Excel JavaScript API"}` +
      `${host.isSetSupported("SharedRuntime", "1.1") ? "; shared runtime (ribbon Refresh all)" : "; no shared runtime: the ribbon's buttons are not shown, use the pane"}`
  );

  // What exists before the check: only what it adds is removed at the end.
  let before: { sheets: Set<string>; names: Set<string>; active: string } | undefined;
  let dateSystem: DateSystem | undefined;
  try {
    before = await run(async (context) => {
      const sheets = context.workbook.worksheets.load("items/name");
      const names = context.workbook.names.load("items/name");
      const active = context.workbook.worksheets.getActiveWorksheet().load("name");
      await context.sync();
      return {
        sheets: new Set(sheets.items.map((s) => s.name)),
        names: new Set(names.items.map((n) => n.name)),
        active: active.name,
      };
    });
  } catch (error) {
    checks.fail("Read the workbook", message(error));
    return finish();
  }

  let tableName: string | undefined;
  try {
    const shape = sampleShape(3, now);
    const written = await run((context) =>
      writeBillingTable(
        context,
        shape,
        { kind: "new-sheet", sheetName: SCRATCH_SHEET },
        quietly(deps, "Self-test", host)
      )
    );
    tableName = written.tableName;
    dateSystem = written.dateSystem;
    checks.pass("Write a billing table", `${written.rowCount} rows in ${written.syncs} requests, on a scratch sheet`);
    checks.pass("Date system", dateSystem === 1904 ? "1904 (dates are written for it)" : "1900");
    await checkStoredCells(run, tableName, dateSystem, written.cutCells, checks);
    await checkRefresh(deps, tableName, checks);
    await checkReconciliation(run, tableName, dateSystem, checks);
    await checkPivot(run, tableName, host, checks);
  } catch (error) {
    checks.fail(tableName ? "Checks on the table" : "Write a billing table", message(error));
  } finally {
    await cleanUp(run, before, checks);
  }
  return finish();

  function finish(): SelfTestReport {
    return {
      ranAt: now.toISOString(),
      host: deps.info,
      requirementSets,
      dateSystem,
      checks: checks.list,
      passed: checks.list.every((c) => c.outcome !== "fail"),
    };
  }
}

function quietly(deps: SelfTestDeps, title: string, host: HostRequirements) {
  return { title, host, log: deps.log ?? (() => undefined) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function checkStoredCells(
  run: ExcelRun,
  tableName: string,
  dateSystem: DateSystem,
  cutCells: number,
  checks: Checks
): Promise<void> {
  const c = BILLING_TABLE_COLUMNS;
  const [first, second] = await run(async (context) => [
    await readRow(context, tableName, 0),
    await readRow(context, tableName, 1),
  ]);
  checks.expect(
    "Text stays text",
    [
      ...textProblems(first, "Sender", SAMPLE_TEXTS.sender),
      ...textProblems(second, "Sender", SAMPLE_TEXTS.zeros),
      ...textProblems(second, "Campaign reference", SAMPLE_TEXTS.formula),
      ...textProblems(first, "Account key", SAMPLE_ACCOUNT_KEY),
      ...textProblems(first, c.billingMonth, "2026-03"),
      ...textProblems(first, c.periodStatus, "Provisional"),
    ],
    "phone numbers, leading zeros, long IDs and text starting with = or + are stored as written"
  );
  const long = at(first, "Campaign reference").value;
  checks.expect(
    "Long text is cut, not refused",
    typeof long === "string" && long.length === CELL_TEXT_LIMIT && long.endsWith(CUT_MARKER) && cutCells === 1
      ? []
      : [
          `the ${CELL_TEXT_LIMIT + 1000}-character cell reads back as ${typeof long === "string" ? `${long.length} characters` : String(long)}`,
        ],
    `a cell longer than ${CELL_TEXT_LIMIT.toLocaleString("en-US")} characters was cut, with a marker`
  );
  const numbers: [string, unknown, string][] = [
    [c.unitPrice, UNIT_PRICE, NUMBER_FORMATS.unitPrice],
    [c.quantity, QUANTITY, NUMBER_FORMATS.quantityWhole],
    [c.total, TOTAL, NUMBER_FORMATS.total],
    ["SEGMENTS", 2, "General"],
    ["IS_TEST", true, "General"],
  ];
  checks.expect(
    "Numbers and their formats",
    numbers.flatMap(([header, value, format]) => {
      const cell = at(first, header);
      return cell.value === value && cell.format === format
        ? []
        : [
            `${header} holds ${JSON.stringify(cell.value)} formatted ${JSON.stringify(cell.format)}, not ${JSON.stringify(value)} formatted ${JSON.stringify(format)}`,
          ];
    }),
    "prices, quantities, totals, other numbers and TRUE/FALSE are numbers with the right formats"
  );
  const day = at(first, c.day);
  const expectedSerial = serialIn(MARCH_FIRST_1900, dateSystem);
  checks.expect(
    "Dates",
    [
      ...(day.value === expectedSerial && day.text === "2026-03-01"
        ? []
        : [`Day holds ${String(day.value)} shown as "${day.text}", not ${expectedSerial} shown as "2026-03-01"`]),
      ...(at(first, c.month).text === "2026-03" ? [] : [`Month shows "${at(first, c.month).text}", not "2026-03"`]),
      ...(at(first, "SENT_AT").text === "2026-03-01 08:30"
        ? []
        : [`SENT_AT shows "${at(first, "SENT_AT").text}", not "2026-03-01 08:30"`]),
    ],
    `dates are serials of the ${dateSystem} date system and show as 2026-03-01`
  );
}

async function checkRefresh(deps: SelfTestDeps, tableName: string, checks: Checks): Promise<void> {
  const title = "Refresh in place keeps your columns and formulas";
  const { run, host, now } = deps;
  // "The user's" work beside the table: a calculated column, and a total outside it.
  await run(async (context) => {
    const table = context.workbook.tables.getItem(tableName);
    table.columns.add(undefined, undefined, "My check").getDataBodyRange().formulas = [["=[@Total]*2"]];
    await context.sync();
  });
  const userTotal = `=SUM(${tableName}[Total])`;
  await run(async (context) => {
    const table = context.workbook.tables.getItem(tableName).load("name");
    const range = table.getRange().load("columnIndex, columnCount, rowIndex");
    await context.sync();
    table.worksheet.getCell(range.rowIndex, range.columnIndex + range.columnCount + 1).formulas = [[userTotal]];
    await context.sync();
  });
  if (!supports(host, "refreshInPlace")) {
    checks.unavailable(title, "refreshInPlace");
    return;
  }
  const refreshed = await run((context) =>
    replaceTableRowsInPlace(context, tableName, sampleShape(5, now), quietly(deps, TITLE, host))
  );
  const problems = await run(async (context) => {
    const table = context.workbook.tables.getItem(tableName);
    const header = table.getHeaderRowRange().load("values");
    const range = table.getRange().load("columnIndex, columnCount, rowIndex");
    const body = table.getDataBodyRange().load("rowCount, formulas");
    await context.sync();
    const outside = table.worksheet.getCell(range.rowIndex, range.columnIndex + range.columnCount + 1).load("formulas");
    await context.sync();
    const labels = headerLabels(header.values);
    const mine = labels.indexOf("My check");
    const found: string[] = [];
    if (body.rowCount !== 5) found.push(`the table has ${body.rowCount} rows, not 5`);
    if (mine < 0) found.push(`the column "My check" is gone`);
    else if (!body.formulas.every((row) => row[mine] === "=[@Total]*2"))
      found.push(`"My check" lost its formula on some rows`);
    if (outside.formulas[0]?.[0] !== userTotal)
      found.push(`the total beside the table now reads ${String(outside.formulas[0]?.[0])}`);
    return found;
  });
  checks.expect(
    title,
    problems,
    `${refreshed.rowCount} rows replaced in ${refreshed.syncs} requests; your column and formulas kept`
  );
}

async function checkReconciliation(
  run: ExcelRun,
  tableName: string,
  dateSystem: DateSystem,
  checks: Checks
): Promise<void> {
  const title = "Reconciliation";
  const built = await run((context) => buildReconciliation(context, tableName));
  const problems = await run(async (context) => {
    const table = context.workbook.tables.getItem(built.tableName);
    const header = table.getHeaderRowRange().load("values");
    const body = table.getDataBodyRange().load("values, formulas");
    const billing = context.workbook.tables.getItem(tableName).getDataBodyRange().load("rowCount");
    await context.sync();
    const labels = headerLabels(header.values);
    const total = labels.indexOf("Billing total");
    const finalizes = labels.indexOf("Finalizes on");
    const row = body.values[0] ?? [];
    const formula = String(body.formulas[0]?.[total] ?? "");
    const expectedTotal = Math.round(billing.rowCount * TOTAL * 100) / 100;
    const found: string[] = [];
    if (!formula.startsWith("=SUMIFS(")) found.push(`Billing total holds ${formula}, not a SUMIFS formula`);
    if (typeof row[total] !== "number" || Math.abs(row[total] - expectedTotal) > 1e-9)
      found.push(`Billing total shows ${String(row[total])}, not ${expectedTotal}`);
    const expectedFinal = serialIn(MARCH_FIRST_1900 + 35, dateSystem); // 2026-04-05
    if (row[finalizes] !== expectedFinal)
      found.push(`Finalizes on holds ${String(row[finalizes])}, not ${expectedFinal}`);
    return found;
  });
  checks.expect(title, problems, `${built.rowCount} row(s) of live SUMIFS totals, computed by Excel`);
  // Refreshing the billing table updates its reconciliation in place too.
  await run((context) => updateReconciliation(context, tableName));
}

async function checkPivot(run: ExcelRun, tableName: string, host: HostRequirements, checks: Checks): Promise<void> {
  const title = "PivotTable";
  if (!supports(host, "pivotTables")) {
    checks.unavailable(title, "pivotTables");
    return;
  }
  const outcome = await run((context) => createBillingPivot(context, { tableName, rowFields: ["Country"] }, host));
  if (outcome.created)
    checks.pass(
      title,
      `created (${outcome.currencyMode === "filter" ? "filtered to one currency" : "one currency per row group"})`
    );
  else checks.fail(title, outcome.message);
}

/** Removes the sheets and names the check added, and activates the sheet that was active. */
async function cleanUp(
  run: ExcelRun,
  before: { sheets: Set<string>; names: Set<string>; active: string } | undefined,
  checks: Checks
): Promise<void> {
  if (!before) return;
  try {
    const removed = await run(async (context) => {
      const sheets = context.workbook.worksheets.load("items/name");
      const names = context.workbook.names.load("items/name");
      await context.sync();
      const ours = sheets.items.filter((s) => !before.sheets.has(s.name) && OURS.test(s.name)).map((s) => s.name);
      const ourNames = names.items
        .filter((n) => !before.names.has(n.name) && n.name.startsWith("Billing_Self_test"))
        .map((n) => n.name);
      context.workbook.worksheets.getItem(before.active).activate();
      for (const name of ourNames) context.workbook.names.getItem(name).delete();
      for (const name of ours) context.workbook.worksheets.getItem(name).delete();
      await context.sync();
      return ours;
    });
    checks.pass("Scratch sheets removed", removed.length > 0 ? removed.join(", ") : "nothing was left to remove");
  } catch (error) {
    checks.fail(
      "Scratch sheets removed",
      `${message(error)}. Delete the sheets starting with "${SCRATCH_SHEET}", "Recon Billing_Self_test" or "Pivot Billing_Self_test" by hand.`
    );
  }
}
