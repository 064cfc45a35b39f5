/**
 * The Infobip API key, in one place. It lives in memory for the session; it is written to the add-in's
 * storage (localStorage, keyed with this add-in instance's partition key: storage.ts) only while "Remember on this
 * computer" is ticked, and removed from it as soon as that is unticked. It is never passed to workbook code, never
 * logged and never put in a URL.
 */
import { addinStorage, partitioned, type KeyValueStorage } from "./storage";

const STORAGE_KEY = "billingUsage.apiKey";

/** The part of `Storage` this module uses, so tests can hand in their own. */
export type KeyStorage = KeyValueStorage;

let sessionKey: string | undefined;
let storageOverride: KeyStorage | undefined;

/** Where the key is remembered; storage can be blocked (privacy settings), the key then lasts for the session. */
function storage(): KeyStorage | undefined {
  return storageOverride ? partitioned(storageOverride) : addinStorage();
}

/** For tests, and for hosts whose storage is elsewhere. */
export function useKeyStorage(replacement: KeyStorage | undefined): void {
  storageOverride = replacement;
  sessionKey = undefined;
}

/** The key for this session: the one typed in, or the remembered one. */
export function currentApiKey(): string | undefined {
  if (sessionKey) return sessionKey;
  const remembered = storage()?.getItem(STORAGE_KEY) ?? undefined;
  if (remembered) sessionKey = remembered;
  return sessionKey;
}

/** Whether a key is kept on this computer (what the checkbox shows when Settings opens). */
export function isRemembered(): boolean {
  return Boolean(storage()?.getItem(STORAGE_KEY));
}

/**
 * Sets the key for the session and stores or forgets it on this computer according to `remember`
 * (the checkbox's `checked` state). An empty key clears everything.
 */
export function saveApiKey(key: string, remember: boolean): void {
  const trimmed = key.trim();
  if (!trimmed) {
    clearApiKey();
    return;
  }
  sessionKey = trimmed;
  const store = storage();
  if (remember) store?.setItem(STORAGE_KEY, trimmed);
  else store?.removeItem(STORAGE_KEY);
}

/** Forgets the key on this computer; keeps it for the session only when `keepForSession`. */
export function forgetStoredKey(keepForSession = true): void {
  storage()?.removeItem(STORAGE_KEY);
  if (!keepForSession) sessionKey = undefined;
}

/** Forgets the key everywhere. */
export function clearApiKey(): void {
  sessionKey = undefined;
  storage()?.removeItem(STORAGE_KEY);
}

/** Thrown where a call needs the API key and none is set: nothing was sent anywhere. */
export class MissingKeyError extends Error {
  override readonly name = "MissingKeyError";
  readonly kind = "no-key";
  readonly summary = "No Infobip API key is set.";
  readonly advice = "Enter your API key in Settings.";
  readonly violations: readonly [] = [];
  constructor() {
    super("No Infobip API key is set. Enter your API key in Settings.");
  }
}

/** `abcd…wxyz` for showing which key is in use without showing it. */
export function maskKey(key: string): string {
  return key.length <= 8 ? "\u2022".repeat(key.length) : `${key.slice(0, 4)}\u2026${key.slice(-4)}`;
}
