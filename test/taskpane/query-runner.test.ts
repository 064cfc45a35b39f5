import {
  badRequest,
  predictColumns,
  toDateTimeInterval,
  type BillingUsageMetadata,
  type BillingUsageQuery,
  type ColumnInfo,
  type DateInterval,
  type PeriodPreset,
  type QueryDefinition,
  type RawRow,
} from "../../src/billing";
import { validateComposer, initialComposerState } from "../../src/taskpane/composer-state";
import { MemoryPendingStore } from "../../src/taskpane/pending-store";
import {
  abortableSleep,
  followPendingQuery,
  mapWithConcurrency,
  runQuery,
  writeWithoutFailed,
  type FetchedResult,
  type ResultSink,
  type RunProgress,
  type RunnerDeps,
  type RunRequest,
} from "../../src/taskpane/query-runner";
import {
  RelayClient,
  RelayError,
  errorForStatus,
  type QueryState,
  type RelayApi,
  type RowsPage,
  type SubmittedQuery,
} from "../../src/taskpane/relay-client";
import { queryState, rowsPage } from "./relay-answers";
import { shapeFetched } from "../../src/taskpane/result-view";
import { errorWords } from "../../src/taskpane/error-words";
import { connectionsNote } from "../../src/excel/layout";
import { statusLine } from "../../src/taskpane/run-view";
import { deliver, FakeInfobip, type Submission } from "../relay/helpers/fake-infobip";
import { successResult } from "../relay/helpers/results";
import { startTestRelay, TestClock, type TestRelay } from "../relay/helpers/relay";

const START = new Date("2026-03-15T10:00:00Z");

/** A clock that only moves when the fake relay or the fake sleep says so. */
class Clock {
  time = START.getTime();
  now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

interface FakeQuery {
  state: QueryState;
  rows: RawRow[];
  /** Long-poll answers still "pending" before the result lands. */
  pendingPolls: number;
  final: Partial<QueryState>;
}

/** An in-memory relay with scripted behaviour, recording every call. */
class FakeRelay implements RelayApi {
  readonly calls: string[] = [];
  readonly queries = new Map<string, FakeQuery>();
  /** Errors thrown by the next calls, in order, whatever the call. */
  failures: RelayError[] = [];
  private nextId = 1;
  rowsFor: (n: number) => RawRow[] = (n) => makeRows(n);
  script = { pendingPolls: 2, totalRows: 25, final: {} as Partial<QueryState> };

  constructor(private readonly clock: Clock) {}

