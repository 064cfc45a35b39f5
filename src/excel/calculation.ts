/**
 * A workbook in manual calculation keeps formula results stale until someone recalculates it ("Manual, where
 * calculation is done when the user requests it": `Application.calculationMode`, ExcelApi 1.1 to read). After the
 * add-in's writes — rows replaced, reconciliation totals rewritten — such a workbook is recalculated
 * (`Application.calculate`, ExcelApi 1.1), so no total built on a billing table is left showing old figures; the
 * writes suspend calculation too, after which "it is the developer's responsibility to re-calc the workbook"
 * (`suspendApiCalculationUntilNextSync`). A workbook in automatic calculation recalculates by itself and is left
 * alone.
 */

/** Queues a read of the calculation mode; after the sync, the function says whether it is manual. */
export function queueManualCalculationCheck(context: Excel.RequestContext): () => boolean {
  const application = context.application.load("calculationMode");
  return () => application.calculationMode === "Manual";
}

/** Recalculates the workbook (one request). */
export async function recalculate(context: Excel.RequestContext): Promise<void> {
  context.application.calculate("Recalculate");
  await context.sync();
}
