/**
 * Refresh all, as the ribbon button runs it (src/commands): every billing table of the workbook, at most three
 * at a time, each table's outcome in plain words. The ribbon's page has no UI and no typed-in key: it uses the
 * key remembered on this computer (Settings, "Remember on this computer") and the saved Relay URL.
 */
import { currentApiKey } from "./credentials";
import { abortableSleep } from "./query-runner";
import { RelayClient } from "./relay-client";
import { loadRelayUrl } from "./settings";
import { describeRefresh, refreshTables, type TableRefreshResult } from "./table-refresh";
import { excelWorkbook } from "./excel-workbook";
import type { Workbook } from "./workbook";

export interface RefreshAllReport {
  results: TableRefreshResult[];
  /** One line per table, then a summary line; or why nothing was refreshed. */
  lines: string[];
  ok: boolean;
}

export async function refreshAllBillingTables(
  workbook: Workbook = excelWorkbook(),
  onFinished?: (result: TableRefreshResult) => void
): Promise<RefreshAllReport> {
  if (!currentApiKey()) {
    return {
      results: [],
      ok: false,
      lines: [
        "No Infobip API key is remembered on this computer. Open the Billing Usage pane, enter the key in Settings and tick \u201cRemember on this computer\u201d, or refresh from the pane.",
      ],
    };
  }
  const tables = await workbook.listTables();
  if (tables.length === 0) return { results: [], ok: true, lines: ["This workbook has no billing tables to refresh."] };
  const results = await refreshTables(
    tables,
    {
      runner: {
        client: new RelayClient({ baseUrl: loadRelayUrl(), apiKey: currentApiKey }),
        pending: workbook.pending,
        sink: workbook.sink,
        now: () => new Date(),
        sleep: abortableSleep,
      },
      workbook,
    },
    { ...(onFinished ? { onFinished } : {}) }
  );
  const refreshed = results.filter((r) => r.outcome.kind === "done").length;
  return {
    results,
    ok: refreshed === results.length,
    lines: [...results.map(describeRefresh), `${refreshed} of ${results.length} billing tables refreshed.`],
  };
}