  private maybeFail(): void {
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  async submit(): Promise<SubmittedQuery> {
    this.calls.push("submit");
    this.maybeFail();
    const id = `q${this.nextId++}`;
    const requestId = `r-${id}`;
    const state = queryState({ id, requestId, status: "pending", createdAt: this.clock.now().toISOString() });
    this.queries.set(id, {
      state,
      rows: this.rowsFor(this.script.totalRows),
      pendingPolls: this.script.pendingPolls,
      final: this.script.final,
    });
    return {
      id,
      requestId,
      status: "pending",
      infobipAnswer: "accepted",
      createdAt: state.createdAt,
      connection: state.connection,
    };
  }

  async get(id: string, options: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<QueryState> {
    this.calls.push(`get ${id} wait=${options.waitSeconds ?? 0}`);
    this.maybeFail();
    const query = this.queries.get(id);
    if (!query) throw errorForStatus(404, undefined);
    if (options.signal?.aborted) throw new RelayError("aborted", "Stopped.", "");
    if (query.pendingPolls > 0) {
      query.pendingPolls--;
      this.clock.advance((options.waitSeconds ?? 0) * 1000);
      return query.state;
    }
    return {
      ...query.state,
      status: "succeeded",
      totalRows: query.rows.length,
      columns: COLUMNS,
      metadata: METADATA,
      ...query.final,
    };
  }

  async list(): Promise<QueryState[]> {
    return [...this.queries.values()].map((q) => q.state);
  }

  async rows(id: string, page: { offset: number; limit: number }): Promise<RowsPage> {
    this.calls.push(`rows ${id} ${page.offset}+${page.limit}`);
    this.maybeFail();
    const query = this.queries.get(id);
    if (!query) throw errorForStatus(404, undefined);
    this.clock.advance(100);
    return rowsPage({
      rows: query.rows.slice(page.offset, page.offset + page.limit),
      totalRows: query.rows.length,
      offset: page.offset,
    });
  }

  async remove(id: string): Promise<void> {
    this.queries.delete(id);
  }

  async checkConnection() {
    return { via: "list" as const, message: "ok" };
  }
}

const COLUMNS: ColumnInfo[] = predictColumns(["MONTH", "COUNTRY_NAME"]);
const METADATA: BillingUsageMetadata = {
  clientRequestedPeriod: { sentSince: "2026-02-01T00:00:00.000+0000", sentUntil: "2026-03-01T00:00:00.000+0000" },
  billingPeriods: [{ month: "2026-02", volumeFinalized: true }],
};

function makeRows(n: number): RawRow[] {
  return Array.from({ length: n }, (_, i) => [
    "Acme",
    "SMS",
    "2026-02-01T00:00:00.000+0000",
    `Country ${i}`,
    "message",
    0.0075,
    i + 1,
    0.0075 * (i + 1),
    "EUR",
  ]);
}

/** Keeps what it was given; can be told to fail. */
class RecordingSink implements ResultSink {
  written: FetchedResult[] = [];
  progress: [number, number][] = [];
  failWith?: Error;
  async write(result: FetchedResult, _destination: unknown, onProgress: (written: number, total: number) => void) {
    if (this.failWith) throw this.failWith;
    const total = result.rows.length;
    for (let done = 0; done < total; done = Math.min(total, done + 10)) {
      onProgress(done, total);
      this.progress.push([done, total]);
    }
    onProgress(total, total);
    this.written.push(result);
    return { message: `Written ${total} rows`, rowsWritten: total, tableName: "Billing_1" };
  }
}

function request(): RunRequest {
  const composed = validateComposer(
    { ...initialComposerState(), label: "Feb by country", dimensions: ["COUNTRY_NAME"] },
    START
  );
  if (!composed.ok) throw new Error("test form is invalid");
  return { definition: composed.definition, query: composed.query, destination: composed.destination };
}

function setup(overrides: Partial<RunnerDeps> = {}) {
  const clock = new Clock();
  const relay = new FakeRelay(clock);
  const pending = new MemoryPendingStore();
  const sink = new RecordingSink();
  const sleeps: number[] = [];
  const deps: RunnerDeps = {
    client: relay,
    pending,
    sink,
    now: clock.now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new RelayError("aborted", "Stopped.", "");
      sleeps.push(ms);
      clock.advance(ms);
    },
    pageSize: 10,
    ...overrides,
  };
  const steps: RunProgress[] = [];
  return { clock, relay, pending, sink, deps, steps, sleeps, onProgress: (p: RunProgress) => steps.push(p) };
}

describe("runQuery", () => {
  it("goes submitted → waiting (long-poll 25 s) → receiving in pages → writing → done, with elapsed time", async () => {
    const t = setup();
    const outcome = await runQuery(request(), t.deps, t.onProgress);

    expect(outcome.kind).toBe("done");
    if (outcome.kind !== "done") return;
    expect(t.relay.calls).toEqual([
      "submit",
      "get q1 wait=25",
      "get q1 wait=25",
      "get q1 wait=25",
      "rows q1 0+10",
      "rows q1 10+10",
      "rows q1 20+10",
    ]);
    expect(outcome.result.rows).toHaveLength(25);
    expect(outcome.result.rows).toEqual(makeRows(25));
    expect(outcome.result.columns).toEqual(COLUMNS);
    expect(outcome.result.metadata).toEqual(METADATA);
    expect(outcome.result.label).toBe("Feb by country");
    // Two 25-second long-polls and three pages of 100 ms on the fake clock.
    expect(outcome.elapsedMs).toBe(50_300);

    const kinds = t.steps.map((s) => s.step);
    expect(kinds[0]).toBe("submitting");
    expect(kinds.indexOf("waiting")).toBeLessThan(kinds.indexOf("receiving"));
    expect(kinds.lastIndexOf("receiving")).toBeLessThan(kinds.indexOf("writing"));
    const receiving = t.steps
      .filter((s) => s.step === "receiving")
      .map((s) => (s.step === "receiving" ? s.received : -1));
    expect(receiving).toEqual([0, 10, 20, 25]);
    const lastWrite = t.steps[t.steps.length - 1];
    expect(lastWrite).toMatchObject({ step: "writing", written: 25, total: 25 });
    expect(t.steps.every((s) => s.startedAt.getTime() === START.getTime())).toBe(true);
  });

  it("saves the pending query before waiting and removes it once written", async () => {
    const t = setup();
    const seenWhileWaiting: string[][] = [];
    const originalGet = t.relay.get.bind(t.relay);
    t.relay.get = async (id, options) => {
      seenWhileWaiting.push((await t.pending.list()).map((p) => p.queryId));
      return originalGet(id, options);
    };
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("done");
    expect(seenWhileWaiting[0]).toEqual(["q1"]);
    expect(await t.pending.list()).toEqual([]);
  });

  it("writes nothing and keeps the pending query when the rows cannot all be read", async () => {
    const t = setup({ maxRetries: 1 });
    const originalRows = t.relay.rows.bind(t.relay);
    let pages = 0;
    t.relay.rows = async (id, page) => {
      if (++pages >= 2) throw errorForStatus(503, undefined);
      return originalRows(id, page);
    };
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome).toMatchObject({ kind: "failed", pendingKept: true });
    expect(t.sink.written).toEqual([]);
    expect((await t.pending.list()).map((p) => p.queryId)).toEqual(["q1"]);
  });

  it("retries transient relay failures with growing pauses and Retry-After", async () => {
    const t = setup();
    t.relay.failures = [
      new RelayError("unreachable", "x", "y"),
      errorForStatus(429, undefined, 7),
      errorForStatus(502, undefined),
    ];
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("done");
    expect(t.sleeps).toEqual([1000, 7000, 4000]);
  });

  it("does not retry what will not change: a 401 fails at once with advice about the key and scope", async () => {
    const t = setup();
    t.relay.failures = [errorForStatus(401, undefined)];
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error.kind).toBe("unauthorized");
    expect(outcome.error.advice).toMatch(/billing:usage:view/);
    expect(t.relay.calls).toEqual(["submit"]);
    expect(t.sleeps).toEqual([]);
    expect(await t.pending.list()).toEqual([]);
  });

