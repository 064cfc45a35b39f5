/**
 * A small Excel formula evaluator for the strict double, so tests can read what the sheets we write compute
 * (the reconciliation's and the cost overview's live formulas). It knows the formulas we write and no more:
 * numbers, text, `&`, arithmetic and comparisons; A1 references and ranges on the formula's sheet (or
 * `'Sheet'!A1`); structured references (`Costs[Total]`, `Costs[[Price $]]`, `[@Currency]`, `[@[Billing month]]`);
 * and SUMIFS, COUNTIFS, COUNTIF, SUM, AVERAGE, MIN, MAX, ROUND, IF, INDEX, MATCH, RANK.EQ, SUBSTITUTE.
 *
 * It follows Excel where our formulas depend on it
 * (https://support.microsoft.com/office/sumifs-function-c9e748f5-7ea7-455d-9406-611cebce642b and the pages of
 * each function): criteria compare text without case, `*` `?` are wildcards and `~` escapes them, a leading
 * `=`, `<>`, `<`, `>`, `<=`, `>=` is a comparison ("=" alone matches blank cells), an empty criterion cell
 * matches nothing; SUM and friends skip text; a reference to an empty cell is 0 in arithmetic and "" in
 * text; INDEX into one row picks a column; MATCH(…, 0) is exact and without case; RANK.EQ ranks the largest
 * first. Anything else throws, so a formula the evaluator does not know fails a test instead of passing.
 */
import type { CellValue } from "./double";
import type { WorkbookState } from "./double/state/workbook-state";
import type { SheetState } from "./double/state/cells";
import type { TableState } from "./double/state/tables";
import { parseA1 } from "./double/address";

type Scalar = CellValue;
interface RangeValue {
  kind: "range";
  rows: Scalar[][];
  /** True for cells that were empty (a reference to one is 0 in arithmetic). */
  empty: boolean[][];
}
type Value = Scalar | RangeValue;

const ERRORS = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!"];
const isError = (v: Value): boolean => typeof v === "string" && ERRORS.includes(v);

// ------------------------------------------------------------------ tokens

