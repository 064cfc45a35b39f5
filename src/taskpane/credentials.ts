/**
 * The Infobip API keys, in one place: one key per Infobip connection of the relay (each account or data centre
 * has its own keys; `GET /v1/connections` names them). A key lives in memory for the session; it is written to the
 * add-in's storage (localStorage, keyed with this add-in instance's partition key: storage.ts) only while "Remember
 * on this computer" is ticked, and removed from it as soon as that is unticked. No key is ever passed to workbook
 * code, logged or put in a URL.
 *
 * A relay with one connection works as before: its key is "the" key. Keys are stored per connection name
 * (`billingUsage.apiKey.<name>`); a key remembered before connections existed (`billingUsage.apiKey`) belongs to the
 * default connection, and moves there the first time the pane learns the connections ({@link adoptConnections}).
 * Until it knows them (or with a relay that does not list connections) that legacy entry is the default's key.
 */
import { addinStorage, partitioned, type KeyValueStorage } from "./storage";

const LEGACY_STORAGE_KEY = "billingUsage.apiKey";

function storageKeyOf(connection: string): string {
  return `${LEGACY_STORAGE_KEY}.${connection}`;
}

/** The part of `Storage` this module uses, so tests can hand in their own. */
export type KeyStorage = KeyValueStorage;

/** Keys typed in or read back this session, by connection name ("" = the default before its name is known). */
const sessionKeys = new Map<string, string>();
let defaultConnection: string | undefined;
let knownConnections: readonly string[] = [];
let storageOverride: KeyStorage | undefined;

/** Where keys are remembered; storage can be blocked (privacy settings), keys then last for the session. */
function storage(): KeyStorage | undefined {
  return storageOverride ? partitioned(storageOverride) : addinStorage();
}

/** For tests, and for hosts whose storage is elsewhere. */
export function useKeyStorage(replacement: KeyStorage | undefined): void {
  storageOverride = replacement;
  sessionKeys.clear();
  defaultConnection = undefined;
  knownConnections = [];
}

/** The stored entry of a connection ("" or undefined: the default, whose name may not be known yet). */
function storedEntryKey(connection: string | undefined): string {
  const name = connection || defaultConnection;
  return name ? storageKeyOf(name) : LEGACY_STORAGE_KEY;
}

function sessionName(connection: string | undefined): string {
  return connection || defaultConnection || "";
}

/**
 * Tells this module the relay's connections and which one is the default. A key remembered before connections
 * existed moves to the default connection (kept on this computer only if it was kept there before).
 */
export function adoptConnections(names: readonly string[], defaultName: string): void {
  if (!names.includes(defaultName)) return;
  knownConnections = [...names];
  const store = storage();
  const legacySession = sessionKeys.get("");
  defaultConnection = defaultName;
  if (legacySession && !sessionKeys.has(defaultName)) sessionKeys.set(defaultName, legacySession);
  sessionKeys.delete("");
  const legacyStored = store?.getItem(LEGACY_STORAGE_KEY);
  if (legacyStored) {
    if (!store?.getItem(storageKeyOf(defaultName))) store?.setItem(storageKeyOf(defaultName), legacyStored);
    store?.removeItem(LEGACY_STORAGE_KEY);
  }
}

/** The default connection's name, once {@link adoptConnections} told it. */
export function knownDefaultConnection(): string | undefined {
  return defaultConnection;
}

/** The key for this session of a connection (absent: the default): the one typed in, or the remembered one. */
export function currentApiKey(connection?: string): string | undefined {
  const name = sessionName(connection);
  const typed = sessionKeys.get(name);
  if (typed) return typed;
  const remembered = storage()?.getItem(storedEntryKey(connection)) ?? undefined;
  if (remembered) sessionKeys.set(name, remembered);
  return remembered;
}

/** Whether any connection (the default, or one the relay listed) has a key: enough to run or pick a query up. */
export function hasAnyApiKey(): boolean {
  return Boolean(currentApiKey()) || knownConnections.some((name) => Boolean(currentApiKey(name)));
}

/** Whether a connection's key is kept on this computer (what its checkbox shows when Settings opens). */
export function isRemembered(connection?: string): boolean {
  return Boolean(storage()?.getItem(storedEntryKey(connection)));
}

/**
 * Sets a connection's key (absent: the default's) for the session and stores or forgets it on this computer
 * according to `remember` (the checkbox's `checked` state). An empty key clears that connection's key.
 */
export function saveApiKey(key: string, remember: boolean, connection?: string): void {
  const trimmed = key.trim();
  if (!trimmed) {
    clearApiKey(connection);
    return;
  }
  sessionKeys.set(sessionName(connection), trimmed);
  const store = storage();
  if (remember) store?.setItem(storedEntryKey(connection), trimmed);
  else store?.removeItem(storedEntryKey(connection));
}

/** Forgets a connection's key on this computer; keeps it for the session only when `keepForSession`. */
export function forgetStoredKey(keepForSession = true, connection?: string): void {
  storage()?.removeItem(storedEntryKey(connection));
  if (!keepForSession) sessionKeys.delete(sessionName(connection));
}

/** Forgets a connection's key (absent: the default's) everywhere. */
export function clearApiKey(connection?: string): void {
  sessionKeys.delete(sessionName(connection));
  storage()?.removeItem(storedEntryKey(connection));
}

/** Thrown where a call needs an API key and none is set: nothing was sent anywhere. */
export class MissingKeyError extends Error {
  override readonly name = "MissingKeyError";
  readonly kind = "no-key";
  readonly summary: string;
  readonly advice: string;
  readonly violations: readonly [] = [];
  constructor(readonly connection?: string) {
    const summary = connection
      ? `No Infobip API key is set for the connection \u201c${connection}\u201d.`
      : "No Infobip API key is set.";
    const advice = connection
      ? `Enter the key of \u201c${connection}\u201d in Settings.`
      : "Enter your API key in Settings.";
    super(`${summary} ${advice}`);
    this.summary = summary;
    this.advice = advice;
  }
}

/** `abcd…wxyz` for showing which key is in use without showing it. */
export function maskKey(key: string): string {
  return key.length <= 8 ? "\u2022".repeat(key.length) : `${key.slice(0, 4)}\u2026${key.slice(-4)}`;
}
