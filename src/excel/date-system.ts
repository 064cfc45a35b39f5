/**
 * The workbook's date system, read from Excel itself: a defined name holding `=DATE(2000,1,1)` evaluates to 36526
 * in the 1900 date system and to 35064 in the 1904 one
 * (https://learn.microsoft.com/office/troubleshoot/excel/1900-and-1904-date-system). The name is added, read
 * (`NamedItem.value`: "the value computed by the name's formula", ExcelApi 1.1) and deleted in the same request
 * (`names.add` with a formula and `NamedItem.delete`, ExcelApi 1.4), so no cell of the workbook is touched and
 * nothing is left behind. The probe rides along with a request the caller makes anyway.
 */
import type { DateSystem } from "./sheet-cells";

export const SERIAL_OF_2000_01_01 = { 1900: 36_526, 1904: 35_064 } as const;

/** Queues the probe; after the next sync, the returned function gives the date system (1900 when unsure). */
export function queueDateSystemProbe(context: Excel.RequestContext): () => DateSystem {
  const name = `BillingUsage_DateProbe_${Math.random().toString(36).slice(2, 10)}`;
  const probe = context.workbook.names.add(name, "=DATE(2000,1,1)");
  probe.load("value");
  probe.delete();
  return () => (probe.value === SERIAL_OF_2000_01_01[1904] ? 1904 : 1900);
}

/** The date system in a request of its own (for callers with no request to ride along with). */
export async function readDateSystem(context: Excel.RequestContext): Promise<DateSystem> {
  const dateSystem = queueDateSystemProbe(context);
  await context.sync();
  return dateSystem();
}
