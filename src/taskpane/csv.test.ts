import { csvField, csvFileName, toCsv } from "./csv";

/** A minimal RFC 4180 reader, to check that what we write reads back field for field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("CSV of a billing result", () => {
  it("starts with a BOM, quotes the header and text, ends lines with CRLF, and reads back field for field", () => {
    const csv = toCsv(
      ["Country", "Unit price", "Day", "Note"],
      ["text", "unit-price", "day", "text"],
      [
        ["Côte d'Ivoire", 0.0075, "2026-03-01", 'He said "hi", twice\nthen left'],
        ["", 12, "2026-03-02", "plain"],
      ]
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(parseCsv(csv.slice(1))).toEqual([
      ["Country", "Unit price", "Day", "Note"],
      ["Côte d'Ivoire", "0.0075", "2026-03-01", 'He said "hi", twice\nthen left'],
      ["", "12", "2026-03-02", "plain"],
    ]);
  });

  it("keeps digit-only identifiers as text in Excel, without losing digits", () => {
    expect(csvField("754564654689123456", "identifier")).toBe('="754564654689123456"');
    expect(csvField("0044", "identifier")).toBe('="0044"');
    expect(csvField("app-1", "identifier")).toBe('"app-1"');
  });

  it("guards text that Excel would run as a formula", () => {
    expect(csvField('=HYPERLINK("x")', "text")).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+4915112345", "text")).toBe('"\'+4915112345"');
    expect(csvField("@sum", "text")).toBe('"\'@sum"');
  });

  it("writes numbers plainly, empty cells empty, dates as they are", () => {
    expect(csvField(1234.5, "total")).toBe("1234.5");
    expect(csvField("", "total")).toBe("");
    expect(csvField("2026-03", "month")).toBe("2026-03");
  });

  it("names the file after the label and the period", () => {
    const march = { sentSince: "2026-03-01", sentUntil: "2026-04-01" };
    expect(csvFileName("March SMS / costs", march)).toBe("March-SMS-costs_2026-03-01_to_2026-03-31.csv");
    expect(csvFileName(undefined, march)).toBe("billing-usage_2026-03-01_to_2026-03-31.csv");
  });
});
