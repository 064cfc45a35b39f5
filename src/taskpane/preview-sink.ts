/** Outside Excel the result "goes to" the preview: the rows are already in memory, so writing is instant. */
import type { FetchedResult, ResultSink, ResultPlacement } from "./query-runner";

export class PreviewSink implements ResultSink {
  async write(
    result: FetchedResult,
    _destination: unknown,
    onProgress: (written: number, total: number) => void
  ): Promise<ResultPlacement> {
    const total = result.rows.length;
    onProgress(total, total);
    return {
      message:
        total === 0
          ? "No billed usage for these filters."
          : `${total.toLocaleString("en-US")} rows are in the preview below (in Excel they become a table).`,
      rowsWritten: total,
    };
  }
}
