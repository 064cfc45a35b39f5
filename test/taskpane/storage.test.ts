/**
 * What the pane keeps in localStorage is keyed per add-in instance with Office.context.partitionKey, where Excel
 * (on the web) gives one, as Microsoft's guidance asks; on desktop (no partition key) keys stay as they are.
 * Office here is the Office host double around the Excel double.
 */
import { currentApiKey, saveApiKey, useKeyStorage, type KeyStorage } from "../../src/taskpane/credentials";
import { LocalPendingStore } from "../../src/taskpane/pending-store";
import { loadRelayUrl, saveRelayUrl } from "../../src/taskpane/settings";
import { createExcelDouble } from "../excel/excel-double";
import { createOfficeHost, type OfficeHostDouble } from "../excel/double/office";

class MemoryStorage implements KeyStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const globals = globalThis as { localStorage?: unknown };
let storage: MemoryStorage;
let host: OfficeHostDouble | undefined;

function officeWithPartition(partitionKey: string | undefined): void {
  host?.uninstall();
  host = createOfficeHost({
    excel: createExcelDouble(),
    pages: {},
    ...(partitionKey !== undefined ? { partitionKey } : {}),
  }).install();
}

beforeEach(() => {
  storage = new MemoryStorage();
  globals.localStorage = storage;
  useKeyStorage(storage);
});

afterEach(() => {
  host?.uninstall();
  host = undefined;
  delete globals.localStorage;
  useKeyStorage(undefined);
});

describe("storage keyed with Office.context.partitionKey", () => {
  it("remembers the API key under this add-in instance's partition, invisible to another", () => {
    officeWithPartition("partition-A:");
    saveApiKey("key-of-A", true);
    expect([...storage.items.keys()]).toEqual(["partition-A:billingUsage.apiKey"]);

    officeWithPartition("partition-B:");
    useKeyStorage(storage); // a new session: nothing in memory
    expect(currentApiKey()).toBeUndefined();

    officeWithPartition("partition-A:");
    useKeyStorage(storage);
    expect(currentApiKey()).toBe("key-of-A");
  });

  it("keeps the Relay URL and the browser preview's pending queries under the partition too", async () => {
    officeWithPartition("partition-A:");
    saveRelayUrl("https://billing.example.com");
    expect(loadRelayUrl()).toBe("https://billing.example.com");
    await new LocalPendingStore(storage).add({
      queryId: "q-1",
      definition: {
        version: 1,
        period: { preset: "last-month" },
        aggregateBy: ["MONTH"],
        filters: {},
        includeUnfinalizedData: true,
      },
      destination: { kind: "new-sheet" },
      submittedAt: "2026-03-20T08:00:00.000Z",
    });
    expect([...storage.items.keys()].sort()).toEqual([
      "partition-A:billingUsage.pendingQueries",
      "partition-A:billingUsage.relayUrl",
    ]);
    officeWithPartition("partition-B:");
    expect(loadRelayUrl()).not.toBe("https://billing.example.com");
    expect(await new LocalPendingStore(storage).list()).toEqual([]);
  });

  it("uses the plain keys where Excel gives no partition key (desktop webviews) and outside Office", () => {
    officeWithPartition(undefined);
    saveApiKey("desktop-key", true);
    expect([...storage.items.keys()]).toEqual(["billingUsage.apiKey"]);
    host?.uninstall();
    host = undefined;
    useKeyStorage(storage);
    expect(currentApiKey()).toBe("desktop-key");
  });
});
