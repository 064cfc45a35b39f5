/**
 * The emulator seen from a test: its clock and request log (admin endpoints under /_emulator/), and its own
 * answer to a query, fetched the way Infobip's clients do: POST the query with a callback URL
 * that a tiny receiver in the test listens on, then wait for the one callback. The end-to-end tests compare what
 * the pane shows with these figures, so no expected number is written into a test.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  BillingUsageResultSchema,
  QueryAggregateDataResponseSchema,
  rowPeriod,
  toDateInterval,
  type BillingUsageQuery,
  type BillingUsageResult,
} from "../../../src/billing";

interface CallbackReceiver {
  url: string;
  next(timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

async function listenForCallback(): Promise<CallbackReceiver> {
  const bodies: unknown[] = [];
  const waiters: Array<(body: unknown) => void> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(200).end();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = { unparsable: Buffer.concat(chunks).toString("utf8").slice(0, 200) };
      }
      const waiter = waiters.shift();
      if (waiter) waiter(body);
      else bodies.push(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const queued = bodies.shift();
        if (queued !== undefined) return resolve(queued);
        const timer = setTimeout(() => reject(new Error(`no callback within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((body) => {
          clearTimeout(timer);
          resolve(body);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Submits `query` straight to the emulator with `apiKey` and returns the callback it delivers. */
