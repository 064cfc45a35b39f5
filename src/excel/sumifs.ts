/**
 * SUMIFS formulas over an Excel table, written with structured references (pure): the reconciliation's
 * Billing total is one; a cost overview builds others from the same parts. The formula stays live: Excel
 * recomputes it when the table is refreshed, and the references follow the table as it grows or moves.
 *
 * Names are written as Microsoft's "Structured reference syntax rules" require
 * (https://support.microsoft.com/office/using-structured-references-with-excel-tables-f5ed2452-2337-4f71-bed3-c8ae6d2b276e):
 * - a column header holding one of tab, line feed, carriage return, `, : . [ ] # ' " { } $ ^ & * + = - > < /`
 *   takes a second pair of brackets (`Costs[[Price $]]`); a space alone does not (`Costs[Billing month]`);
 * - `[`, `]`, `#` and `'` in a header are escaped with a single quotation mark (`Costs[['#Items]]`);
 * - a table name needs no escaping, as Excel allows only letters, digits, `_`, `.` and `\` in it: an invalid
 *   one is refused here rather than written into a formula Excel would reject.
 * Sheet names in cell references are quoted (`'Cost overview'!$B$2`, a `'` doubled), which Excel accepts for
 * every sheet name; text in a formula is quoted (`"…"`, a `"` doubled).
 *
 * Criteria follow SUMIFS's matching (https://support.microsoft.com/office/sumifs-function-c9e748f5-7ea7-455d-9406-611cebce642b):
 * text is compared without case; `?` and `*` are wildcards and `~` makes them (and itself) literal; a
 * criterion starting with `=`, `<` or `>` is a comparison. So a key is written `"="&key` when a key is blank
 * or starts with an operator, and its `~ * ?` are escaped with SUBSTITUTE when a key contains them: each
 * criterion column gets the least of these that all its keys need, the same for every row, so the column
 * stays one calculated column. SUMIFS also reads number-like text as a number ("0123" matches 123); nothing
 * in a formula can change that.
 */
import { isValidTableName } from "./names";

/** How a criterion's key is written: as it is, as an exact match (`"="&key`), or exact with wildcards escaped. */
export type CriterionMode = "plain" | "exact" | "escaped";

/** The mode every one of `keys` is matched correctly with (the least of them, to keep formulas short). */
export function criterionMode(keys: readonly string[]): CriterionMode {
  if (keys.some((k) => /[~*?]/.test(k))) return "escaped";
  if (keys.some((k) => k === "" || /^[=<>]/.test(k))) return "exact";
  return "plain";
}

/** What a criterion column must equal. */
export type CriterionValue =
  /** The same row's cell of another column of the table the formula is in (a calculated column): `[@Currency]`. */
  | { thisRow: string; mode?: CriterionMode }
  /** A cell by its A1 address, on the formula's sheet or on `sheet`: `'Cost overview'!$B$2`. */
  | { cell: string; sheet?: string; mode?: CriterionMode }
  /** Fixed text, matched exactly (wildcards escaped): `"=EUR"`. */
  | { text: string };

export interface SumifsCriterion {
  /** The header of the summed table's column that is tested. */
  column: string;
  equals: CriterionValue;
}

export interface SumifsInput {
  /** The table summed (its name). */
  table: string;
  /** The header of the column summed. */
  sum: string;
  criteria: readonly SumifsCriterion[];
}

/** `=SUMIFS(Costs[Total],Costs[Billing month],[@[Billing month]],Costs[Currency],"=EUR")`. */
export function sumifsFormula({ table, sum, criteria }: SumifsInput): string {
  const pairs = criteria.map(({ column, equals }) => `${tableColumnRef(table, column)},${criterion(equals)}`);
  return `=SUMIFS(${[tableColumnRef(table, sum), ...pairs].join(",")})`;
}

function criterion(value: CriterionValue): string {
  if ("text" in value) return textLiteral(`=${escapeWildcards(value.text)}`);
  const ref = "thisRow" in value ? thisRowRef(value.thisRow) : cellRef(value.cell, value.sheet);
  switch (value.mode ?? "plain") {
    case "plain":
      return ref;
    case "exact":
      return `"="&${ref}`;
    case "escaped":
      return `"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(${ref},"~","~~"),"*","~*"),"?","~?")`;
  }
}

/** A column of a table: `Costs[Total]`, `Costs[Billing month]`, `Costs[[Price $]]`. */
export function tableColumnRef(tableName: string, column: string): string {
  if (!isValidTableName(tableName)) throw new RangeError(`"${tableName}" is not a valid Excel table name.`);
  return `${tableName}[${columnSpecifier(column)}]`;
}

/** The same row of the table the formula is in: `[@Currency]`, `[@[Billing month]]`. */
export function thisRowRef(column: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(column) ? `[@${column}]` : `[@[${escapeColumn(column)}]]`;
}

/** A cell reference, sheet-qualified when a sheet is given: `$B$2`, `'Cost overview'!$B$2`. */
export function cellRef(address: string, sheet?: string): string {
  return sheet === undefined ? address : `${quoteSheetName(sheet)}!${address}`;
}

export function quoteSheetName(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

/** Text as a formula's string constant: `"…"`, with `"` doubled. */
export function textLiteral(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** SUMIFS criterion text that matches `text` itself: `~`, `*` and `?` escaped with `~`. */
export function escapeWildcards(text: string): string {
  return text.replace(/[~*?]/g, (c) => `~${c}`);
}

/** Characters that make a header need its own brackets in a column specifier (a space alone does not). */
const NEEDS_BRACKETS = /[\t\n\r,:.[\]#'"{}$^&*+=\-<>/]/;

function columnSpecifier(column: string): string {
  const escaped = escapeColumn(column);
  return NEEDS_BRACKETS.test(column) ? `[${escaped}]` : escaped;
}

function escapeColumn(column: string): string {
  return column.replace(/['#[\]]/g, (c) => `'${c}`);
}
