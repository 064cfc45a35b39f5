/**
 * The relay's `/v1` API as the task pane calls it: every call built from the relay's contract (`src/relay-api`:
 * URLs, limits) and every answer parsed with the contract's schema for it, so the pane reads exactly what the
 * relay sends; every failure is turned into a {@link RelayError} that says in plain words what went wrong and
 * what to do next.
 *
 * The API key goes in the `Authorization: App <key>` header only (never in a URL); it is read from the
 * credentials module at each call, so a key changed in Settings applies at once.
 */
import type { z } from "zod";
import { ApiErrorSchema, type ApiError, type Violation } from "../billing";
import {
  MAX_PAGE_ROWS,
  MAX_WAIT_SECONDS,
  relayApi,
  relayPath,
  type ConnectionList,
  type QueryState,
  type QuerySubmission,
  type RowsPage,
  type SubmittedQuery,
} from "../relay-api";
import { MissingKeyError } from "./credentials";

export type { ConnectionList, QueryState, QueryStatus, RowsPage, SubmittedQuery } from "../relay-api";

/** What went wrong, by cause: the UI chooses its words and next step from this. */
export type RelayErrorKind =
  | "bad-request"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "rate-limited"
  | "unavailable"
  | "unreachable"
  | "invalid-answer"
  | "aborted";

export class RelayError extends Error {
  override readonly name = "RelayError";
  constructor(
    readonly kind: RelayErrorKind,
    /** One plain sentence: what happened. */
    readonly summary: string,
    /** One plain sentence: what to do next. */
    readonly advice: string,
    readonly details: {
      status?: number;
      apiError?: ApiError;
      violations?: Violation[];
      retryAfterSeconds?: number;
    } = {}
  ) {
    super(`${summary} ${advice}`);
  }

  get violations(): Violation[] {
    return this.details.violations ?? [];
  }

  /** Worth trying again unchanged, after a pause. */
  get retryable(): boolean {
    return this.kind === "rate-limited" || this.kind === "unavailable" || this.kind === "unreachable";
  }
}

export function isAbort(error: unknown): boolean {
  return (
    (error instanceof RelayError && error.kind === "aborted") ||
    (error instanceof Error && error.name === "AbortError") ||
    (typeof DOMException !== "undefined" && error instanceof DOMException && error.name === "AbortError")
  );
}

function violationsOf(apiError: ApiError | undefined): Violation[] {
  return (apiError?.violations ?? [])
    .filter((v) => v.property !== undefined || v.violation !== undefined)
    .map((v) => ({ property: v.property ?? "", violation: v.violation ?? "is not valid" }));
}

