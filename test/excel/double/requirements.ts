/**
 * Requirement sets in the double: which ExcelApi version this "Excel" supports, which version the add-in's
 * manifest declares, and which members of the API need more than the declared version.
 *
 * - A member above the double's own level fails at sync with `ApiNotFound` ("The API you are trying to use could
 *   not be found. It may be available in a newer version of the Office application.":
 *   https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling), as it does
 *   on an older Excel.
 * - A member above the version the manifest declares is refused unless the code asked
 *   `isSetSupported("ExcelApi", v)` first (with v at least the member's version) and got `true`: the manifest only
 *   promises the declared version, so on the oldest Excel that installs the add-in such a call fails. Microsoft's
 *   guidance: "Only use the base manifest to specify the API members that your add-in must have ... If your add-in
 *   uses an API for some features ... design the add-in so that it's installable on [combinations] that don't
 *   support the API" and check at run time
 *   (https://learn.microsoft.com/office/dev/add-ins/develop/specify-office-hosts-and-api-requirements). Real
 *   Excel would run such a call on a modern build; the double refuses it so that a missing guard shows in every
 *   test, not only on an old Excel nobody tests on.
 *
 * Each member's version is tagged below from @types/office-js's "[Api set: ExcelApi n.m]" remarks (a test reads
 * the typings and checks every tag).
 */
import fs from "node:fs";
import path from "node:path";
import { officeError } from "./errors";

/** The highest ExcelApi version the double's members are tagged up to: a current Microsoft 365 Excel. */
export const MODELLED_EXCEL_API = "1.17";

/** ExcelApi version of each member the double models above 1.1 ("Class.member", or "Class.member=set" for setters). */
export const EXCEL_API_MEMBERS: Readonly<Record<string, string>> = {
  "Application.suspendApiCalculationUntilNextSync": "1.6",
  "Application.calculationMode=set": "1.8",
  "Workbook.customXmlParts": "1.5",
  "Workbook.pivotTables": "1.3",
  "Workbook.getActiveCell": "1.7",
  "Worksheet.getRangeByIndexes": "1.7",
  "Worksheet.pivotTables": "1.3",
  "Worksheet.getUsedRangeOrNullObject": "1.4",
  "Worksheet.visibility=set": "1.2",
  "WorksheetCollection.getItemOrNullObject": "1.4",
  "TableCollection.getItemOrNullObject": "1.4",
  "NamedItemCollection.add": "1.4",
  "NamedItemCollection.getItemOrNullObject": "1.4",
  "NamedItem.delete": "1.4",
  "Range.getTables": "1.9",
  "Range.copyFrom": "1.9",
  "Range.conditionalFormats": "1.6",
  "Range.getAbsoluteResizedRange": "1.7",
  "Range.getResizedRange": "1.2",
  "Range.getRowsBelow": "1.2",
  "Range.merge": "1.2",
  "RangeFormat.autofitColumns": "1.2",
  "Table.worksheet": "1.2",
  "Table.showBandedRows": "1.3",
  "Table.resize": "1.13",
  "PivotTableCollection.add": "1.8",
  "PivotTableCollection.refreshAll": "1.3",
  "PivotTable.refresh": "1.3",
  "PivotTable.hierarchies": "1.8",
  "PivotTable.layout": "1.8",
  "PivotField.applyFilter": "1.12",
  "PivotTable.getDataSourceType": "1.15",
  "PivotTable.getDataSourceString": "1.15",
};

/** `1.13` > `1.9`: versions compare part by part, as numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The ExcelApi version the repository's manifest.xml declares in its base `<Requirements>`, or "1.1" when none. */
export function manifestExcelApi(manifestPath = path.resolve(__dirname, "../../../manifest.xml")): string {
  const xml = fs.readFileSync(manifestPath, "utf8");
  // The base <Requirements> sits between </Hosts> and <DefaultSettings>; VersionOverrides has its own.
  const base = xml.split("<VersionOverrides")[0] ?? xml;
  const set = /<Set\s+Name="ExcelApi"\s+MinVersion="([\d.]+)"/.exec(base);
  return set?.[1] ?? "1.1";
}

/** The host's requirement sets as Office.js exposes them (`Office.context.requirements`). */
export interface RequirementsDouble {
  isSetSupported(name: string, minVersion?: string): boolean;
}

export class RequirementState implements RequirementsDouble {
  /** The highest ExcelApi version checked with `isSetSupported` and answered `true`. */
  private checked = "1.1";
  /** Every `isSetSupported` question, in order (for assertions). */
  readonly questions: { name: string; version: string; answer: boolean }[] = [];

  constructor(
    /** The ExcelApi version this Excel supports. */
    public level: string,
    /** The ExcelApi version the manifest declares (what the add-in may use without asking). */
    public declared: string,
    /** Other sets this host supports, e.g. `SharedRuntime` → "1.1". */
    public readonly otherSets: Record<string, string> = {}
  ) {}

  readonly isSetSupported = (name: string, minVersion = "1.1"): boolean => {
    const supported = name === "ExcelApi" ? this.level : this.otherSets[name];
    const answer = supported !== undefined && compareVersions(supported, minVersion) >= 0;
    this.questions.push({ name, version: minVersion, answer });
    if (answer && name === "ExcelApi" && compareVersions(minVersion, this.checked) > 0) this.checked = minVersion;
    return answer;
  };

  /** Throws as Excel does for a member this host lacks, and for one used above the manifest without a check. */
  require(member: string): void {
    const version = EXCEL_API_MEMBERS[member];
    if (version === undefined) return;
    if (compareVersions(version, this.level) > 0) {
      throw officeError(
        "ApiNotFound",
        `The API you are trying to use could not be found. It may be available in a newer version of the Office application. (${member} is ExcelApi ${version}; this Excel has ${this.level}.)`
      );
    }
    if (compareVersions(version, this.declared) > 0 && compareVersions(version, this.checked) > 0) {
      throw officeError(
        "UncheckedRequirement",
        `${member} is ExcelApi ${version}, above the ExcelApi ${this.declared} the manifest declares, and the code did not ask ` +
          `Office.context.requirements.isSetSupported("ExcelApi", "${version}") first: it would fail on the oldest Excel that installs the add-in.`
      );
    }
  }
}
