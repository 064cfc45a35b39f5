/**
 * Following one query from submission to the written table:
 * submitting → waiting for Infobip (long-poll on the relay) → receiving rows (pages) → writing rows → done.
 *
 * Pure orchestration: the relay client, the clock, the pending-query store and the place the rows go
 * (an Excel table, or the browser preview) are handed in, so the same code runs in Excel, in the
 * browser and in tests with fakes. Nothing is written until every row is in, so a failure never leaves
 * a half-written table.
 */
import {
  predictColumns,
  type BillingUsageMetadata,
  type BillingUsageQuery,
  type ColumnInfo,
  type DateInterval,
  type DateTimeInterval,
  type QueryDefinition,
  type RawRow,
} from "../billing";
import { MAX_PAGE_ROWS, MAX_WAIT_SECONDS } from "../relay-api";
import type { Destination } from "./composer-state";
import { endingToday, refusesFutureEnd, type PeriodEndMoved } from "./future-end";
import { RelayError, isAbort, type QueryState, type RelayApi, type SubmittedQuery } from "./relay-client";
import { RunError, toRunFailure, type RunFailure } from "./run-error";

/** One connection's relay query of a run over several connections. */
export interface PendingPart {
  connection: string;
  queryId: string;
  requestId?: string;
}

/** A query submitted but not yet written: saved with the workbook (or the browser) to survive a closed pane. */
export interface PendingQuery {
  queryId: string;
  requestId?: string;
  label?: string;
  definition: QueryDefinition;
  destination: Destination;
  /** ISO instant. */
  submittedAt: string;
  /**
   * A run over the definition's connections: one relay query each (`queryId` is the first's). Picked up as one:
   * every part is followed, and the table is written when all are in (or, if the user says so, without a failed one).
   */
  parts?: PendingPart[];
}

export interface PendingStore {
  add(pending: PendingQuery): Promise<void>;
  remove(queryId: string): Promise<void>;
  list(): Promise<PendingQuery[]>;
}

/** Every row of a succeeded query, with what is needed to shape and label it. */
export interface FetchedResult {
  queryId: string;
  requestId?: string;
  label?: string;
  definition: QueryDefinition;
  columns: ColumnInfo[];
  rows: RawRow[];
  metadata?: BillingUsageMetadata;
  /** The period Infobip used, when the relay passes it on (otherwise the metadata's requested period applies). */
  requestedPeriod?: DateTimeInterval;
  /** The period the pane sent, when known (a query picked up after the pane closed only has its definition). */
  sentPeriod?: DateInterval;
  /** When the pane finished reading the result. */
  retrievedAt: Date;
  /**
   * A run over named connections: each connection's rows on their own (same columns as `columns`, in that order);
   * `rows` above then holds them all, one after the other. The table gets a Connection column.
   */
  parts?: ConnectionPart[];
  /** Connections of the definition whose rows are NOT in this result (the user chose to write the others). */
  missing?: MissingConnection[];
}

/** One connection's rows of a run over several connections. */
export interface ConnectionPart {
  connection: string;
  queryId: string;
  requestId?: string;
  rows: RawRow[];
  metadata?: BillingUsageMetadata;
  requestedPeriod?: DateTimeInterval;
  sentPeriod?: DateInterval;
}

export interface MissingConnection {
  connection: string;
  /** Plain words: why its rows are not there. */
  reason: string;
}

/** A connection that failed in a run over several, and why. */
export interface ConnectionFailure {
  connection: string;
  error: RunFailure;
}

/**
 * What a run over several connections fetched when some failed: nothing was written, but the others' rows are
 * ready for "Write the others" ({@link writeWithoutFailed}).
 */
export interface PartialRun {
  result: FetchedResult;
  destination: Destination;
  /** The pending record of the run, removed once the others are written. */
  pendingId: string;
  failures: ConnectionFailure[];
}

/** Where a result went (a table on a sheet, or the preview) and how many rows, as its sink reports it. */
export interface ResultPlacement {
  /** Plain words for the done line: "Written to table Billing_2026_03 on sheet …". */
  message: string;
  tableName?: string;
  sheetName?: string;
  rowsWritten: number;
}

