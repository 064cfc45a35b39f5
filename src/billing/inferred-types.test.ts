/**
 * Compile-time pins on the types inferred from the schemas: if a schema change alters one of them,
 * `npx tsc --noEmit` fails here, before any caller breaks. ts-jest only transpiles (the tsconfig sets
 * `isolatedModules`), so the last test compiles this file with the TypeScript API to make jest fail too.
 */
import * as path from "path";
import * as ts from "typescript";
import type { z } from "zod";
import {
  ApiErrorSchema,
  BillingUsageQuerySchema,
  PeriodChoiceSchema,
  QueryDefinitionSchema,
  type AggregateDimension,
  type ApiError,
  type BillingPeriod,
  type BillingUsageDataFilter,
  type BillingUsageQuery,
  type BillingUsageResult,
  type Category,
  type ColumnDataType,
  type ColumnInfo,
  type DateInterval,
  type DateTimeInterval,
  type Direction,
  type PeriodChoice,
  type PeriodPreset,
  type Platform,
  type QueryBillingUsageRequest,
  type QueryDefinition,
  type RawCell,
  type Subcategory,
  type TypedCell,
  type Validation,
  type Violation,
} from "./index";

/** True only when A and B are the same type (not merely assignable either way). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its argument is `true`. */
function assertType<T extends true>(): T | undefined {
  return undefined;
}

describe("inferred types", () => {
  it("the request", () => {
    assertType<Equals<BillingUsageQuery["aggregateBy"], AggregateDimension[]>>();
    assertType<Equals<DateInterval, { sentSince: string; sentUntil: string }>>();
    assertType<Equals<BillingUsageQuery["filterBy"]["dateInterval"], DateInterval>>();
    assertType<Equals<BillingUsageDataFilter["categories"], Category[] | undefined>>();
    assertType<Equals<BillingUsageDataFilter["subCategories"], Subcategory[] | undefined>>();
    assertType<Equals<BillingUsageDataFilter["directions"], Direction[] | undefined>>();
    assertType<Equals<BillingUsageDataFilter["campaignIds"], number[] | undefined>>();
    assertType<Equals<BillingUsageDataFilter["templateIds"], string[] | undefined>>();
    assertType<Equals<BillingUsageDataFilter["platforms"], Platform[] | undefined>>();
    assertType<Equals<Platform, { applicationId?: string | undefined; entityId?: string | undefined }>>();
    assertType<Equals<BillingUsageQuery["options"], { includeUnfinalizedData?: boolean | undefined } | undefined>>();
    assertType<Equals<QueryBillingUsageRequest, { callbackUrl: string; request: BillingUsageQuery }>>();
    assertType<Equals<z.input<typeof BillingUsageQuerySchema>, BillingUsageQuery>>();
  });

  it("the result", () => {
    assertType<Equals<BillingUsageResult["status"], "SUCCESS" | "FAILED">>();
    assertType<Equals<ColumnDataType, "STRING" | "INTEGER" | "NUMBER" | "BOOLEAN" | "DATE_TIME">>();
    assertType<Equals<ColumnInfo, { columnName: string; columnDataType: ColumnDataType }>>();
    assertType<Equals<RawCell, string | number | boolean | null>>();
    assertType<Equals<NonNullable<BillingUsageResult["response"]>["rows"], RawCell[][]>>();
    assertType<Equals<NonNullable<BillingUsageResult["response"]>["requestedPeriod"], DateTimeInterval>>();
    assertType<Equals<NonNullable<BillingUsageResult["metadata"]>["billingPeriods"], BillingPeriod[]>>();
    assertType<Equals<BillingPeriod, { month: string; volumeFinalized: boolean }>>();
    assertType<Equals<TypedCell, string | number | boolean | Date | null>>();
  });

  it("errors and violations", () => {
    assertType<Equals<z.infer<typeof ApiErrorSchema>, ApiError>>();
    assertType<Equals<ApiError["violations"], { property?: string | undefined; violation?: string | undefined }[]>>();
    assertType<Equals<Violation, { property: string; violation: string }>>();
    assertType<Equals<Validation<number>, { ok: true; value: number } | { ok: false; violations: Violation[] }>>();
  });

  it("the saved definition has no hand-written twin", () => {
    assertType<Equals<z.infer<typeof PeriodChoiceSchema>, PeriodChoice>>();
    assertType<Equals<PeriodChoice["preset"], PeriodPreset>>();
    assertType<Equals<z.infer<typeof QueryDefinitionSchema>, QueryDefinition>>();
    assertType<Equals<QueryDefinition["aggregateBy"], AggregateDimension[]>>();
  });

  it("and Equals itself tells types apart", () => {
    assertType<Equals<Equals<string, string | undefined>, false>>();
    assertType<Equals<Equals<{ a?: string }, { a: string | undefined }>, false>>();
    assertType<Equals<Equals<"A" | "B", string>, false>>();
    // @ts-expect-error: the assertion must refuse a false equality, or every pin above proves nothing
    assertType<Equals<BillingUsageResult["status"], string>>();
    expect(true).toBe(true);
  });
});

describe("this file", () => {
  it("type-checks, so every pin above holds", () => {
    const configPath = path.resolve(__dirname, "../../tsconfig.json");
    const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
    // Only what this file needs: the Office typings are large and irrelevant to the contract.
    const program = ts.createProgram([__filename], { ...parsed.options, noEmit: true, types: ["node", "jest"] });
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(__filename));
    const messages = diagnostics.map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
    expect(messages).toEqual([]);
  });
});