export async function emulatorResult(
  emulatorUrl: string,
  apiKey: string,
  query: BillingUsageQuery
): Promise<BillingUsageResult> {
  const receiver = await listenForCallback();
  try {
    const answer = await fetch(`${emulatorUrl}/billing/1/usage/query`, {
      method: "POST",
      headers: { Authorization: `App ${apiKey}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ callbackUrl: receiver.url, request: query }),
    });
    const text = await answer.text();
    if (answer.status !== 201) throw new Error(`the emulator answered ${answer.status}: ${text}`);
    const { requestId } = QueryAggregateDataResponseSchema.parse(JSON.parse(text));
    const result = BillingUsageResultSchema.parse(await receiver.next(30_000));
    if (result.requestId !== requestId) throw new Error(`callback for ${result.requestId}, expected ${requestId}`);
    if (result.status !== "SUCCESS")
      throw new Error(`the emulator's query failed: ${result.failureMessage ?? "no message"}`);
    return result;
  } finally {
    await receiver.close();
  }
}

function columnIndex(result: BillingUsageResult, name: string): number {
  const index = result.response?.columns.findIndex((c) => c.columnName === name) ?? -1;
  if (index < 0) throw new Error(`the result has no ${name} column`);
  return index;
}

/** Σ TOTAL_PER_UNIT per currency (never across currencies). */
export function totalsByCurrency(result: BillingUsageResult): Map<string, number> {
  const total = columnIndex(result, "TOTAL_PER_UNIT");
  const currency = columnIndex(result, "CURRENCY");
  const sums = new Map<string, number>();
  for (const row of result.response?.rows ?? []) {
    const key = String(row[currency]);
    sums.set(key, (sums.get(key) ?? 0) + Number(row[total]));
  }
  return sums;
}

/**
 * Σ TOTAL_PER_UNIT per billing month × currency (× account, when `accountColumn` is given), keyed
 * `yyyy-MM|CUR` or `yyyy-MM|CUR|account`, as the reconciliation summarises a billing table.
 */
export function totalsByMonthAndCurrency(
  result: BillingUsageResult,
  accountColumn?: "ACCOUNT_NAME" | "ACCOUNT_KEY"
): Map<string, number> {
  const response = result.response;
  if (!response || !result.metadata) throw new Error("a SUCCESS result without response or metadata");
  const total = columnIndex(result, "TOTAL_PER_UNIT");
  const currency = columnIndex(result, "CURRENCY");
  const time = response.columns.findIndex((c) => c.columnName === "MONTH" || c.columnName === "DAY");
  const account = accountColumn === undefined ? -1 : columnIndex(result, accountColumn);
  const requested = toDateInterval(response.requestedPeriod);
  const sums = new Map<string, number>();
  for (const row of response.rows) {
    const timeValue = time >= 0 ? String(row[time]) : undefined;
    const { billingMonth } = rowPeriod(timeValue, requested, result.metadata.billingPeriods);
    const key = [billingMonth, String(row[currency]), ...(account >= 0 ? [String(row[account])] : [])].join("|");
    sums.set(key, (sums.get(key) ?? 0) + Number(row[total]));
  }
  return sums;
}

/**
 * Σ TOTAL_PER_UNIT per billing month × currency × the value of `column` (CATEGORY_CODE, say), keyed
 * `yyyy-MM|CUR|value`, as the cost overview splits a month's cost; with `days`, only the rows of those days
 * (`yyyy-MM-dd`) count, keyed `yyyy-MM|CUR|*` when `column` is undefined.
 */
export function totalsByMonthCurrencyAnd(
  result: BillingUsageResult,
  column: string | undefined,
  days?: (day: string) => boolean
): Map<string, number> {
  const response = result.response;
  if (!response || !result.metadata) throw new Error("a SUCCESS result without response or metadata");
  const total = columnIndex(result, "TOTAL_PER_UNIT");
  const currency = columnIndex(result, "CURRENCY");
  const day = response.columns.findIndex((c) => c.columnName === "DAY");
  const split = column === undefined ? -1 : columnIndex(result, column);
  const requested = toDateInterval(response.requestedPeriod);
  const sums = new Map<string, number>();
  for (const row of response.rows) {
    const dayValue = day >= 0 ? String(row[day]) : undefined;
    if (days && !(dayValue !== undefined && days(dayValue.slice(0, 10)))) continue;
    const { billingMonth } = rowPeriod(dayValue, requested, result.metadata.billingPeriods);
    const key = [billingMonth, String(row[currency]), split >= 0 ? String(row[split]) : "*"].join("|");
    sums.set(key, (sums.get(key) ?? 0) + Number(row[total]));
  }
  return sums;
}

/** The number of rows of each currency (the preview's "Rows" column). */
export function rowsByCurrency(result: BillingUsageResult): Map<string, number> {
  const currency = columnIndex(result, "CURRENCY");
  const counts = new Map<string, number>();
  for (const row of result.response?.rows ?? [])
    counts.set(String(row[currency]), (counts.get(String(row[currency])) ?? 0) + 1);
  return counts;
}

/** The emulator's clock as it stands. */
export async function emulatorNow(emulatorUrl: string): Promise<Date> {
  const answer = await fetch(`${emulatorUrl}/_emulator/clock`);
  const body = (await answer.json()) as { now?: unknown };
  if (answer.status !== 200 || typeof body.now !== "string")
    throw new Error(`GET /_emulator/clock answered ${answer.status}`);
  return new Date(body.now);
}

/** Moves the emulator's clock (`{now}` or `{advanceDays}`) and returns the new time. */
export async function moveEmulatorClock(
  emulatorUrl: string,
  change: { now: string } | { advanceDays: number }
): Promise<Date> {
  const answer = await fetch(`${emulatorUrl}/_emulator/clock`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(change),
  });
  const body = (await answer.json()) as { now?: unknown };
  if (answer.status !== 200 || typeof body.now !== "string") {
    throw new Error(`PUT /_emulator/clock answered ${answer.status}: ${JSON.stringify(body)}`);
  }
  return new Date(body.now);
}

/** How many submissions the emulator has logged (it keeps the recent ones). */
export async function emulatorSubmissionCount(emulatorUrl: string): Promise<number> {
  const answer = await fetch(`${emulatorUrl}/_emulator/requests`);
  const body = (await answer.json()) as { requests?: unknown };
  if (answer.status !== 200 || !Array.isArray(body.requests))
    throw new Error(`GET /_emulator/requests answered ${answer.status}`);
  return body.requests.length;
}
