/**
 * What only the PostgreSQL store has, on a real server: migrations when many instances start at once, the
 * key-hash secret kept in (and checked against) the database, the LISTEN connection's recovery, and an upload
 * whose connection dies half-way.
 */
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import { hashCallbackSecret } from "../../../src/relay/callback-secret";
import {
  keyHashFingerprint,
  KeyHashSecretMismatch,
  POSTGRES_MIGRATIONS,
} from "../../../src/relay/store/postgres-migrations";
import { PostgresRelayStore } from "../../../src/relay/store";
import type { NewQuery } from "../../../src/relay/store";
import { createTestSchema } from "../helpers/stores";

const SECRET_A = "a".repeat(40);
const SECRET_B = "b".repeat(40);

let url: string;
const opened: PostgresRelayStore[] = [];

beforeEach(async () => {
  url = await createTestSchema();
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function open(keyHashSecret?: string): Promise<{ store: PostgresRelayStore; secret: string; source: string }> {
  const { store, migration } = await PostgresRelayStore.open({ connectionString: url, keyHashSecret });
  opened.push(store);
  return { store, secret: migration.keyHashSecret.secret, source: migration.keyHashSecret.source };
}

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function newQuery(overrides: Partial<NewQuery> = {}): NewQuery {
  return {
    id: randomUUID(),
    owner: "owner-hash",
    label: null,
    hidden: false,
    requestJson: "{}",
    secretHash: hashCallbackSecret("s"),
    createdAt: 1_000,
    expiresAt: 1_000_000,
    ...overrides,
  };
}

describe("migrations", () => {
  it("migrate once when twelve instances start together, and all get the one generated key-hash secret", async () => {
    const starts = await Promise.all(Array.from({ length: 12 }, () => open()));
    expect(await sql("SELECT version FROM relay_migrations ORDER BY version")).toEqual(
      POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 }))
    );
    expect(new Set(starts.map((s) => s.secret)).size).toBe(1);
    expect(starts.filter((s) => s.source === "generated")).toHaveLength(1);
    expect(starts.filter((s) => s.source === "database")).toHaveLength(11);
    expect(await sql("SELECT name FROM relay_settings ORDER BY name")).toEqual([
      { name: "key_hash_fingerprint" },
      { name: "key_hash_secret" },
    ]);
  }, 60_000);

  it("refuses a database written by a newer relay, and changes nothing in it", async () => {
    await open();
    await sql("INSERT INTO relay_migrations (version) VALUES ($1)", [POSTGRES_MIGRATIONS.length + 1]);
    const known = POSTGRES_MIGRATIONS.length;
    await expect(open()).rejects.toThrow(`schema version ${known + 1}, newer than this relay knows (${known})`);
  });
});

describe("key-hash secret", () => {
  it("uses RELAY_KEY_HASH_SECRET when set, and keeps only its fingerprint", async () => {
    expect((await open(SECRET_A)).source).toBe("environment");
    expect(await sql("SELECT name, value FROM relay_settings")).toEqual([
      { name: "key_hash_fingerprint", value: keyHashFingerprint(SECRET_A) },
    ]);
    expect((await open(SECRET_A)).secret).toBe(SECRET_A);
  });

  it("refuses to start with another secret than the other instances", async () => {
    await open(SECRET_A);
    await expect(open(SECRET_B)).rejects.toThrow(KeyHashSecretMismatch);
    await expect(open(SECRET_B)).rejects.toThrow(/give every instance the same value/);
    await expect(open(undefined)).rejects.toThrow(/RELAY_KEY_HASH_SECRET is not set/);
  });

  it("refuses a RELAY_KEY_HASH_SECRET that differs from the one the database generated", async () => {
    const generated = await open(undefined);
    expect((await open(generated.secret)).source).toBe("environment");
    await expect(open(SECRET_B)).rejects.toThrow(/differs from the key-hash secret this database generated/);
  });
});

describe("queries", () => {
  it("stores text holding U+0000 (which PostgreSQL text cannot hold) as U+FFFD, instead of failing", async () => {
    const { store } = await open();
    const query = newQuery({ label: "March\u0000" });
    await store.createQuery(query);
    expect(await store.recordSubmission(query.id, "R\u00001", 2_000)).toBe("recorded");
    expect(await store.getQuery(query.id)).toMatchObject({ label: "March\uFFFD", requestId: "R\uFFFD1" });
    expect(await store.failOversized(query.id, "too\u0000big", 3_000, 1_000)).toBe(true);
    expect((await store.getQuery(query.id))?.failureMessage).toBe("too\uFFFDbig");
  });
});

describe("the LISTEN connection", () => {
  it("comes back after the server ends it, tells its watchers to read again, and carries notices again", async () => {
    const { store } = await open();
    const { store: other } = await open();
    const seen: Array<string | null> = [];
    await store.watchSettlements((id) => seen.push(id));
    expect(store.settlementNotifier?.connections).toBe(1);
    seen.length = 0;

    // As if the server restarted or a proxy cut the connection.
    const [killed] = await sql<{ killed: boolean }>(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN relay_query_settled'"
    );
    expect(killed?.killed).toBe(true);
    await until(() => store.settlementNotifier?.connections === 2);
    expect(seen).toContain(null);

    const query = newQuery();
    await other.createQuery(query);
    await other.failOversized(query.id, "too big", 2_000, 1_000);
    await until(() => seen.includes(query.id));
  });
});

describe("an upload whose connection dies half-way", () => {
  it("leaves nothing, and the next delivery of the same callback is accepted", async () => {
    const { store } = await open();
    const { store: other } = await open();
    const query = newQuery();
    await store.createQuery(query);
    const dying = await store.beginDelivery(query.id, "application/json", 2_000);
    await store.appendChunk(dying, 0, Buffer.alloc(1024 * 1024, 0x20));
    // The instance dies: its connection goes, and with it the open transaction.
    await sql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'"
    );
    expect(await sql("SELECT COUNT(*)::int AS n FROM raw_chunks")).toEqual([{ n: 0 }]);
    expect((await other.getQuery(query.id))?.state).toBe("submitting");

    const delivery = await other.beginDelivery(query.id, "application/json", 3_000);
    await other.appendChunk(delivery, 0, Buffer.from("{}"));
    expect(await other.completeDelivery(delivery, 2)).toBe("accepted");
    expect(await sql("SELECT COUNT(*)::int AS n FROM deliveries")).toEqual([{ n: 1 }]);
    // The dead instance's own completion fails; it never answered 200.
    await expect(store.completeDelivery(dying, 1024 * 1024)).rejects.toThrow();
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition was not met within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
