import {
  AGGREGATE_DIMENSIONS,
  METRIC_COLUMNS,
  autoAddedDimensions,
  effectiveDimensions,
  predictColumns,
  type AggregateDimension,
  type ColumnInfo,
} from "./index";

const METRICS: ColumnInfo[] = [
  { columnName: "UNIT_TYPE", columnDataType: "STRING" },
  { columnName: "UNIT_PRICE", columnDataType: "NUMBER" },
  { columnName: "QUANTITY", columnDataType: "NUMBER" },
  { columnName: "TOTAL_PER_UNIT", columnDataType: "NUMBER" },
  { columnName: "CURRENCY", columnDataType: "STRING" },
];
const text = (columnName: string): ColumnInfo => ({ columnName, columnDataType: "STRING" });

describe("predictColumns", () => {
  it("reproduces the simple OpenAPI result: ACCOUNT_NAME prepended to CATEGORY_CODE, COUNTRY_NAME", () => {
    expect(predictColumns(["CATEGORY_CODE", "COUNTRY_NAME"])).toEqual([
      text("ACCOUNT_NAME"),
      text("CATEGORY_CODE"),
      text("COUNTRY_NAME"),
      ...METRICS,
    ]);
  });

  it("reproduces the detailed OpenAPI result: the 7 dimensions in order, no ACCOUNT_NAME", () => {
    const aggregateBy: AggregateDimension[] = [
      "APPLICATION_ID",
      "ENTITY_ID",
      "CATEGORY_CODE",
      "COUNTRY_NAME",
      "TRAFFIC_TYPE",
      "SENDER_TYPE",
      "ACCOUNT_KEY",
    ];
    expect(predictColumns(aggregateBy)).toEqual([...aggregateBy.map(text), ...METRICS]);
  });

  it("adds ACCOUNT_NAME then CATEGORY_CODE before DAY, which is a DATE_TIME column", () => {
    expect(predictColumns(["DAY"])).toEqual([
      text("ACCOUNT_NAME"),
      text("CATEGORY_CODE"),
      { columnName: "DAY", columnDataType: "DATE_TIME" },
      ...METRICS,
    ]);
  });

  it("does not add a default when its pair partner is chosen, wherever it stands", () => {
    expect(predictColumns(["MONTH", "CATEGORY_NAME", "ACCOUNT_KEY"]).map((c) => c.columnName)).toEqual([
      "MONTH",
      "CATEGORY_NAME",
      "ACCOUNT_KEY",
      ...METRIC_COLUMNS,
    ]);
    expect(predictColumns(["COUNTRY_CODE", "ACCOUNT_NAME"]).map((c) => c.columnName)).toEqual([
      "CATEGORY_CODE",
      "COUNTRY_CODE",
      "ACCOUNT_NAME",
      ...METRIC_COLUMNS,
    ]);
  });

  it.each(AGGREGATE_DIMENSIONS)("%s alone: defaults, the dimension, the metrics, each column once", (dimension) => {
    const names = predictColumns([dimension]).map((c) => c.columnName);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(-METRIC_COLUMNS.length)).toEqual([...METRIC_COLUMNS]);
    expect(names[names.length - METRIC_COLUMNS.length - 1]).toBe(dimension);
    expect(names.length).toBe(1 + METRIC_COLUMNS.length + autoAddedDimensions([dimension]).length);
  });
});

describe("effectiveDimensions and autoAddedDimensions", () => {
  it.each<[AggregateDimension[], AggregateDimension[]]>([
    [["DAY"], ["ACCOUNT_NAME", "CATEGORY_CODE"]],
    [["ACCOUNT_KEY"], ["CATEGORY_CODE"]],
    [["CATEGORY_NAME"], ["ACCOUNT_NAME"]],
    [["ACCOUNT_NAME", "CATEGORY_CODE"], []],
  ])("%j adds %j", (aggregateBy, added) => {
    expect(autoAddedDimensions(aggregateBy)).toEqual(added);
    expect(effectiveDimensions(aggregateBy)).toEqual([...added, ...aggregateBy]);
  });
});