/** Where the rows go once they are all in: an Excel table, or the browser preview. */
export interface ResultSink {
  write(
    result: FetchedResult,
    destination: Destination,
    onProgress: (written: number, total: number) => void
  ): Promise<ResultPlacement>;
}

export type RunStep =
  | { step: "submitting" }
  /**
   * `answerUnknown`: Infobip was reached but did not answer the submission in time (the relay's infobipAnswer
   * "unknown"): the result may still arrive, or never; the user may wait or cancel (which deletes the query).
   */
  | { step: "waiting"; queryId: string; attempt: number; answerUnknown?: boolean }
  | { step: "receiving"; queryId: string; received: number; total: number }
  | { step: "writing"; queryId: string; written: number; total: number };

export type RunProgress = RunStep & { startedAt: Date; label?: string; connections?: number };

export type RunOutcome =
  | {
      kind: "done";
      queryId: string;
      result: FetchedResult;
      placement: ResultPlacement;
      elapsedMs: number;
      /** Set when Infobip refused the period's end after today and the query ran up to today instead. */
      endMoved?: PeriodEndMoved;
    }
  /**
   * The relay or Infobip refused or failed it, no key was set, or the rows could not be written: nothing was.
   * `partial`: a run over several connections where some delivered; the user may write those (never silently).
   */
  | {
      kind: "failed";
      queryId?: string;
      error: RunFailure;
      elapsedMs: number;
      pendingKept: boolean;
      partial?: PartialRun;
    }
  /** Still pending long after submission: Infobip may never deliver; offer to run it again. */
  | { kind: "overdue"; queryId: string; elapsedMs: number }
  | { kind: "cancelled"; queryId?: string; elapsedMs: number };

/** What this run submitted: the period (for the result) and, when Infobip refused its end, the move to today. */
interface Sent {
  period: DateInterval;
  endMoved?: PeriodEndMoved;
}

export interface RunnerDeps {
  /** The relay client of the default connection (a relay with one connection: the only one). */
  client: RelayApi;
  /**
   * The relay client of a named connection (its own API key, `connection` on submissions); needed to run a
   * definition that names connections.
   */
  clientFor?: (connection: string) => RelayApi;
  pending: PendingStore;
  sink: ResultSink;
  now: () => Date;
  /** Waits, or rejects when the signal aborts (injected so tests need no real time). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Long-poll length per call to the relay, seconds (≤ 30). */
  waitSeconds?: number;
  /** Rows per page (5,000–10,000). */
  pageSize?: number;
  /** Consecutive transient failures (relay unreachable, 5xx, 429) tolerated while waiting or reading. */
  maxRetries?: number;
}

export const DEFAULT_WAIT_SECONDS = 25;
/** The largest page the relay serves: the fewest round trips. */
export const DEFAULT_PAGE_SIZE = MAX_PAGE_ROWS;
const DEFAULT_MAX_RETRIES = 4;

export interface RunRequest {
  definition: QueryDefinition;
  query: BillingUsageQuery;
  destination: Destination;
}

/** The user pressed Cancel: the run stops where it is (an `AbortError`, as `fetch` throws). */
function stopped(): Error {
  return new DOMException("Stopped.", "AbortError");
}