type Token =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "op"; v: string }
  | { t: "func"; v: string }
  | { t: "ref"; v: string }
  | { t: "struct"; table: string; spec: string }
  | { t: "err"; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const bracketed = (from: number): number => {
    // From an opening "[", to just after its matching "]" (a ' escapes the next character).
    let depth = 0;
    for (let j = from; j < text.length; j++) {
      const c = text[j];
      if (c === "'") {
        j++;
        continue;
      }
      if (c === "[") depth++;
      if (c === "]" && --depth === 0) return j + 1;
    }
    throw new Error(`unbalanced brackets in ${text}`);
  };
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    if (c === '"') {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated text in ${text}`);
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ t: "str", v: value });
      i = j + 1;
    } else if ((m = /^#(N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!)/.exec(rest))) {
      tokens.push({ t: "err", v: m[0] });
      i += m[0].length;
    } else if (c === "[") {
      const end = bracketed(i);
      tokens.push({ t: "struct", table: "", spec: text.slice(i + 1, end - 1) });
      i = end;
    } else if ((m = /^(\d+(\.\d*)?([eE][+-]?\d+)?)/.exec(rest))) {
      tokens.push({ t: "num", v: Number(m[1]) });
      i += m[0].length;
    } else if (
      (m =
        /^((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?(?![A-Za-z0-9_(.[])/.exec(
          rest
        ))
    ) {
      tokens.push({ t: "ref", v: m[0] });
      i += m[0].length;
    } else if ((m = /^([A-Za-z_][A-Za-z0-9_.]*)\(/.exec(rest))) {
      tokens.push({ t: "func", v: (m[1] ?? "").toUpperCase() });
      i += m[0].length;
    } else if ((m = /^([A-Za-z_\\][A-Za-z0-9_.\\]*)\[/.exec(rest))) {
      const end = bracketed(i + (m[1] ?? "").length);
      tokens.push({ t: "struct", table: m[1] ?? "", spec: text.slice(i + (m[1] ?? "").length + 1, end - 1) });
      i = end;
    } else if ((m = /^(<>|<=|>=|[-+*/&=<>(),:])/.exec(rest))) {
      tokens.push({ t: "op", v: m[1] ?? "" });
      i += m[0].length;
    } else {
      throw new Error(`the test evaluator cannot read "${rest}" in ${text}`);
    }
  }
  return tokens;
}

// ------------------------------------------------------------------ evaluation

export interface FormulaContext {
  state: WorkbookState;
  sheet: SheetState;
  row: number;
  col: number;
}

export function evaluateFormula(formula: string, context: FormulaContext): CellValue {
  const tokens = tokenize(formula.replace(/^=/, ""));
  let at = 0;
  const peek = (): { t: string; v?: string } | undefined => tokens[at] as { t: string; v?: string } | undefined;
  const next = () => tokens[at++];
  const expectOp = (op: string) => {
    const token = next();
    if (!token || token.t !== "op" || token.v !== op) throw new Error(`expected "${op}" in ${formula}`);
  };

  // Precedence, lowest first: comparison, &, + -, * /, unary minus.
  const comparison = (): Value => {
    let left = concat();
    for (
      let token = peek();
      token?.t === "op" && ["=", "<>", "<", ">", "<=", ">="].includes(token.v ?? "");
      token = peek()
    ) {
      next();
      const right = concat();
      left = compare(token.v ?? "", scalar(left), scalar(right));
    }
    return left;
  };
  const concat = (): Value => {
    let left = additive();
    while (peek()?.t === "op" && peek()?.v === "&") {
      next();
      const right = additive();
      const a = scalar(left);
      const b = scalar(right);
      left = isError(a) ? a : isError(b) ? b : asText(a) + asText(b);
    }
    return left;
  };
  const additive = (): Value => {
    let left = multiplicative();
    for (let token = peek(); token?.t === "op" && (token.v === "+" || token.v === "-"); token = peek()) {
      next();
      const right = multiplicative();
      left = arithmetic(token.v ?? "", scalar(left), scalar(right));
    }
    return left;
  };
  const multiplicative = (): Value => {
    let left = unary();
    for (let token = peek(); token?.t === "op" && (token.v === "*" || token.v === "/"); token = peek()) {
      next();
      const right = unary();
      left = arithmetic(token.v ?? "", scalar(left), scalar(right));
    }
    return left;
  };
  const unary = (): Value => {
    if (peek()?.t === "op" && peek()?.v === "-") {
      next();
      return arithmetic("-", 0, scalar(unary()));
    }
    return primary();
  };
  const primary = (): Value => {
    const token = next();
    if (!token) throw new Error(`unexpected end of ${formula}`);
    switch (token.t) {
      case "num":
        return token.v;
      case "str":
        return token.v;
      case "err":
        return token.v;
      case "ref":
        return reference(token.v, context);
      case "struct":
        return structured(token.table, token.spec, context);
      case "func": {
        const args: Value[] = [];
        if (!(peek()?.t === "op" && peek()?.v === ")")) {
          for (;;) {
            args.push(comparison());
            if (peek()?.t === "op" && peek()?.v === ",") {
              next();
              continue;
            }
            break;
          }
        }
        expectOp(")");
        return call(token.v, args);
      }
      case "op":
        if (token.v === "(") {
          const inner = comparison();
          expectOp(")");
          return inner;
        }
    }
    throw new Error(`unexpected "${JSON.stringify(token)}" in ${formula}`);
  };

  const result = comparison();
  if (at < tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[at])} in ${formula}`);
  if (typeof result === "object") {
    // A single cell reference is its value (0 when empty); a larger range is #VALUE! outside an array formula.
    return result.rows.length === 1 && result.rows[0]?.length === 1
      ? result.empty[0]?.[0]
        ? 0
        : (result.rows[0]?.[0] ?? 0)
      : "#VALUE!";
  }
  return result;
}

function rangeOf(
  state: WorkbookState,
  sheet: SheetState,
  rect: { row: number; col: number; rows: number; cols: number }
): RangeValue {
  const rows: Scalar[][] = [];
  const empty: boolean[][] = [];
  for (let r = 0; r < rect.rows; r++) {
    const line: Scalar[] = [];
    const blanks: boolean[] = [];
    for (let c = 0; c < rect.cols; c++) {
      const cell = state.cell(sheet, rect.row + r, rect.col + c);
      blanks.push(!cell || (cell.formula === undefined && cell.value === ""));
      line.push(state.readValue(sheet, rect.row + r, rect.col + c));
    }
    rows.push(line);
    empty.push(blanks);
  }
  return { kind: "range", rows, empty };
}

function reference(text: string, context: FormulaContext): RangeValue | string {
  const parsed = parseA1(text);
  const sheet = parsed.sheet === undefined ? context.sheet : context.state.sheetByName(parsed.sheet);
  if (!sheet) return "#REF!";
  return rangeOf(context.state, sheet, parsed.rect);
}

