/**
 * Which Excel JavaScript API requirement sets the add-in needs, and what it says when this Excel lacks one.
 *
 * The manifest declares {@link MANIFEST_EXCEL_API} (ExcelApi 1.7: `Worksheet.getRangeByIndexes`, which every
 * write uses; custom XML parts are 1.5, conditional formats 1.6), so Excel refuses to install the add-in where the
 * basics cannot work. Every feature above it checks `Office.context.requirements.isSetSupported` before it runs and
 * says plainly what is unavailable on this Excel ("Only use the base manifest to specify the API members that your
 * add-in must have ... design the add-in so that it's installable on platform and Office version combinations that
 * don't support the API": https://learn.microsoft.com/office/dev/add-ins/develop/specify-office-hosts-and-api-requirements,
 * and https://learn.microsoft.com/office/dev/add-ins/develop/specify-api-requirements-runtime).
 * `node ../shared/tools/api-sets.mjs src ExcelApi=1.7` lists the uses above the minimum; each sits behind
 * {@link supports} with one of the features below.
 */

/** The ExcelApi version manifest.xml declares (a test keeps the two equal). */
export const MANIFEST_EXCEL_API = "1.7";

/** Which requirement sets the host supports; in the add-in, `Office.context.requirements`. */
export interface HostRequirements {
  isSetSupported(name: string, minVersion?: string): boolean;
}

/** The running Office host's requirement sets; outside Office (a plain browser) nothing is supported. */
export function officeRequirements(): HostRequirements {
  return {
    isSetSupported(name, minVersion) {
      if (typeof Office === "undefined") return false;
      const requirements = Office.context?.requirements;
      return requirements !== undefined && requirements.isSetSupported(name, minVersion);
    },
  };
}

export interface Feature {
  /** The ExcelApi version it needs. */
  excelApi: string;
  /** What the user cannot do without it, as a sentence subject: "Refreshing a table in place". */
  what: string;
  /** Which Excel has it, in the words of Microsoft's availability table. */
  where: string;
  /** What to do instead on this Excel. */
  instead: string;
}

const MODERN = "Microsoft 365, Excel 2021 or later, or Excel on the web";

/**
 * The features above the manifest's minimum (versions from @types/office-js's "[Api set: ExcelApi n.m]" remarks;
 * which Excel has which set: https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets).
 */
export const FEATURES = {
  /** `Table.resize` (1.13) and `Range.copyFrom` (1.9). */
  refreshInPlace: {
    excelApi: "1.13",
    what: "Refreshing a table in place",
    where: MODERN,
    instead: "Write the result to a new sheet instead (Query > Destination: a new sheet).",
  },
  /** `PivotTableCollection.add` and the hierarchies (1.8). */
  pivotTables: {
    excelApi: "1.8",
    what: "Creating a PivotTable from the add-in",
    where: "Excel 2019 or later, Microsoft 365, or Excel on the web",
    instead: "Use Insert > PivotTable on the table.",
  },
  /** `PivotField.applyFilter` (1.12): filtering the PivotTable to one currency. */
  pivotFilter: {
    excelApi: "1.12",
    what: "Filtering a PivotTable to one currency",
    where: MODERN,
    instead: "Currency becomes the outermost row instead, so currencies are never added together.",
  },
  /** `PivotTable.getDataSourceType` / `getDataSourceString` (1.15): which PivotTables read a table. */
  pivotSource: {
    excelApi: "1.15",
    what: "Finding the PivotTables built on one table",
    where: "Microsoft 365, Excel 2024 or later, or Excel on the web",
    instead: "Every PivotTable of the workbook is refreshed instead.",
  },
  /** `Range.getTables` (1.9): the table at the selection. */
  tableAtSelection: {
    excelApi: "1.9",
    what: "Finding the table at the selection",
    where: MODERN,
    instead: "Choose the table in the Tables list.",
  },
} as const satisfies Record<string, Feature>;

export type FeatureName = keyof typeof FEATURES;

/** Does this Excel have the feature? */
export function supports(host: HostRequirements, feature: FeatureName): boolean {
  return host.isSetSupported("ExcelApi", FEATURES[feature].excelApi);
}

/** "Refreshing a table in place is not available in this Excel: it needs ExcelApi 1.13 (…). Write …" */
export function unavailableMessage(feature: FeatureName): string {
  const f: Feature = FEATURES[feature];
  return `${f.what} is not available in this version of Excel: it needs the Excel JavaScript API ${f.excelApi} (${f.where}). ${f.instead}`;
}