/** A sleep that ends early (rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

class Run {
  private readonly startedAt: Date;
  private readonly waitSeconds: number;
  private readonly pageSize: number;
  private readonly maxRetries: number;
  /** Whether Infobip's answer to the submission is unknown (it did not answer the relay in time). */
  private answerUnknown = false;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly onProgress: (progress: RunProgress) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly label: string | undefined
  ) {
    this.startedAt = deps.now();
    this.waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.max(1, deps.waitSeconds ?? DEFAULT_WAIT_SECONDS));
    this.pageSize = Math.min(MAX_PAGE_ROWS, Math.max(1, deps.pageSize ?? DEFAULT_PAGE_SIZE));
    this.maxRetries = deps.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  elapsed(): number {
    return Math.max(0, this.deps.now().getTime() - this.startedAt.getTime());
  }

  report(step: RunStep): void {
    this.onProgress({ ...step, startedAt: this.startedAt, ...(this.label ? { label: this.label } : {}) });
  }

  private checkAborted(): void {
    if (this.signal?.aborted) throw stopped();
  }

  /** Calls the relay, retrying transient failures with growing pauses (honouring Retry-After). */
  async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.checkAborted();
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof RelayError) || !error.retryable || attempt >= this.maxRetries) throw error;
        const pauseMs = (error.details.retryAfterSeconds ?? Math.min(30, 2 ** attempt)) * 1000;
        await this.deps.sleep(pauseMs, this.signal);
      }
    }
  }

  /** Long-polls until the query leaves `pending` (or is reported overdue). */
  async waitForResult(queryId: string): Promise<QueryState> {
    for (let attempt = 1; ; attempt++) {
      this.report({ step: "waiting", queryId, attempt, ...(this.answerUnknown ? { answerUnknown: true } : {}) });
      const state = await this.withRetries(() =>
        this.deps.client.get(queryId, {
          waitSeconds: this.waitSeconds,
          ...(this.signal ? { signal: this.signal } : {}),
        })
      );
      this.answerUnknown = state.infobipAnswer === "unknown";
      if (state.status !== "pending" || state.overdue) return state;
    }
  }

  /**
   * Reads every row, page by page. When the total is known (a settled query says it), up to
   * {@link PARALLEL_PAGES} pages are requested at once: the relay serves a page while the pane parses the one
   * before (measured in Chromium for 125k rows, bench/pane.ts).
   */
  async readRows(
    state: QueryState,
    definition: QueryDefinition
  ): Promise<Omit<FetchedResult, "retrievedAt" | "sentPeriod">> {
    const queryId = state.id;
    let rows: RawRow[] = [];
    let total = state.totalRows ?? undefined;
    let columns = state.columns ?? undefined;
    let requestedPeriod = state.requestedPeriod ?? undefined;
    this.report({ step: "receiving", queryId, received: 0, total: total ?? 0 });
    if (total !== undefined && total > this.pageSize) {
      const known = total;
      const offsets = Array.from({ length: Math.ceil(known / this.pageSize) }, (_, index) => index * this.pageSize);
      let received = 0;
      const pages = await mapWithConcurrency(offsets, PARALLEL_PAGES, async (offset) => {
        const page = await this.withRetries(() =>
          this.deps.client.rows(queryId, { offset, limit: this.pageSize }, this.signal)
        );
        received += page.rows.length;
        this.report({ step: "receiving", queryId, received: Math.min(received, known), total: known });
        return page;
      });
      for (const [index, page] of pages.entries()) {
        const offset = offsets[index] ?? 0;
        columns ??= page.columns;
        requestedPeriod ??= page.requestedPeriod ?? undefined;
        if (page.totalRows !== known || page.rows.length < Math.min(this.pageSize, known - offset)) {
          // The result changed under us, or a page came short: read it again, one page after another.
          rows = [];
          total = undefined;
          break;
        }
        for (const row of page.rows) rows.push(row);
      }
    }
    while (total === undefined || rows.length < total) {
      const offset = rows.length;
      const page = await this.withRetries(() =>
        this.deps.client.rows(queryId, { offset, limit: this.pageSize }, this.signal)
      );
      total = page.totalRows;
      columns ??= page.columns;
      requestedPeriod ??= page.requestedPeriod ?? undefined;
      if (page.rows.length === 0 && rows.length < total) {
        throw new RelayError(
          "invalid-answer",
          `The relay stopped returning rows at ${rows.length} of ${total}.`,
          "Run the query again."
        );
      }
      for (const row of page.rows) rows.push(row);
      this.report({ step: "receiving", queryId, received: Math.min(rows.length, total), total });
    }
    return {
      queryId,
      ...(state.requestId ? { requestId: state.requestId } : {}),
      ...(this.label ? { label: this.label } : {}),
      definition,
      columns: columns ?? predictColumns(definition.aggregateBy),
      rows: rows.slice(0, total),
      ...(state.metadata ? { metadata: state.metadata } : {}),
      ...(requestedPeriod ? { requestedPeriod } : {}),
    };
  }

  /**
   * From a known query id to the written table; `sent` when this run submitted the query itself.
   */
  async follow(pending: PendingQuery, sent?: Sent): Promise<RunOutcome> {
    const { queryId } = pending;
    try {
      const state = await this.waitForResult(queryId);
      if (state.status === "pending") return { kind: "overdue", queryId, elapsedMs: this.elapsed() };
      if (state.status === "failed" || state.status === "unreadable") {
        await this.deps.pending.remove(queryId);
        const why = state.failureMessage ? `: ${state.failureMessage.replace(/\.$/, "")}` : "";
        const error =
          state.status === "failed"
            ? new RelayError(
                "unavailable",
                `Infobip could not produce the result${why}.`,
                "Check the query and run it again."
              )
            : new RelayError(
                "invalid-answer",
                `Infobip's result arrived but could not be read${why}.`,
                "Run the query again; if it happens again, the relay keeps the raw answer for support."
              );
        return { kind: "failed", queryId, error, elapsedMs: this.elapsed(), pendingKept: false };
      }
      const fetched = await this.readRows(state, pending.definition);
      this.checkAborted();
      const result: FetchedResult = {
        ...fetched,
        ...(sent ? { sentPeriod: sent.period } : {}),
        retrievedAt: this.deps.now(),
      };
      const written = await writeFetched(this.deps, result, pending, (step) => this.report(step));
      if (!written.ok) {
        return { kind: "failed", queryId, error: written.error, elapsedMs: this.elapsed(), pendingKept: false };
      }
      const placement = written.placement;
      await this.deps.pending.remove(queryId);
      return {
        kind: "done",
        queryId,
        result,
        placement,
        elapsedMs: this.elapsed(),
        ...(sent?.endMoved ? { endMoved: sent.endMoved } : {}),
      };
    } catch (error) {
      if (isAbort(error)) {
        // The user chose to stop: forget the query here (the relay lets it expire on its own). One Infobip never
        // answered is deleted on the relay too: cancelling it is how the user gives up on a result that may come.
        await this.deps.pending.remove(queryId).catch(() => undefined);
        if (this.answerUnknown) await this.deps.client.remove(queryId).catch(() => undefined);
        return { kind: "cancelled", queryId, elapsedMs: this.elapsed() };
      }
      const failure = toRunFailure(error);
      // A gone query will never come back; anything else may succeed when the pane opens again.
      const keep = failure.kind !== "not-found";
      if (!keep) await this.deps.pending.remove(queryId).catch(() => undefined);
      return { kind: "failed", queryId, error: failure, elapsedMs: this.elapsed(), pendingKept: keep };
    }
  }

  submit(query: BillingUsageQuery, label: string | undefined): Promise<SubmittedQuery> {
    return this.withRetries(() =>
      this.deps.client.submit({ request: query, ...(label ? { label } : {}) }, this.signal)
    );
  }

  /**
   * Submits the query; if Infobip refuses its end because it lies after today, submits it again ending today
   * (see future-end.ts), once.
   */
  async submitMovingAFutureEnd(
    query: BillingUsageQuery,
    label: string | undefined
  ): Promise<{ submitted: SubmittedQuery; query: BillingUsageQuery; endMoved?: PeriodEndMoved }> {
    try {
      return { submitted: await this.submit(query, label), query };
    } catch (error) {
      const now = this.deps.now();
      if (
        !(error instanceof RelayError) ||
        error.kind !== "bad-request" ||
        !refusesFutureEnd(error.violations, query, now)
      ) {
        throw error;
      }
      const instead = endingToday(query, now);
      if (!instead) {
        throw new RunError(
          "no-day-before-today",
          "Infobip does not accept a period that ends after today, and this period has no whole day before today.",
          "Run it again tomorrow, or choose an earlier period.",
          error.violations
        );
      }
      this.report({ step: "submitting" });
      return { submitted: await this.submit(instead.query, label), query: instead.query, endMoved: instead.moved };
    }
  }

  async submitAndFollow(request: RunRequest): Promise<RunOutcome> {
    this.report({ step: "submitting" });
    let pending: PendingQuery;
    let sent: Sent;
    try {
      this.checkAborted();
      const label = request.definition.label;
      const { submitted, query, endMoved } = await this.submitMovingAFutureEnd(request.query, label);
      sent = { period: query.filterBy.dateInterval, ...(endMoved ? { endMoved } : {}) };
      this.answerUnknown = submitted.infobipAnswer === "unknown";
      pending = {
        queryId: submitted.id,
        ...(submitted.requestId ? { requestId: submitted.requestId } : {}),
        ...(label ? { label } : {}),
        definition: request.definition,
        destination: request.destination,
        submittedAt: this.deps.now().toISOString(),
      };
      // Saved before waiting: if the pane closes now, the next one picks the query up.
      await this.deps.pending.add(pending);
    } catch (error) {
      if (isAbort(error)) return { kind: "cancelled", elapsedMs: this.elapsed() };
      return { kind: "failed", error: toRunFailure(error), elapsedMs: this.elapsed(), pendingKept: false };
    }
    return this.follow(pending, sent);
  }
}