function unescapeColumn(spec: string): string {
  return spec.replace(/'(.)/g, "$1");
}

function structured(tableName: string, spec: string, context: FormulaContext): Value {
  const { state } = context;
  if (tableName === "") {
    // [@Column] or [@[Column]]: this row of the table the formula is in.
    const m = /^@(?:\[(.*)\]|(.*))$/.exec(spec);
    if (!m) throw new Error(`the test evaluator does not know [${spec}]`);
    const column = unescapeColumn(m[1] ?? m[2] ?? "");
    const here = tableAt(state, context);
    if (!here) return "#VALUE!";
    const offset = columnOffset(state, here, column);
    return offset < 0 ? "#REF!" : state.readValue(context.sheet, context.row, here.rect.col + offset);
  }
  const table = state.tableByName(tableName);
  if (!table) return "#REF!";
  const column = unescapeColumn(spec.startsWith("[") && spec.endsWith("]") ? spec.slice(1, -1) : spec);
  const offset = columnOffset(state, table, column);
  if (offset < 0) return "#REF!";
  const owner = state.requireSheet(table.sheetId);
  return rangeOf(state, owner, {
    row: table.rect.row + 1,
    col: table.rect.col + offset,
    rows: table.rect.rows - 1,
    cols: 1,
  });
}

function tableAt(state: WorkbookState, { sheet, row, col }: FormulaContext): TableState | undefined {
  return state.tables.find(
    (t) =>
      t.sheetId === sheet.id &&
      row > t.rect.row &&
      row < t.rect.row + t.rect.rows &&
      col >= t.rect.col &&
      col < t.rect.col + t.rect.cols
  );
}

function columnOffset(state: WorkbookState, table: TableState, column: string): number {
  return state.tableHeaders(table).findIndex((h) => h.toLowerCase() === column.toLowerCase());
}

// ------------------------------------------------------------------ values

function scalar(value: Value): Scalar {
  if (typeof value !== "object") return value;
  if (value.rows.length === 1 && value.rows[0]?.length === 1)
    return value.empty[0]?.[0] ? "" : (value.rows[0]?.[0] ?? "");
  return "#VALUE!";
}

function flat(value: Value): Scalar[] {
  return typeof value === "object" ? value.rows.flat() : [value];
}

function asText(value: Scalar): string {
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

function asNumber(value: Scalar): number | string {
  if (isError(value)) return String(value);
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === "") return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : "#VALUE!";
}

function arithmetic(op: string, a: Scalar, b: Scalar): Scalar {
  const x = asNumber(a);
  const y = asNumber(b);
  if (typeof x === "string") return x;
  if (typeof y === "string") return y;
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    default:
      return y === 0 ? "#DIV/0!" : x / y;
  }
}