  it("reports an overdue query so the pane can offer to run it again", async () => {
    const t = setup();
    t.relay.script.pendingPolls = 1;
    t.relay.script.final = { status: "pending", overdue: true };
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome).toMatchObject({ kind: "overdue", queryId: "q1" });
    expect(t.sink.written).toEqual([]);
  });

  it("passes Infobip's failure message on, and forgets the query", async () => {
    const t = setup();
    t.relay.script.final = { status: "failed", failureMessage: "Query exceeded limits." };
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error.summary).toBe("Infobip could not produce the result: Query exceeded limits.");
    expect(outcome.pendingKept).toBe(false);
    expect(await t.pending.list()).toEqual([]);
  });

  it("Cancel stops waiting: no more calls, nothing written", async () => {
    const t = setup();
    t.relay.script.pendingPolls = 1000;
    const controller = new AbortController();
    const originalGet = t.relay.get.bind(t.relay);
    let polls = 0;
    t.relay.get = async (id, options) => {
      if (++polls === 3) controller.abort();
      return originalGet(id, options);
    };
    const outcome = await runQuery(request(), t.deps, t.onProgress, controller.signal);
    expect(outcome.kind).toBe("cancelled");
    expect(polls).toBe(3);
    expect(t.sink.written).toEqual([]);
    expect(await t.pending.list()).toEqual([]);
  });

  it("a query the relay no longer knows is forgotten", async () => {
    const t = setup();
    const outcome = await followPendingQuery(
      {
        queryId: "gone",
        definition: request().definition as QueryDefinition,
        destination: { kind: "new-sheet" },
        submittedAt: START.toISOString(),
      },
      t.deps,
      t.onProgress
    );
    expect(outcome).toMatchObject({ kind: "failed", pendingKept: false });
    if (outcome.kind === "failed") expect(outcome.error.kind).toBe("not-found");
  });

  it("picks up a pending query and writes it where it was meant to go", async () => {
    const t = setup();
    const submitted = await t.relay.submit();
    const destination = { kind: "replace" as const, tableName: "Billing_Feb" };
    let wroteTo: unknown;
    t.deps.sink = {
      write: async (result, dest) => {
        wroteTo = dest;
        return { message: "ok", rowsWritten: result.rows.length };
      },
    };
    await t.pending.add({
      queryId: submitted.id,
      definition: request().definition,
      destination,
      submittedAt: START.toISOString(),
    });
    const outcome = await followPendingQuery((await t.pending.list())[0]!, t.deps, t.onProgress);
    expect(outcome.kind).toBe("done");
    expect(wroteTo).toEqual(destination);
    expect(await t.pending.list()).toEqual([]);
  });

  it("a write that fails is reported in the writer's words, and the query is forgotten", async () => {
    const t = setup();
    t.sink.failWith = new Error("This result has 2,000,000 rows, more than an Excel sheet can hold.");
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error.kind).toBe("write-failed");
    expect(outcome.error.summary).toBe("This result has 2,000,000 rows, more than an Excel sheet can hold.");
    expect(await t.pending.list()).toEqual([]);
  });

  it("an empty result is written (the header) without asking for pages forever", async () => {
    const t = setup();
    t.relay.script.totalRows = 0;
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("done");
    expect(t.relay.calls.filter((c) => c.startsWith("rows"))).toEqual([]);
    expect(t.sink.written[0]?.rows).toEqual([]);
  });

  it("stops with a clear error when the relay returns fewer rows than it announced", async () => {
    const t = setup();
    const originalRows = t.relay.rows.bind(t.relay);
    t.relay.rows = async (id, page) => {
      const answer = await originalRows(id, page);
      return page.offset >= 20 ? { ...answer, rows: [] } : answer;
    };
    const outcome = await runQuery(request(), t.deps, t.onProgress);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind === "failed") expect(outcome.error.summary).toBe("The relay stopped returning rows at 20 of 25.");
  });
});