/** Submits a query through the relay and follows it to the written table (over each of its connections, if named). */
export function runQuery(
  request: RunRequest,
  deps: RunnerDeps,
  onProgress: (progress: RunProgress) => void = () => undefined,
  signal?: AbortSignal
): Promise<RunOutcome> {
  const connections = request.definition.connections;
  if (connections) {
    return new ConnectionsRun(deps, onProgress, signal, request.definition.label).submitAndFollow(request, connections);
  }
  return new Run(deps, onProgress, signal, request.definition.label).submitAndFollow(request);
}

/** Picks up a query submitted earlier (by this pane or one that was closed) and follows it to the end. */
export function followPendingQuery(
  pending: PendingQuery,
  deps: RunnerDeps,
  onProgress: (progress: RunProgress) => void = () => undefined,
  signal?: AbortSignal
): Promise<RunOutcome> {
  const label = pending.label ?? pending.definition.label;
  if (pending.parts) return new ConnectionsRun(deps, onProgress, signal, label).follow(pending, new Map(), []);
  return new Run(deps, onProgress, signal, label).follow(pending);
}

/**
 * Connections of one run followed at once. Each connection has its own API key and so its own budget at the relay
 * (`RELAY_SUBMIT_RATE_PER_SECOND` per key) and at Infobip; a run asks each for one submission and a few reads, so
 * four at a time keeps the pane's own traffic modest (Refresh all runs three tables at once) without making the
 * user wait for connections one after the other.
 */