/** Reads `Retry-After` (seconds or an HTTP date) as whole seconds, if present. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** An error answer of the relay (or of Infobip, passed through), in plain words chosen by status. */
export function errorForStatus(status: number, apiError: ApiError | undefined, retryAfter?: number): RelayError {
  const details = { status, ...(apiError ? { apiError } : {}), violations: violationsOf(apiError) };
  const said = apiError?.description ? ` (${apiError.description.replace(/\.$/, "")})` : "";
  if (status === 400) {
    return new RelayError(
      "bad-request",
      `The query was refused${said}.`,
      "Correct the fields marked below and run it again.",
      details
    );
  }
  if (status === 401) {
    return new RelayError(
      "unauthorized",
      "Infobip did not accept the API key.",
      "Check the key in Settings, and that it has the billing:usage:view scope.",
      details
    );
  }
  if (status === 403) {
    return new RelayError(
      "forbidden",
      "The API key is not allowed to read billing usage.",
      "Ask your Infobip account administrator to give the key the billing:usage:view scope, or use a key that has it.",
      details
    );
  }
  if (status === 404) {
    return new RelayError(
      "not-found",
      "The relay does not know this query (it has expired, or it was submitted with another API key).",
      "Run the query again.",
      details
    );
  }
  if (status === 429) {
    const wait = retryAfter !== undefined ? `about ${retryAfter} second${retryAfter === 1 ? "" : "s"}` : "a minute";
    return new RelayError("rate-limited", "Too many requests in a short time.", `Wait ${wait} and try again.`, {
      ...details,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return new RelayError(
      "unavailable",
      `Infobip could not be reached through the relay${said}.`,
      "Try again in a few minutes; if it keeps failing, ask whoever runs the relay to check its connection to Infobip.",
      details
    );
  }
  if (status >= 500) {
    return new RelayError(
      "unavailable",
      `Infobip or the relay had a problem${said}.`,
      "Try again in a few minutes; if it keeps failing, contact Infobip support or whoever runs the relay.",
      details
    );
  }
  return new RelayError(
    "invalid-answer",
    `The relay answered with an unexpected status ${status}${said}.`,
    "Check the Relay URL in Settings.",
    details
  );
}

export interface RelayClientOptions {
  /** The relay's base URL (`https://relay.example.com`); the pane's own origin by default. */
  baseUrl: string;
  /** The API key at the time of the call; undefined when none is set. */
  apiKey: () => string | undefined;
  /**
   * The relay's Infobip connection this client submits to and checks (`GET /v1/connections`); absent: the relay's
   * default, and nothing names one (a relay with one connection, or one that predates connections).
   */
  connection?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** `POST /v1/queries`: the query and an optional label. */
export type SubmitBody = QuerySubmission;

export interface RowsRequest {
  offset: number;
  limit: number;
}

/** What the pane needs of the relay: the fake in tests and the real client both implement it. */
export interface RelayApi {
  submit(body: SubmitBody, signal?: AbortSignal): Promise<SubmittedQuery>;
  get(id: string, options?: { waitSeconds?: number; signal?: AbortSignal }): Promise<QueryState>;
  list(signal?: AbortSignal): Promise<QueryState[]>;
  rows(id: string, page: RowsRequest, signal?: AbortSignal): Promise<RowsPage>;
  remove(id: string, signal?: AbortSignal): Promise<void>;
  checkConnection(signal?: AbortSignal): Promise<ConnectionCheck>;
}

/** The relay's connections, and the default among them (`GET /v1/connections`, no key needed). */
export interface RelayConnections {
  names: string[];
  defaultName: string;
  /** False for a relay that does not list connections (it predates them): it has one, unnamed. */
  listed: boolean;
}

export interface ConnectionCheck {
  /** Which call proved it: the relay's own check (which also asks Infobip), or listing queries (relay and key only). */
  via: "connection-check" | "list";
  /** Plain words for the user. */
  message: string;
}

/** The relay's base URL, normalised (no trailing slash); refuses what is not an http(s) URL. */
export function normaliseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RelayError(
      "unreachable",
      `\u201c${text.trim()}\u201d is not a web address.`,
      "Enter the Relay URL in Settings, such as https://relay.example.com."
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RelayError(
      "unreachable",
      "The Relay URL must start with https:// or http://.",
      "Correct it in Settings."
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export class RelayClient implements RelayApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: RelayClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    // Bound to globalThis: calling an unbound `fetch` through a property fails in browsers ("Illegal invocation").
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? (() => new Date());
  }

  async submit(body: SubmitBody, signal?: AbortSignal): Promise<SubmittedQuery> {
    const route = relayApi.submitQuery;
    const connection = this.options.connection;
    return this.call(route.method, route.url, route.schema.response[202], {
      body: connection ? { ...body, connection } : body,
      signal,
    });
  }

  /**
   * The relay's connections (`GET /v1/connections`, asked without a key). A relay that predates connections
   * answers 404: it has one connection, the default, which needs no name.
   */
  async connections(signal?: AbortSignal): Promise<RelayConnections> {
    const route = relayApi.listConnections;
    let list: ConnectionList;
    try {
      list = await this.call(route.method, route.url, route.schema.response[200], { signal, withoutKey: true });
    } catch (error) {
      if (error instanceof RelayError && (error.details.status === 404 || error.details.status === 405)) {
        return { names: [], defaultName: "", listed: false };
      }
      throw error;
    }
    const names = list.connections.map((c) => c.name);
    const defaultName = list.connections.find((c) => c.default)?.name ?? names[0] ?? "";
    return { names, defaultName, listed: true };
  }

  async get(id: string, options: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<QueryState> {
    const route = relayApi.getQuery;
    const wait = options.waitSeconds ? Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.round(options.waitSeconds))) : 0;
    const query = wait > 0 ? `?wait=${wait}` : "";
    return this.call(route.method, `${relayPath(route.url, { id })}${query}`, route.schema.response[200], {
      signal: options.signal,
    });
  }

  async list(signal?: AbortSignal): Promise<QueryState[]> {
    const route = relayApi.listQueries;
    return (await this.call(route.method, route.url, route.schema.response[200], { signal })).queries;
  }

  async rows(id: string, page: RowsRequest, signal?: AbortSignal): Promise<RowsPage> {
    const route = relayApi.getRows;
    const limit = Math.min(MAX_PAGE_ROWS, Math.max(1, Math.floor(page.limit)));
    const offset = Math.max(0, Math.floor(page.offset));
    const path = `${relayPath(route.url, { id })}?offset=${offset}&limit=${limit}`;
    return this.call(route.method, path, route.schema.response[200], { signal });
  }

  async remove(id: string, signal?: AbortSignal): Promise<void> {
    const route = relayApi.deleteQuery;
    await this.call(route.method, relayPath(route.url, { id }), route.schema.response[204], { signal });
  }

  /**
   * Asks the relay to check the key with Infobip (`POST /v1/connection-check`); a relay without that
   * endpoint (404/405) is checked by listing queries instead, which proves the relay is reachable and the
   * key is accepted by the relay, but not yet that Infobip accepts it.
   */
  async checkConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    const route = relayApi.checkConnection;
    const connection = this.options.connection;
    // A connection name is one of the relay's own (lower-case letters, digits, hyphens): safe in a query string.
    const url = connection ? `${route.url}?connection=${encodeURIComponent(connection)}` : route.url;
    try {
      await this.call(route.method, url, route.schema.response[200], { body: {}, signal });
      return { via: "connection-check", message: "Connected: the relay answered and Infobip accepted the API key." };
    } catch (error) {
      const status = error instanceof RelayError ? error.details.status : undefined;
      if (status !== 404 && status !== 405) throw error;
    }
    await this.list(signal);
    return {
      via: "list",
      message:
        "Connected to the relay. (This relay cannot check the key with Infobip in advance: a wrong key or scope shows when you run a query.)",
    };
  }

  /** One call: `schema` is the contract's schema of the success answer. */
  private async call<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    schema: z.ZodType<T>,
    init: { body?: unknown; signal?: AbortSignal | undefined; withoutKey?: boolean }
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (!init.withoutKey) {
      const key = this.options.apiKey();
      // Without a key nothing is sent: not something the relay said, so not a RelayError.
      if (!key) throw new MissingKeyError(this.options.connection);
      headers["Authorization"] = `App ${key}`;
    }
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
        // The key is in a header, not a cookie: no credentials to send, and none to leak to another origin.
        credentials: "omit",
      });
    } catch (error) {
      if (isAbort(error) || init.signal?.aborted) {
        throw new RelayError("aborted", "Stopped.", "Nothing more will be fetched.");
      }
      throw new RelayError(
        "unreachable",
        `The relay at ${this.baseUrl} could not be reached.`,
        "Check the Relay URL in Settings and your network connection, then try again."
      );
    }
    const text = await readText(response, init.signal);
    if (!response.ok) {
      throw errorForStatus(
        response.status,
        parseApiError(text),
        retryAfterSeconds(response.headers.get("Retry-After"), this.now())
      );
    }
    let json: unknown;
    try {
      json = text.trim() === "" ? undefined : JSON.parse(text);
    } catch {
      throw invalidAnswer(this.baseUrl, "it is not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw invalidAnswer(
        this.baseUrl,
        first ? `${first.path.join(".") || "the body"} ${first.message}` : "its shape is wrong"
      );
    }
    return parsed.data;
  }
}

async function readText(response: Response, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw new RelayError("aborted", "Stopped.", "Nothing more will be fetched.");
    throw new RelayError("unreachable", "The connection to the relay broke off.", "Try again.");
  }
}

function parseApiError(text: string): ApiError | undefined {
  try {
    const parsed = ApiErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function invalidAnswer(baseUrl: string, why: string): RelayError {
  return new RelayError(
    "invalid-answer",
    `The server at ${baseUrl} did not answer as the Billing Usage relay does (${why}).`,
    "Check the Relay URL in Settings: it must point at the relay, not at Infobip or another site."
  );
}