/** Excel's order: numbers < text < booleans; text without case. */
function order(a: Scalar, b: Scalar): number {
  const rank = (v: Scalar) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = asText(a).toLowerCase();
  const y = asText(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(op: string, a: Scalar, b: Scalar): Scalar {
  if (isError(a)) return a;
  if (isError(b)) return b;
  // An empty reference compares as 0 with a number and as "" with text.
  const o = order(a === "" && typeof b === "number" ? 0 : a, b === "" && typeof a === "number" ? 0 : b);
  switch (op) {
    case "=":
      return o === 0;
    case "<>":
      return o !== 0;
    case "<":
      return o < 0;
    case ">":
      return o > 0;
    case "<=":
      return o <= 0;
    default:
      return o >= 0;
  }
}

function truthy(value: Scalar): boolean {
  return value === true || (typeof value === "number" && value !== 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Does a cell meet a SUMIFS / COUNTIFS criterion? */
export function meetsCriterion(cell: Scalar | undefined, criterion: Scalar): boolean {
  if (criterion === "") return false;
  if (typeof criterion === "boolean") return cell === criterion;
  if (typeof criterion === "number") {
    return typeof cell === "number" ? cell === criterion : asText(cell ?? "") === String(criterion);
  }
  const m = /^(<>|<=|>=|=|<|>)?([\s\S]*)$/.exec(criterion);
  const op = m?.[1] ?? "";
  const operand = m?.[2] ?? "";
  if (op === "=" && operand === "") return cell === "" || cell === undefined;
  const number = operand.trim() !== "" && Number.isFinite(Number(operand)) ? Number(operand) : undefined;
  if (op !== "" && op !== "=" && op !== "<>") {
    if (number === undefined || typeof cell !== "number") return false;
    return compare(op, cell, number) === true;
  }
  if (number !== undefined && typeof cell === "number") return op === "<>" ? cell !== number : cell === number;
  let pattern = "";
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i] ?? "";
    if (c === "~" && i + 1 < operand.length) pattern += escapeRegExp(operand[++i] ?? "");
    else if (c === "*") pattern += "[\\s\\S]*";
    else if (c === "?") pattern += "[\\s\\S]";
    else pattern += escapeRegExp(c);
  }
  const matched = new RegExp(`^${pattern}$`, "i").test(asText(cell ?? ""));
  return op === "<>" ? !matched : matched;
}

function numbers(args: readonly Value[]): number[] {
  return args.flatMap((arg) =>
    typeof arg === "object"
      ? arg.rows.flat().filter((v): v is number => typeof v === "number")
      : typeof arg === "number"
        ? [arg]
        : []
  );
}

function criteriaRows(args: readonly Value[], first: number): boolean[] {
  let keep: boolean[] | undefined;
  for (let p = first; p < args.length; p += 2) {
    const cells = flat(args[p] ?? "");
    const criterion = scalar(args[p + 1] ?? "");
    const matches = cells.map((cell) => meetsCriterion(cell, criterion));
    keep = keep ? keep.map((k, i) => k && (matches[i] ?? false)) : matches;
  }
  return keep ?? [];
}

function call(name: string, args: Value[]): Value {
  const error = args.map((a) => (typeof a === "object" ? undefined : a)).find((a) => a !== undefined && isError(a));
  switch (name) {
    case "SUMIFS": {
      const sums = flat(args[0] ?? "");
      const keep = criteriaRows(args, 1);
      return sums.reduce<number>((total, v, i) => (keep[i] && typeof v === "number" ? total + v : total), 0);
    }
    case "COUNTIFS":
      return criteriaRows(args, 0).filter(Boolean).length;
    case "COUNTIF":
      return criteriaRows(args, 0).filter(Boolean).length;
    case "SUM":
      return error ?? numbers(args).reduce((a, b) => a + b, 0);
    case "AVERAGE": {
      const list = numbers(args);
      return error ?? (list.length === 0 ? "#DIV/0!" : list.reduce((a, b) => a + b, 0) / list.length);
    }
    case "MIN":
      return error ?? (numbers(args).length === 0 ? 0 : Math.min(...numbers(args)));
    case "MAX":
      return error ?? (numbers(args).length === 0 ? 0 : Math.max(...numbers(args)));
    case "ROUND": {
      const x = asNumber(scalar(args[0] ?? 0));
      const digits = asNumber(scalar(args[1] ?? 0));
      if (typeof x === "string") return x;
      if (typeof digits === "string") return digits;
      const factor = 10 ** digits;
      return (Math.sign(x) * Math.round(Math.abs(x) * factor + 1e-9)) / factor;
    }
    case "IF":
      return truthy(scalar(args[0] ?? false)) ? scalar(args[1] ?? true) : scalar(args[2] ?? false);
    case "INDEX": {
      const range = args[0];
      if (typeof range !== "object") return "#VALUE!";
      const i = asNumber(scalar(args[1] ?? 0));
      if (typeof i === "string") return i;
      const oneRow = range.rows.length === 1;
      const r = oneRow ? 0 : i - 1;
      const c = oneRow ? i - 1 : (Number(scalar(args[2] ?? 1)) || 1) - 1;
      const row = range.rows[r];
      if (!row || c < 0 || c >= row.length) return "#REF!";
      return range.empty[r]?.[c] ? 0 : (row[c] ?? 0);
    }
    case "MATCH": {
      const wanted = scalar(args[0] ?? "");
      if (isError(wanted)) return wanted;
      if (Number(scalar(args[2] ?? 1)) !== 0) throw new Error("the test evaluator knows MATCH(…, 0) only");
      const index = flat(args[1] ?? "").findIndex((cell) => order(cell, wanted) === 0);
      return index < 0 ? "#N/A" : index + 1;
    }
    case "RANK.EQ": {
      const x = scalar(args[0] ?? "");
      if (typeof x !== "number") return isError(x) ? x : "#VALUE!";
      const list = numbers([args[1] ?? ""]);
      if (!list.includes(x)) return "#N/A";
      return 1 + list.filter((v) => v > x).length;
    }
    case "SUBSTITUTE":
      return asText(scalar(args[0] ?? ""))
        .split(asText(scalar(args[1] ?? "")))
        .join(asText(scalar(args[2] ?? "")));
  }
  throw new Error(`the test evaluator does not know ${name}`);
}