export const CONNECTION_CONCURRENCY = 4;

type PartOutcome =
  | { kind: "ok"; part: ConnectionPart; columns: ColumnInfo[] }
  | { kind: "failed"; connection: string; error: RunFailure; keep: boolean }
  | { kind: "overdue"; connection: string }
  | { kind: "cancelled"; connection: string };

/**
 * One query over several named connections: one relay query per connection, submitted and followed in parallel,
 * written as ONE table once every connection's rows are in. If any connection fails, nothing is written: the
 * outcome names each failed connection and why, and carries the others' rows for "Write the others".
 */
class ConnectionsRun {
  private readonly startedAt: Date;
  private readonly received = new Map<string, { received: number; total: number }>();
  private readonly clients = new Map<string, RelayApi>();

  constructor(
    private readonly deps: RunnerDeps,
    private readonly onProgress: (progress: RunProgress) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly label: string | undefined
  ) {
    this.startedAt = deps.now();
  }

  private elapsed(): number {
    return Math.max(0, this.deps.now().getTime() - this.startedAt.getTime());
  }

  private report(step: RunStep, connections: number): void {
    this.onProgress({ ...step, startedAt: this.startedAt, connections, ...(this.label ? { label: this.label } : {}) });
  }

  /** A single-query run on one connection's client, its progress summed into this run's. */
  private runOn(connection: string, connections: number): Run {
    const client = this.clients.get(connection) ?? this.deps.clientFor?.(connection);
    if (client) this.clients.set(connection, client);
    if (!client) {
      throw new RunError(
        "unexpected",
        `This pane cannot run a query on the connection “${connection}”.`,
        "Reload the add-in and try again."
      );
    }
    return new Run(
      { ...this.deps, client },
      (progress) => {
        if (progress.step === "receiving") {
          this.received.set(connection, { received: progress.received, total: progress.total });
          let received = 0;
          let total = 0;
          for (const part of this.received.values()) {
            received += part.received;
            total += part.total;
          }
          this.report({ step: "receiving", queryId: progress.queryId, received, total }, connections);
        } else if (progress.step !== "writing") {
          this.report(progress, connections);
        }
      },
      this.signal,
      this.label
    );
  }

