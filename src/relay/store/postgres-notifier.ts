/**
 * Cross-instance wake-ups over PostgreSQL `LISTEN/NOTIFY`. The store sends `pg_notify(channel, queryId)` in the
 * transaction that settles or deletes a query; every instance listens here, on a connection of its own (not a
 * pooled one: a pooled client would be handed to other work, and `LISTEN` belongs to one session).
 *
 * A notification is a hint: the listener re-reads what it waits for. Notifications sent while this connection was
 * down are lost, so after every (re)connection the listener is told `null` ("read everything again"); the
 * connection is checked every `checkIntervalMs` (a dead TCP peer does not always say so) and reopened with a
 * capped exponential backoff. A lost notification therefore costs latency, never a result.
 */
import { Client, type ClientConfig } from "pg";

export interface NotifierLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface NotifierOptions {
  connection: ClientConfig;
  channel: string;
  /** A notification's payload, or `null` after a (re)connection: anything may have been missed. */
  onHint: (payload: string | null) => void;
  log?: NotifierLog;
  /** Between two checks that the connection still answers. */
  checkIntervalMs?: number;
  /** First and longest wait before reconnecting. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

const DEFAULT_CHECK_INTERVAL_MS = 10_000;
const DEFAULT_MIN_BACKOFF_MS = 100;
const DEFAULT_MAX_BACKOFF_MS = 5_000;

/** A channel name is an identifier; ours is fixed, but LISTEN cannot take it as a parameter, so it is checked. */
function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  return channel;
}

export class PostgresNotifier {
  private client: Client | undefined;
  private closed = false;
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  /** How many times a connection was (re)established; tests read it. */
  connections = 0;

  constructor(private readonly options: NotifierOptions) {
    quoteChannel(options.channel);
    this.backoffMs = options.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS;
  }

  /** Connects and listens; resolves once listening. A failure here is thrown (the relay does not start deaf). */
  async start(): Promise<void> {
    await this.connect();
    this.checkTimer = setInterval(() => void this.check(), this.options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
    this.checkTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.checkTimer);
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Drops the connection as a network failure would (tests use it to prove the reconnection). */
  breakConnection(): void {
    const client = this.client;
    // `pg` documents no way to cut a client's socket; ending it is what a lost server looks like to us.
    if (client !== undefined) this.lost(client, new Error("connection broken on purpose"));
  }

  private connect(): Promise<void> {
    const attempt = this.open();
    this.connecting = attempt;
    return attempt.finally(() => {
      if (this.connecting === attempt) this.connecting = undefined;
    });
  }

  private async open(): Promise<void> {
    const client = new Client({
      ...this.options.connection,
      keepAlive: true,
      // A check that gets no answer counts as a lost connection.
      query_timeout: this.options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
    });
    client.on("notification", (message) => {
      if (message.channel === this.options.channel && message.payload !== undefined) {
        this.options.onHint(message.payload);
      }
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("the connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteChannel(this.options.channel)}`);
    } catch (error) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connections++;
    this.backoffMs = this.options.minBackoffMs ?? DEFAULT_MIN_BACKOFF_MS;
    // Whatever was notified while no connection listened is unknown: every waiter reads again.
    this.options.onHint(null);
  }

  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.options.log?.warn({ err: error }, "lost the PostgreSQL LISTEN connection; reconnecting");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== undefined) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => this.options.log?.info({}, "PostgreSQL LISTEN connection restored"),
        (error: unknown) => {
          this.options.log?.warn({ err: error, retryInMs: this.backoffMs }, "reconnecting to PostgreSQL failed");
          this.scheduleReconnect();
        }
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private async check(): Promise<void> {
    const client = this.client;
    if (client === undefined || this.closed) return;
    try {
      await client.query("SELECT 1");
    } catch (error) {
      this.lost(client, error);
    }
  }
}
