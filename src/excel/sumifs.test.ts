import {
  cellRef,
  criterionMode,
  escapeWildcards,
  quoteSheetName,
  sumifsFormula,
  tableColumnRef,
  textLiteral,
  thisRowRef,
} from "./sumifs";

describe("structured references", () => {
  it("escapes structured-reference specials in column names", () => {
    // Microsoft's syntax rules: a header with a special character other than a space takes a second pair of
    // brackets, and [ ] # ' are escaped with a single quotation mark.
    expect(tableColumnRef("T", "Network code (MCC+MNC)")).toBe("T[[Network code (MCC+MNC)]]");
    expect(tableColumnRef("T", "Price [EUR] #1")).toBe("T[[Price '[EUR'] '#1]]");
    expect(thisRowRef("Currency")).toBe("[@Currency]");
    expect(thisRowRef("Billing month")).toBe("[@[Billing month]]");
  });

  it("brackets a header once for a space alone, twice for any other special character", () => {
    expect(tableColumnRef("Costs", "Billing month")).toBe("Costs[Billing month]");
    expect(tableColumnRef("Costs", "Country (ISO)")).toBe("Costs[Country (ISO)]");
    expect(
      ["Total $", "a,b", "a:b", "v1.2", "it's", 'say "hi"', "{x}", "x^2", "R&D", "a*b", "a=b", "a-b", "<a>", "a/b"].map(
        (header) => tableColumnRef("T", header)
      )
    ).toEqual([
      "T[[Total $]]",
      "T[[a,b]]",
      "T[[a:b]]",
      "T[[v1.2]]",
      "T[[it''s]]",
      'T[[say "hi"]]',
      "T[[{x}]]",
      "T[[x^2]]",
      "T[[R&D]]",
      "T[[a*b]]",
      "T[[a=b]]",
      "T[[a-b]]",
      "T[[<a>]]",
      "T[[a/b]]",
    ]);
    expect(tableColumnRef("T", "#Items")).toBe("T[['#Items]]");
    expect(thisRowRef("#Items")).toBe("[@['#Items]]");
    expect(thisRowRef("Account_key2")).toBe("[@Account_key2]");
  });

  it("refuses a table name Excel would not accept instead of writing a broken formula", () => {
    expect(tableColumnRef("Billing_Day.Country\\2", "Total")).toBe("Billing_Day.Country\\2[Total]");
    for (const name of ["", "My table", "A1", "R1C1", "Costs[1]", "1Costs"]) {
      expect(() => tableColumnRef(name, "Total")).toThrow(RangeError);
    }
  });

  it("quotes sheet names and text the way formulas need", () => {
    expect(quoteSheetName("Cost overview")).toBe("'Cost overview'");
    expect(quoteSheetName("Finance's")).toBe("'Finance''s'");
    expect(cellRef("$B$2")).toBe("$B$2");
    expect(cellRef("$B$2", "Sheet1")).toBe("'Sheet1'!$B$2");
    expect(textLiteral('A "quoted" name')).toBe('"A ""quoted"" name"');
    expect(escapeWildcards("50% off? *new* ~x")).toBe("50% off~? ~*new~* ~~x");
  });
});

describe("sumifsFormula", () => {
  it("sums a column of a table over any number of criteria columns", () => {
    expect(sumifsFormula({ table: "Costs", sum: "Total", criteria: [] })).toBe("=SUMIFS(Costs[Total])");
    expect(
      sumifsFormula({
        table: "Costs",
        sum: "Total",
        criteria: [
          { column: "Billing month", equals: { thisRow: "Billing month" } },
          { column: "Currency", equals: { cell: "$B$2", sheet: "Cost overview" } },
          { column: "Country", equals: { text: "Côte d'Ivoire" } },
        ],
      })
    ).toBe(
      "=SUMIFS(Costs[Total],Costs[Billing month],[@[Billing month]],Costs[Currency],'Cost overview'!$B$2,Costs[Country],\"=Côte d'Ivoire\")"
    );
  });

  it("matches fixed text exactly: blank, operator-like, wildcard and quoted text", () => {
    const on = (text: string) =>
      sumifsFormula({ table: "T", sum: "Total", criteria: [{ column: "Account", equals: { text } }] });
    expect(on("")).toBe('=SUMIFS(T[Total],T[Account],"=")');
    expect(on("<internal>")).toBe('=SUMIFS(T[Total],T[Account],"=<internal>")');
    expect(on("Acme*")).toBe('=SUMIFS(T[Total],T[Account],"=Acme~*")');
    expect(on('Say "hi"')).toBe('=SUMIFS(T[Total],T[Account],"=Say ""hi""")');
  });

  it("writes a cell or same-row key as it is, as an exact match, or with its wildcards escaped", () => {
    const on = (mode: "plain" | "exact" | "escaped") =>
      sumifsFormula({ table: "T", sum: "Total", criteria: [{ column: "Account", equals: { cell: "$A$1", mode } }] });
    expect(on("plain")).toBe("=SUMIFS(T[Total],T[Account],$A$1)");
    expect(on("exact")).toBe('=SUMIFS(T[Total],T[Account],"="&$A$1)');
    expect(on("escaped")).toBe(
      '=SUMIFS(T[Total],T[Account],"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE($A$1,"~","~~"),"*","~*"),"?","~?"))'
    );
    expect(criterionMode(["EUR", "USD"])).toBe("plain");
    expect(criterionMode(["EUR", ">EUR"])).toBe("exact");
    expect(criterionMode(["EUR?", ""])).toBe("escaped");
  });
});
