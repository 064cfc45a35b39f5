import {
  adoptConnections,
  clearApiKey,
  currentApiKey,
  forgetStoredKey,
  isRemembered,
  maskKey,
  saveApiKey,
  useKeyStorage,
  type KeyStorage,
} from "../../src/taskpane/credentials";

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

let storage: MemoryStorage;

beforeEach(() => {
  storage = new MemoryStorage();
  useKeyStorage(storage);
});

afterAll(() => useKeyStorage(undefined));

describe("the API key", () => {
  it("is kept in memory only when 'remember' is not ticked", () => {
    saveApiKey("  key-1  ", false);
    expect(currentApiKey()).toBe("key-1");
    expect(isRemembered()).toBe(false);
    expect([...storage.items.values()]).toEqual([]);
  });

  it("is stored on this computer when 'remember' is ticked, and found again by a new session", () => {
    saveApiKey("key-2", true);
    expect(isRemembered()).toBe(true);
    useKeyStorage(storage); // a new pane session: memory is empty, storage is not
    expect(currentApiKey()).toBe("key-2");
  });

  it("is removed from storage as soon as 'remember' is unticked, staying for the session", () => {
    saveApiKey("key-3", true);
    forgetStoredKey(true);
    expect(isRemembered()).toBe(false);
    expect(currentApiKey()).toBe("key-3");
    useKeyStorage(storage);
    expect(currentApiKey()).toBeUndefined();
  });

  it("saving without 'remember' replaces a previously remembered key", () => {
    saveApiKey("old", true);
    saveApiKey("new", false);
    expect(storage.items.size).toBe(0);
    expect(currentApiKey()).toBe("new");
  });

  it("an empty key clears everything", () => {
    saveApiKey("key-4", true);
    saveApiKey("   ", true);
    expect(currentApiKey()).toBeUndefined();
    expect(storage.items.size).toBe(0);
    saveApiKey("key-5", true);
    clearApiKey();
    expect(currentApiKey()).toBeUndefined();
  });

  it("is shown masked", () => {
    expect(maskKey("abcdef0123456789")).toBe("abcd…6789");
    expect(maskKey("short")).toBe("•••••");
  });
});

describe("keys per connection", () => {
  it("keeps one key per connection, each remembered or not on its own", () => {
    adoptConnections(["eu", "us"], "eu");
    saveApiKey("eu-key", true, "eu");
    saveApiKey("us-key", false, "us");
    expect(currentApiKey("eu")).toBe("eu-key");
    expect(currentApiKey("us")).toBe("us-key");
    // The default connection is what a call without a name uses.
    expect(currentApiKey()).toBe("eu-key");
    expect(isRemembered("eu")).toBe(true);
    expect(isRemembered("us")).toBe(false);
    expect([...storage.items.values()]).toEqual(["eu-key"]);
    clearApiKey("us");
    expect(currentApiKey("us")).toBeUndefined();
    expect(currentApiKey("eu")).toBe("eu-key");
  });

  it("moves a key remembered before connections existed to the default connection", () => {
    saveApiKey("old-single-key", true);
    expect(currentApiKey()).toBe("old-single-key");
    useKeyStorage(storage); // a new session: nothing in memory
    adoptConnections(["eu", "us"], "us");
    expect(currentApiKey("us")).toBe("old-single-key");
    expect(currentApiKey("eu")).toBeUndefined();
    expect(isRemembered("us")).toBe(true);
    expect([...storage.items.keys()]).toEqual(["billingUsage.apiKey.us"]);
  });

  it("moves a key typed before the connections were known (not remembered) to the default, for the session", () => {
    saveApiKey("typed-early", false);
    adoptConnections(["eu"], "eu");
    expect(currentApiKey("eu")).toBe("typed-early");
    expect(storage.items.size).toBe(0);
  });
});