describe("mapWithConcurrency", () => {
  it("never runs more than the limit at once and keeps results in order", async () => {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = (n: number) =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve(n * 2);
        });
      });
    const all = mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, work);
    // Release one task at a time until everything has finished.
    while (releases.length > 0 || running > 0) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    expect(await all).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });
});

/**
 * Infobip's docs neither allow nor forbid a sentUntil in the future. Here the real relay, on loopback, forwards to
 * a fake Infobip that refuses one with a 400 naming `request.filterBy.dateInterval.sentUntil`; the runner moves
 * the end back to today (exclusive: data up to yesterday), submits once more, and says so.
 */
describe("a period ending after today, refused by Infobip through the real relay", () => {
  const KEY = "0123456789abcdef0123456789abcdef-future-end";
  let infobip: FakeInfobip;
  let relay: TestRelay;

  /** A fake Infobip refusing any sentUntil after `today`, and the relay in front of it with its clock at `now`. */
  async function start(now: Date, refuse: (sentUntil: string) => boolean): Promise<void> {
    infobip = await FakeInfobip.start();
    infobip.respondWith((recorded) => {
      const { request } = JSON.parse(recorded.body) as { request: BillingUsageQuery };
      return refuse(request.filterBy.dateInterval.sentUntil)
        ? {
            status: 400,
            body: JSON.stringify(
              badRequest([
                { property: "request.filterBy.dateInterval.sentUntil", violation: "must not be in the future" },
              ])
            ),
          }
        : { status: 201 };
    });
    relay = await startTestRelay({ infobipBaseUrl: infobip.url, clock: new TestClock(now.getTime()) });
  }

  afterEach(async () => {
    await relay.close();
    await infobip.close();
  });

  function runnerAt(now: Date) {
    const sink = new RecordingSink();
    const deps: RunnerDeps = {
      client: new RelayClient({ baseUrl: relay.url, apiKey: () => KEY }),
      pending: new MemoryPendingStore(),
      sink,
      now: () => now,
      sleep: abortableSleep,
      waitSeconds: 5,
    };
    return { deps, sink };
  }

  function requestFor(preset: PeriodPreset, now: Date): RunRequest {
    const composed = validateComposer({ ...initialComposerState(), preset, label: "This month" }, now);
    if (!composed.ok) throw new Error("test form is invalid");
    return { definition: composed.definition, query: composed.query, destination: composed.destination };
  }

  /** Plays Infobip's callback for the accepted submission, echoing the period it was sent. */
  async function deliverWhenAccepted(): Promise<Submission> {
    for (let tries = 0; infobip.submissions.length === 0; tries++) {
      if (tries > 500) throw new Error("Infobip accepted no query");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const submission = infobip.lastSubmission();
    const period = (submission.request as BillingUsageQuery).filterBy.dateInterval;
    const result = successResult(submission.requestId, 3);
    const body = {
      ...result,
      response: { ...result.response, requestedPeriod: toDateTimeInterval(period) },
      metadata: { ...result.metadata, clientRequestedPeriod: toDateTimeInterval(period) },
    };
    expect((await deliver(submission.callbackUrl, JSON.stringify(body))).status).toBe(200);
    return submission;
  }

  const sentUntilOf = (index: number): string =>
    (JSON.parse(infobip.requests[index]?.body ?? "{}") as { request: BillingUsageQuery }).request.filterBy.dateInterval
      .sentUntil;

  it("runs This month again up to today, writes the rows and says so", async () => {
    const now = new Date("2026-03-15T10:00:00Z");
    await start(now, (sentUntil) => sentUntil > "2026-03-15");
    const { deps, sink } = runnerAt(now);
    const steps: RunProgress[] = [];

    const [outcome] = await Promise.all([
      runQuery(requestFor("this-month", now), deps, (p) => steps.push(p)),
      deliverWhenAccepted(),
    ]);

    expect(outcome.kind).toBe("done");
    if (outcome.kind !== "done") return;
    // Refused as asked (to the 1st of next month), then accepted ending today.
    expect(infobip.requests.map((_, i) => sentUntilOf(i))).toEqual(["2026-04-01", "2026-03-15"]);
    const asked: DateInterval = { sentSince: "2026-03-01", sentUntil: "2026-04-01" };
    const sent: DateInterval = { sentSince: "2026-03-01", sentUntil: "2026-03-15" };
    expect(outcome.endMoved).toEqual({ asked, sent });
    expect(outcome.result.sentPeriod).toEqual(sent);
    expect(outcome.result.rows).toHaveLength(3);
    expect(sink.written).toHaveLength(1);
    expect(await deps.pending.list()).toEqual([]);
    expect(steps.filter((s) => s.step === "submitting")).toHaveLength(2);
    expect(statusLine({ kind: "finished", outcome, title: "This month" }, {})).toBe(
      "Done in 0 s: Written 3 rows Infobip did not accept a period ending after today, so the query ran up to " +
        "today instead: 1 March 2026 to 14 March 2026 (UTC). Today's usage is not included yet."
    );
  });

  it("fails as before when the refused end is not in the future: nothing is sent again", async () => {
    const now = new Date("2026-03-15T10:00:00Z");
    await start(now, () => true);
    const { deps, sink } = runnerAt(now);
    const outcome = await runQuery(requestFor("last-month", now), deps);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error.kind).toBe("bad-request");
    expect(outcome.error.violations).toEqual([
      { property: "request.filterBy.dateInterval.sentUntil", violation: "must not be in the future" },
    ]);
    expect(infobip.requests).toHaveLength(1);
    expect(sink.written).toEqual([]);
  });

  it("on the 1st of the month, with no whole day before today, says so instead of sending an empty period", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    await start(now, (sentUntil) => sentUntil > "2026-03-01");
    const { deps, sink } = runnerAt(now);
    const outcome = await runQuery(requestFor("this-month", now), deps);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error.kind).toBe("no-day-before-today");
    expect(outcome.error.summary).toMatch(/ends after today/);
    expect(outcome.error.advice).toMatch(/tomorrow/);
    expect(infobip.requests).toHaveLength(1);
    expect(sink.written).toEqual([]);
  });
});