  async submitAndFollow(request: RunRequest, connections: readonly string[]): Promise<RunOutcome> {
    this.report({ step: "submitting" }, connections.length);
    const label = request.definition.label;
    const submissions = await mapWithConcurrency(connections, CONNECTION_CONCURRENCY, async (connection) => {
      try {
        if (this.signal?.aborted) throw stopped();
        const run = this.runOn(connection, connections.length);
        const { submitted, query, endMoved } = await run.submitMovingAFutureEnd(request.query, label);
        const sent: Sent = { period: query.filterBy.dateInterval, ...(endMoved ? { endMoved } : {}) };
        return { ok: true as const, connection, submitted, sent };
      } catch (error) {
        return { ok: false as const, connection, error };
      }
    });
    if (this.signal?.aborted || submissions.some((s) => !s.ok && isAbort(s.error))) {
      return { kind: "cancelled", elapsedMs: this.elapsed() };
    }
    const failures: ConnectionFailure[] = submissions.flatMap((s) =>
      s.ok ? [] : [{ connection: s.connection, error: toRunFailure(s.error) }]
    );
    const submitted = submissions.flatMap((s) => (s.ok ? [s] : []));
    const first = submitted[0];
    if (!first) {
      return {
        kind: "failed",
        error: connectionsError(failures, false),
        elapsedMs: this.elapsed(),
        pendingKept: false,
      };
    }
    const pending: PendingQuery = {
      queryId: first.submitted.id,
      ...(label ? { label } : {}),
      definition: request.definition,
      destination: request.destination,
      submittedAt: this.deps.now().toISOString(),
      parts: submitted.map((s) => ({
        connection: s.connection,
        queryId: s.submitted.id,
        ...(s.submitted.requestId ? { requestId: s.submitted.requestId } : {}),
      })),
    };
    try {
      // Saved before waiting: if the pane closes now, the next one picks every part up.
      await this.deps.pending.add(pending);
    } catch (error) {
      return { kind: "failed", error: toRunFailure(error), elapsedMs: this.elapsed(), pendingKept: false };
    }
    return this.follow(pending, new Map(submitted.map((s) => [s.connection, s.sent])), failures);
  }

