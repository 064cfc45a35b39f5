/** What a cell of a result row may be, checked the same way wherever rows are read (main thread or parse worker). */

export function describeCell(cell: unknown): string {
  if (Array.isArray(cell)) return "a list";
  if (typeof cell === "number") return `the number ${String(cell)}, which JSON cannot carry exactly`;
  return typeof cell === "object" ? "an object" : `a ${typeof cell}`;
}

/** Mirrors `RawCellSchema` of `src/billing` (string, finite number, boolean, null), checked by hand for speed. */
export function cellProblem(cell: unknown): string | undefined {
  if (cell === null || typeof cell === "string" || typeof cell === "boolean") return undefined;
  if (typeof cell === "number" && Number.isFinite(cell)) return undefined;
  return `is ${describeCell(cell)}, not text, a number, true/false or null`;
}