describe("runQuery over several connections", () => {
  /** One fake relay per connection (each connection has its own key, so its own client), on one clock. */
  function connectionsSetup(names: readonly string[]) {
    const t = setup();
    const relays = new Map(names.map((name) => [name, new FakeRelay(t.clock)]));
    const asked: string[] = [];
    t.deps.clientFor = (connection) => {
      asked.push(connection);
      const relay = relays.get(connection);
      if (!relay) throw new Error(`no fake for ${connection}`);
      return relay;
    };
    return { ...t, relays, asked, relayOf: (name: string) => relays.get(name) as FakeRelay };
  }

  function requestOver(connections: string[]): RunRequest {
    const base = request();
    return { ...base, definition: { ...base.definition, connections } };
  }

  it("runs one query per connection and writes ONE result, each connection's rows with its own month status", async () => {
    const t = connectionsSetup(["eu", "us"]);
    t.relayOf("eu").script.totalRows = 3;
    t.relayOf("us").script.totalRows = 2;
    t.relayOf("us").rowsFor = (n) => makeRows(n).map((row) => row.map((cell) => (cell === "EUR" ? "USD" : cell)));
    // The US data centre has not finalized February; the EU one has (METADATA).
    t.relayOf("us").script.final = {
      metadata: { ...METADATA, billingPeriods: [{ month: "2026-02", volumeFinalized: false }] },
    };
    const outcome = await runQuery(requestOver(["eu", "us"]), t.deps, t.onProgress);

    expect(outcome.kind).toBe("done");
    expect(t.relayOf("eu").calls.filter((c) => c === "submit")).toHaveLength(1);
    expect(t.relayOf("us").calls.filter((c) => c === "submit")).toHaveLength(1);
    expect(t.relay.calls).toEqual([]);
    expect(t.sink.written).toHaveLength(1);
    const written = t.sink.written[0] as FetchedResult;
    expect(written.parts?.map((p) => [p.connection, p.rows.length])).toEqual([
      ["eu", 3],
      ["us", 2],
    ]);
    expect(written.rows).toHaveLength(5);
    const shape = shapeFetched(written);
    expect(shape.columns[0]?.header).toBe("Connection");
    const status = shape.columns.findIndex((c) => c.header === "Period status");
    expect(shape.rows.map((row) => [row[0], row[status]])).toEqual([
      ["eu", "Final"],
      ["eu", "Final"],
      ["eu", "Final"],
      ["us", "Provisional"],
      ["us", "Provisional"],
    ]);
    expect(shape.provenance.connections?.map((c) => [c.name, c.billingPeriods[0]?.status])).toEqual([
      ["eu", "Final"],
      ["us", "Provisional"],
    ]);
    // Across connections a month is Final only when every connection says so.
    expect(shape.provenance.billingPeriods.map((p) => p.status)).toEqual(["Provisional"]);
    expect(connectionsNote(shape.provenance)).toBe("Connections: eu, us.");
    // Receiving counts every connection's rows.
    const last = t.steps.filter((s) => s.step === "receiving").pop();
    expect(last?.step === "receiving" && [last.received, last.total]).toEqual([5, 5]);
    expect(await t.pending.list()).toEqual([]);
  });

  it("writes nothing when one connection fails, names it and why, and can write the others named as missing", async () => {
    const t = connectionsSetup(["eu", "us"]);
    t.relayOf("us").failures = [errorForStatus(401, undefined)];
    const outcome = await runQuery(requestOver(["eu", "us"]), t.deps);

    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(t.sink.written).toEqual([]);
    expect(outcome.error.kind).toBe("connection-failed");
    expect(outcome.error.summary).toBe(
      "Nothing was written: the connection \u201cus\u201d: Infobip did not accept the API key."
    );
    expect(outcome.error.advice).toMatch(/write the other connections' rows/);
    // A refused key is fixed in Settings: the alert offers to open them.
    expect(errorWords(outcome.error).next).toBe("open-settings");
    expect(outcome.partial?.failures.map((f) => f.connection)).toEqual(["us"]);

    const partial = outcome.partial;
    if (!partial) return;
    const written = await writeWithoutFailed(partial, t.deps);
    expect(written.kind).toBe("done");
    const result = t.sink.written[0] as FetchedResult;
    expect(result.parts?.map((p) => p.connection)).toEqual(["eu"]);
    expect(result.missing).toEqual([{ connection: "us", reason: "Infobip did not accept the API key" }]);
    const shape = shapeFetched(result);
    expect(new Set(shape.rows.map((row) => row[0]))).toEqual(new Set(["eu"]));
    expect(connectionsNote(shape.provenance)).toBe(
      "Connections: eu. MISSING, not in this table or its totals: us (Infobip did not accept the API key)."
    );
    expect(await t.pending.list()).toEqual([]);
  });

  it("keeps one pending record for all parts and, picked up after the pane closed, writes all parts or none", async () => {
    const t = connectionsSetup(["eu", "us"]);
    const definition = { ...request().definition, connections: ["eu", "us"] };
    const eu = await t.relayOf("eu").submit();
    const us = await t.relayOf("us").submit();
    const pending = {
      queryId: eu.id,
      definition,
      destination: { kind: "new-sheet" as const },
      submittedAt: START.toISOString(),
      parts: [
        { connection: "eu", queryId: eu.id },
        { connection: "us", queryId: us.id },
      ],
    };
    await t.pending.add(pending);
    // The US query expired at the relay meanwhile: nothing is written, and the gone part is not waited for again.
    t.relayOf("us").queries.delete(us.id);
    const lost = await followPendingQuery(pending, t.deps);
    expect(lost.kind).toBe("failed");
    expect(t.sink.written).toEqual([]);
    expect(lost.kind === "failed" && lost.error.summary).toMatch(/\u201cus\u201d: The relay does not know this query/);

    // With every part there, one table holds both.
    const usAgain = await t.relayOf("us").submit();
    const whole = {
      ...pending,
      parts: [
        { connection: "eu", queryId: eu.id },
        { connection: "us", queryId: usAgain.id },
      ],
    };
    await t.pending.add(whole);
    const outcome = await followPendingQuery(whole, t.deps);
    expect(outcome.kind).toBe("done");
    expect(t.sink.written[0]?.parts?.map((p) => p.connection)).toEqual(["eu", "us"]);
    expect(await t.pending.list()).toEqual([]);
  });

  it("saves the run's parts as one pending record before waiting", async () => {
    const t = connectionsSetup(["eu", "us"]);
    const seen: unknown[] = [];
    const add = t.pending.add.bind(t.pending);
    t.pending.add = async (p) => {
      seen.push(p.parts);
      await add(p);
    };
    await runQuery(requestOver(["eu", "us"]), t.deps);
    expect(seen).toEqual([
      [
        { connection: "eu", queryId: "q1", requestId: "r-q1" },
        { connection: "us", queryId: "q1", requestId: "r-q1" },
      ],
    ]);
  });
});

describe("a query over two connections through the real relay, each to its own Infobip", () => {
  const EU_KEY = "0123456789abcdef0123456789abcdef-eu-key";
  const US_KEY = "0123456789abcdef0123456789abcdef-us-key";
  const NOW = new Date("2026-03-15T10:00:00Z");
  let eu: FakeInfobip;
  let us: FakeInfobip;
  let relay: TestRelay;

  beforeEach(async () => {
    [eu, us] = [await FakeInfobip.start(), await FakeInfobip.start()];
    relay = await startTestRelay({
      clock: new TestClock(NOW.getTime()),
      connections: {
        list: [
          { name: "eu", baseUrl: eu.url },
          { name: "us", baseUrl: us.url },
        ],
        defaultName: "eu",
      },
    });
  });

  afterEach(async () => {
    await relay.close();
    await eu.close();
    await us.close();
  });

  /** Plays each Infobip's callback once it accepted its query: `rows` result rows each. */
  async function deliverEach(rows: { eu: number; us: number }): Promise<void> {
    for (const [infobip, count] of [
      [eu, rows.eu],
      [us, rows.us],
    ] as const) {
      for (let tries = 0; infobip.submissions.length === 0; tries++) {
        if (tries > 500) throw new Error("Infobip accepted no query");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const submission = infobip.lastSubmission();
      const delivered = await deliver(
        submission.callbackUrl,
        JSON.stringify(successResult(submission.requestId, count))
      );
      expect(delivered.status).toBe(200);
    }
  }

  it("sends each connection's query with its own key to its own Infobip, and writes one result of both", async () => {
    const sink = new RecordingSink();
    const client = (connection: string, key: string) =>
      new RelayClient({ baseUrl: relay.url, apiKey: () => key, connection });
    const deps: RunnerDeps = {
      client: new RelayClient({ baseUrl: relay.url, apiKey: () => EU_KEY }),
      clientFor: (connection) => client(connection, connection === "eu" ? EU_KEY : US_KEY),
      pending: new MemoryPendingStore(),
      sink,
      now: () => NOW,
      sleep: abortableSleep,
      waitSeconds: 5,
    };
    const composed = validateComposer(
      { ...initialComposerState(), preset: "last-month", connections: ["eu", "us"] },
      NOW
    );
    if (!composed.ok) throw new Error("test form is invalid");

    expect(await new RelayClient({ baseUrl: relay.url, apiKey: () => undefined }).connections()).toEqual({
      names: ["eu", "us"],
      defaultName: "eu",
      listed: true,
    });
    const [outcome] = await Promise.all([runQuery(composed, deps), deliverEach({ eu: 3, us: 2 })]);

    expect(outcome.kind).toBe("done");
    expect(eu.requests.map((r) => r.headers.authorization)).toEqual([`App ${EU_KEY}`]);
    expect(us.requests.map((r) => r.headers.authorization)).toEqual([`App ${US_KEY}`]);
    const result = sink.written[0] as FetchedResult;
    expect(result.parts?.map((p) => [p.connection, p.rows.length])).toEqual([
      ["eu", 3],
      ["us", 2],
    ]);
    expect(result.rows).toHaveLength(5);
  });
});

describe("a slow Infobip, through the real relay and RelayClient", () => {
  const KEY = "0123456789abcdef0123456789abcdef-slow-infobip";
  let infobip: FakeInfobip;
  let relay: TestRelay;

  beforeEach(async () => {
    infobip = await FakeInfobip.start();
    // Accepted, but answered long after the relay's timeout: the callback URL is Infobip's all the same.
    infobip.respondWith(() => ({ status: 201, delayMs: 5_000 }));
    relay = await startTestRelay({ infobipBaseUrl: infobip.url, infobipTimeoutSeconds: 0.2 });
  });

  afterEach(async () => {
    await relay.close();
    await infobip.close();
  });

  function deps(): { deps: RunnerDeps; sink: RecordingSink } {
    const sink = new RecordingSink();
    return {
      sink,
      deps: {
        client: new RelayClient({ baseUrl: relay.url, apiKey: () => KEY }),
        pending: new MemoryPendingStore(),
        sink,
        now: () => new Date(),
        sleep: abortableSleep,
        waitSeconds: 1,
      },
    };
  }

  const slowRequest = (): RunRequest => {
    const composed = validateComposer({ ...initialComposerState(), preset: "last-month", label: "Slow" }, new Date());
    if (!composed.ok) throw new Error("test form is invalid");
    return { definition: composed.definition, query: composed.query, destination: composed.destination };
  };

  async function acceptedSubmission(): Promise<Submission> {
    for (let tries = 0; infobip.submissions.length === 0; tries++) {
      if (tries > 500) throw new Error("Infobip got no query");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return infobip.lastSubmission();
  }

  it("tells the user Infobip did not answer in time while waiting, then writes the result that arrives", async () => {
    const { deps: runnerDeps, sink } = deps();
    const steps: RunProgress[] = [];
    const running = runQuery(slowRequest(), runnerDeps, (p) => steps.push(p));
    const submission = await acceptedSubmission();
    // The result comes once the pane is waiting with the truth on screen.
    for (let tries = 0; !steps.some((s) => s.step === "waiting" && s.answerUnknown === true); tries++) {
      if (tries > 500) throw new Error("the pane never said the answer is unknown");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const waiting = steps.find((s) => s.step === "waiting" && s.answerUnknown === true);
    expect(waiting && statusLine({ kind: "running", progress: waiting, title: "Slow" }, {})).toBe(
      "Infobip was reached but did not answer in time; the result may still arrive. Keep waiting, or Cancel to " +
        "delete the query."
    );
    expect((await deliver(submission.callbackUrl, JSON.stringify(successResult(submission.requestId, 4)))).status).toBe(
      200
    );
    const outcome = await running;
    expect(outcome.kind).toBe("done");
    expect(sink.written[0]?.rows).toHaveLength(4);
  });

  it("Cancel deletes a query Infobip did not answer: its late result is refused", async () => {
    const { deps: runnerDeps } = deps();
    const controller = new AbortController();
    const steps: RunProgress[] = [];
    const running = runQuery(
      slowRequest(),
      runnerDeps,
      (p) => {
        steps.push(p);
        if (p.step === "waiting" && p.answerUnknown === true) controller.abort();
      },
      controller.signal
    );
    const submission = await acceptedSubmission();
    const outcome = await running;
    expect(outcome.kind).toBe("cancelled");
    expect(steps.some((s) => s.step === "waiting" && s.answerUnknown === true)).toBe(true);
    expect((await deliver(submission.callbackUrl, JSON.stringify(successResult(submission.requestId, 1)))).status).toBe(
      404
    );
  });
});
