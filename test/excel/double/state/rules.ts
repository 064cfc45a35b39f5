/** Excel's rules for names (sheets, tables, defined names) and what a custom XML part's XML must have. */
import { invalidArgument } from "../errors";

/** Excel compares the names of sheets, tables, columns, defined names and PivotTables without case. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/;

export function validateSheetName(name: string): void {
  if (
    name.trim().length === 0 ||
    name.length > 31 ||
    SHEET_NAME_FORBIDDEN.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'") ||
    sameName(name, "history")
  ) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: worksheet name "${name}".`);
  }
}

/** Excel's rules for a table name. */
export function validateTableName(name: string): void {
  const looksLikeCell = /^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr](\d*)[Cc](\d*)$/.test(name) || /^[RrCc]$/.test(name);
  if (name.length === 0 || name.length > 255 || !/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) || looksLikeCell) {
    throw invalidArgument(`The argument is invalid or missing or has an incorrect format: table name "${name}".`);
  }
}

/** Excel's rules for a defined name (`workbook.names.add`): letters, digits, `_` and `.`, not a cell reference, ≤ 255. */
export function validateDefinedName(name: string): void {
  if (
    name.length > 255 ||
    !/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) ||
    /^[A-Za-z]{1,3}[0-9]+$/.test(name) ||
    /^[rRcC]$/.test(name)
  ) {
    throw invalidArgument(
      `"${name}" is not a valid name (letters, digits, underscores and periods; not a cell reference).`
    );
  }
}

/** The namespace of a custom XML part's root element; the XML must be well formed enough to have one. */
export function namespaceOf(xml: string): string {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*(?::[\w.-]+)?)([^>]*)>/.exec(xml);
  const tagName = root?.[1];
  if (!root || !tagName)
    throw invalidArgument("The argument is invalid or missing or has an incorrect format: XML has no root element.");
  const prefix = tagName.includes(":") ? tagName.split(":")[0] : undefined;
  const attribute =
    prefix === undefined
      ? /\sxmlns\s*=\s*("([^"]*)"|'([^']*)')/
      : new RegExp(`\\sxmlns:${prefix}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const match = attribute.exec(root[2] ?? "");
  const closing = new RegExp(`</${escapeRegExp(tagName)}\\s*>\\s*$`);
  if (!closing.test(xml) && !/\/>\s*$/.test(root[0])) {
    throw invalidArgument(
      "The argument is invalid or missing or has an incorrect format: XML root element is not closed."
    );
  }
  return match?.[2] ?? match?.[3] ?? "";
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
