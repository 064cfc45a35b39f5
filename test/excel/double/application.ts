/**
 * `context.application`: calculation. The calculation mode is modelled because a workbook in manual calculation
 * keeps formula results stale until something recalculates it ("Manual, where calculation is done when the user
 * requests it": `Application.calculationMode`, ExcelApi 1.1 for get and 1.8 for set,
 * https://learn.microsoft.com/javascript/api/excel/excel.application#excel-excel-application-calculationmode-member);
 * `calculate` (ExcelApi 1.1) brings every formula up to date. The values formulas show in each mode are the
 * workbook's job (state/workbook-state.ts). `suspendApiCalculationUntilNextSync` (ExcelApi 1.6) is recorded only.
 */
import { ClientObjectDouble } from "./client-object";
import { invalidArgument } from "./errors";
import type { WorkbookState } from "./state/workbook-state";

const MODES = ["Automatic", "AutomaticExceptTables", "Manual"] as const;
const CALCULATION_TYPES = ["Recalculate", "Full", "FullRebuild"] as const;

export class ApplicationDouble extends ClientObjectDouble<WorkbookState> {
  protected readonly entity = "Application";
  protected readonly scalarProperties = ["calculationMode"];

  get calculationMode(): string {
    return this.get("calculationMode");
  }
  set calculationMode(value: string) {
    this.setProperty("calculationMode", value, (state) => {
      this.context.requires("Application.calculationMode=set");
      if (!(MODES as readonly string[]).includes(value)) throw invalidArgument(`Unknown calculation mode ${value}.`);
      state.setCalculationMode(value as (typeof MODES)[number]);
    });
  }

  protected read(name: string, state: WorkbookState): unknown {
    if (name === "calculationMode") return state.calculationMode;
    return this.unknownProperty(name);
  }

  suspendApiCalculationUntilNextSync(): void {
    this.context.enqueue("suspendCalculation", "application", undefined, () =>
      this.context.requires("Application.suspendApiCalculationUntilNextSync")
    );
  }

  suspendScreenUpdatingUntilNextSync(): void {
    this.context.enqueue("suspendScreenUpdating", "application", undefined, () => undefined);
  }

  calculate(calculationType: string): void {
    this.context.enqueue("calculate", "application", calculationType, () => {
      if (!(CALCULATION_TYPES as readonly string[]).includes(calculationType)) {
        throw invalidArgument(`Unknown calculation type ${calculationType}.`);
      }
      this.context.state.calculateAll();
    });
  }
}
