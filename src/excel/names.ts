/**
 * Names for what the writer creates: table names that follow Excel's rules and are unique in the
 * workbook (`Billing_<label or dimensions>_<n>`), and sheet names (≤ 31 characters, none of []:*?/\).
 * Pure: the writer passes in the names that already exist.
 */

export const TABLE_NAME_PREFIX = "Billing";
const MAX_TABLE_NAME = 255;
const MAX_SHEET_NAME = 31;

/** Does `name` follow Excel's rules for table names? */
export function isValidTableName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_TABLE_NAME) return false;
  if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name)) return false;
  if (/^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name) || /^[RrCc]$/.test(name)) return false;
  return true;
}

/** Words of a label or dimension list as a table-name fragment: `Day × Country` → `Day_Country`. */
export function tableNameFragment(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);
}

/**
 * A unique, valid table name: `Billing_<fragment>_<n>` with the smallest n ≥ 1 not taken
 * (case-insensitively, as Excel compares names). The same label and workbook give the same name.
 */
export function uniqueTableName(labelOrDimensions: string, existing: Iterable<string>): string {
  const taken = new Set([...existing].map((n) => n.toLowerCase()));
  const fragment = tableNameFragment(labelOrDimensions);
  const base = fragment ? `${TABLE_NAME_PREFIX}_${fragment}` : TABLE_NAME_PREFIX;
  for (let n = 1; ; n++) {
    const name = `${base}_${n}`;
    if (!taken.has(name.toLowerCase()) && isValidTableName(name)) return name;
  }
}

const SHEET_FORBIDDEN = /[[\]:*?/\\]/g;

export function isValidSheetName(name: string): boolean {
  return (
    name.trim().length > 0 &&
    name.length <= MAX_SHEET_NAME &&
    !/[[\]:*?/\\]/.test(name) &&
    !name.startsWith("'") &&
    !name.endsWith("'") &&
    name.toLowerCase() !== "history"
  );
}

/** A valid sheet name from free text: forbidden characters become "-", trimmed to 31 characters. */
export function sheetNameBase(text: string): string {
  const cleaned = text
    .replace(SHEET_FORBIDDEN, "-")
    .replace(/\s+/g, " ")
    .replace(/^'+|'+$/g, "")
    .trim();
  const base = cleaned.length === 0 || cleaned.toLowerCase() === "history" ? "Billing" : cleaned;
  return shortenAtWord(base, MAX_SHEET_NAME);
}

/** Cuts text to `max` characters at a word boundary when there is one, without a dangling separator. */
export function shortenAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(" ");
  const shortened = space > max / 2 ? cut.slice(0, space) : text.slice(0, max);
  return shortened.replace(/[\s×,;–-]+$/u, "").trim() || text.slice(0, max);
}

/** A unique sheet name: the base, or the base shortened to fit " (n)". */
export function uniqueSheetName(text: string, existing: Iterable<string>): string {
  const taken = new Set([...existing].map((n) => n.toLowerCase()));
  const base = sheetNameBase(text);
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const name = `${shortenAtWord(base, MAX_SHEET_NAME - suffix.length)}${suffix}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** What a table or sheet is called when the user gave no label: `Billing Day × Country`. */
export function defaultTitle(label: string | undefined, dimensionLabels: readonly string[]): string {
  const trimmed = label?.trim();
  if (trimmed) return trimmed;
  return dimensionLabels.length > 0 ? dimensionLabels.join(" × ") : "usage";
}