  /** Follows every part of `pending`; writes the table only when all are in (and none failed before, `earlier`). */
  async follow(
    pending: PendingQuery,
    sent: ReadonlyMap<string, Sent>,
    earlier: ConnectionFailure[]
  ): Promise<RunOutcome> {
    const parts = pending.parts ?? [];
    const connections = pending.definition.connections ?? parts.map((p) => p.connection);
    // A connection of the definition without a part was never submitted (its submission failed before the pane closed).
    const unsubmitted: ConnectionFailure[] = connections
      .filter((c) => !parts.some((p) => p.connection === c) && !earlier.some((f) => f.connection === c))
      .map((connection) => ({
        connection,
        error: new RunError("unexpected", "Its query was not submitted.", "Run the query again."),
      }));
    const outcomes = await mapWithConcurrency(parts, CONNECTION_CONCURRENCY, (part) =>
      this.followPart(part, pending.definition, sent.get(part.connection), connections.length)
    );
    if (outcomes.some((o) => o.kind === "cancelled")) {
      await this.deps.pending.remove(pending.queryId).catch(() => undefined);
      return { kind: "cancelled", queryId: pending.queryId, elapsedMs: this.elapsed() };
    }
    const failures: ConnectionFailure[] = [...earlier, ...unsubmitted];
    let keep = false;
    for (const outcome of outcomes) {
      if (outcome.kind === "failed") {
        failures.push({ connection: outcome.connection, error: outcome.error });
        keep ||= outcome.keep;
      } else if (outcome.kind === "overdue") {
        keep = true;
        failures.push({
          connection: outcome.connection,
          error: new RelayError(
            "unavailable",
            "Infobip has not delivered its result for a long time.",
            "Run the query again later."
          ),
        });
      }
    }
    const delivered = outcomes.flatMap((o) => (o.kind === "ok" ? [o] : []));
    const endMoved = [...sent.values()].find((s) => s.endMoved)?.endMoved;
    const order = (c: string) => connections.indexOf(c);
    delivered.sort((a, b) => order(a.part.connection) - order(b.part.connection));
    const result = delivered.length > 0 ? this.combine(pending, delivered, failures) : undefined;
    if (failures.length === 0 && result) {
      return this.write(result, pending, connections.length, endMoved);
    }
    if (!keep) await this.deps.pending.remove(pending.queryId).catch(() => undefined);
    const error = connectionsError(failures, Boolean(result));
    return {
      kind: "failed",
      queryId: pending.queryId,
      error,
      elapsedMs: this.elapsed(),
      pendingKept: keep,
      ...(result
        ? { partial: { result, destination: pending.destination, pendingId: pending.queryId, failures } }
        : {}),
    };
  }

  private async followPart(
    part: PendingPart,
    definition: QueryDefinition,
    sent: Sent | undefined,
    connections: number
  ): Promise<PartOutcome> {
    const { connection } = part;
    try {
      const run = this.runOn(connection, connections);
      const state = await run.waitForResult(part.queryId);
      if (state.status === "pending") return { kind: "overdue", connection };
      if (state.status === "failed" || state.status === "unreadable") {
        const why = state.failureMessage ? `: ${state.failureMessage.replace(/\.$/, "")}` : "";
        const error =
          state.status === "failed"
            ? new RelayError("unavailable", `Infobip could not produce the result${why}.`, "Run the query again.")
            : new RelayError(
                "invalid-answer",
                `Infobip's result arrived but could not be read${why}.`,
                "Run the query again."
              );
        return { kind: "failed", connection, error, keep: false };
      }
      const fetched = await run.readRows(state, definition);
      return {
        kind: "ok",
        columns: fetched.columns,
        part: {
          connection,
          queryId: part.queryId,
          ...(fetched.requestId ? { requestId: fetched.requestId } : {}),
          rows: fetched.rows,
          ...(fetched.metadata ? { metadata: fetched.metadata } : {}),
          ...(fetched.requestedPeriod ? { requestedPeriod: fetched.requestedPeriod } : {}),
          ...(sent ? { sentPeriod: sent.period } : {}),
        },
      };
    } catch (error) {
      if (isAbort(error)) return { kind: "cancelled", connection };
      const failure = toRunFailure(error);
      // A gone query never comes back; anything else may succeed when the pane opens again.
      return { kind: "failed", connection, error: failure, keep: failure.kind !== "not-found" };
    }
  }

  /** The delivered parts as one result: every part's rows in the first part's column order. */
  private combine(
    pending: PendingQuery,
    delivered: readonly Extract<PartOutcome, { kind: "ok" }>[],
    failures: readonly ConnectionFailure[]
  ): FetchedResult {
    const columns = delivered[0]?.columns ?? predictColumns(pending.definition.aggregateBy);
    const parts = delivered.map(({ part, columns: own }) => ({ ...part, rows: alignRows(part.rows, own, columns) }));
    return {
      queryId: pending.queryId,
      ...(this.label ? { label: this.label } : {}),
      definition: pending.definition,
      columns,
      rows: parts.flatMap((p) => p.rows),
      retrievedAt: this.deps.now(),
      parts,
      ...(failures.length > 0
        ? { missing: failures.map((f) => ({ connection: f.connection, reason: failureReason(f.error) })) }
        : {}),
    };
  }

