/**
 * What the pane keeps in `localStorage` (the Relay URL, the key when "Remember" is ticked, the browser preview's
 * pending queries) is keyed with `Office.context.partitionKey` where Excel provides one: "Use
 * Office.context.partitionKey as a key for local storage. This approach ensures that data stored in local storage is
 * only available in the same context" (https://learn.microsoft.com/office/dev/add-ins/develop/persisting-add-in-state-and-settings#storage-partitioning).
 * The partition key is a hash of the top-level site (Excel on the web) and the add-in's domain; it is undefined
 * where storage is not partitioned (the webviews of Excel on Windows and Mac) and outside Office, and keys are then
 * used as they are.
 */

/** The part of `Storage` the pane uses. */
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** This add-in instance's partition key, or "" where there is none. */
export function partitionKey(): string {
  try {
    if (typeof Office === "undefined") return "";
    return Office.context?.partitionKey ?? "";
  } catch {
    return "";
  }
}

/** A storage key of this add-in instance. */
export function partitionedKey(key: string): string {
  return `${partitionKey()}${key}`;
}

/** `storage` with every key partitioned (the partition key is read at each call: Office may be ready later). */
export function partitioned(storage: KeyValueStorage): KeyValueStorage {
  return {
    getItem: (key) => storage.getItem(partitionedKey(key)),
    setItem: (key, value) => storage.setItem(partitionedKey(key), value),
    removeItem: (key) => storage.removeItem(partitionedKey(key)),
  };
}

/** The browser's localStorage, partitioned; undefined where storage is blocked (privacy settings). */
export function addinStorage(): KeyValueStorage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : partitioned(localStorage);
  } catch {
    return undefined;
  }
}