  async write(
    result: FetchedResult,
    pending: Pick<PendingQuery, "queryId" | "destination">,
    connections: number,
    endMoved?: PeriodEndMoved
  ): Promise<RunOutcome> {
    const queryId = pending.queryId;
    const written = await writeFetched(this.deps, result, pending, (step) => this.report(step, connections));
    if (!written.ok) {
      return { kind: "failed", queryId, error: written.error, elapsedMs: this.elapsed(), pendingKept: false };
    }
    const placement = written.placement;
    await this.deps.pending.remove(queryId).catch(() => undefined);
    return {
      kind: "done",
      queryId,
      result,
      placement,
      elapsedMs: this.elapsed(),
      ...(endMoved ? { endMoved } : {}),
    };
  }
}

/**
 * Writes a fetched result where its query asked, telling progress. A failed write forgets the query: writing again
 * would fail the same way (too many rows, a missing table).
 */
async function writeFetched(
  deps: RunnerDeps,
  result: FetchedResult,
  pending: Pick<PendingQuery, "queryId" | "destination">,
  report: (step: RunStep) => void
): Promise<{ ok: true; placement: ResultPlacement } | { ok: false; error: RunError }> {
  const queryId = pending.queryId;
  report({ step: "writing", queryId, written: 0, total: result.rows.length });
  try {
    const placement = await deps.sink.write(result, pending.destination, (written, of) =>
      report({ step: "writing", queryId, written, total: of })
    );
    return { ok: true, placement };
  } catch (error) {
    await deps.pending.remove(queryId).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: new RunError(
        "write-failed",
        why,
        "Check the workbook (the destination table must still exist) and run the query again."
      ),
    };
  }
}

/** Rows of columns `from` in the order of columns `to` (by column name; a column `from` lacks stays empty). */
function alignRows(rows: readonly RawRow[], from: readonly ColumnInfo[], to: readonly ColumnInfo[]): RawRow[] {
  const same = from.length === to.length && from.every((c, i) => c.columnName === to[i]?.columnName);
  if (same) return [...rows];
  const at = to.map((c) => from.findIndex((f) => f.columnName === c.columnName));
  return rows.map((row) => at.map((i) => (i < 0 ? null : (row[i] ?? null))));
}

function failureReason(error: RunFailure): string {
  return error.summary.replace(/\.$/, "");
}

/** Why a run over connections wrote nothing, naming each failed connection. */
function connectionsError(failures: readonly ConnectionFailure[], othersDelivered: boolean): RunError {
  const list = failures.map((f) => `“${f.connection}”: ${failureReason(f.error)}`).join("; ");
  const noun = failures.length === 1 ? "connection" : "connections";
  const summary = `Nothing was written: the ${noun} ${list}.`;
  const advice = failures.map((f) => f.error.advice.replace(/\.$/, "")).filter((a, i, all) => all.indexOf(a) === i);
  const settingsKinds: readonly string[] = ["no-key", "unauthorized", "forbidden"];
  return new RunError(
    "connection-failed",
    summary,
    othersDelivered
      ? `${advice.join("; ")}. Or write the other connections' rows now: the table then names what is missing.`
      : `${advice.join("; ")}.`,
    [],
    failures.some((f) => settingsKinds.includes(f.error.kind))
  );
}

/**
 * "Write the others": writes what a run over several connections fetched although some failed; the table names the
 * missing connections above it. Removes the run's pending record.
 */
export function writeWithoutFailed(
  partial: PartialRun,
  deps: RunnerDeps,
  onProgress: (progress: RunProgress) => void = () => undefined
): Promise<RunOutcome> {
  const run = new ConnectionsRun(deps, onProgress, undefined, partial.result.label);
  return run.write(
    { ...partial.result, retrievedAt: deps.now() },
    { queryId: partial.pendingId, destination: partial.destination },
    (partial.result.parts?.length ?? 0) + partial.failures.length
  );
}

/** Pages requested at once when the total is known. */
export const PARALLEL_PAGES = 3;

/** Runs `work` over `items` with at most `limit` at a time, keeping each outcome in input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
