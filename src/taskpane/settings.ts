/**
 * Where the relay is. Not a secret: kept in localStorage, keyed with this add-in instance's partition key
 * (storage.ts). The default is the origin that served the pane, which is the relay itself in production and the
 * dev server (proxying `/v1`) in development.
 */
import { addinStorage } from "./storage";

const RELAY_URL_KEY = "billingUsage.relayUrl";

export function defaultRelayUrl(): string {
  return typeof window !== "undefined" && window.location?.origin && window.location.origin !== "null"
    ? window.location.origin
    : "http://localhost:3001";
}

export function loadRelayUrl(): string {
  try {
    return addinStorage()?.getItem(RELAY_URL_KEY) || defaultRelayUrl();
  } catch {
    return defaultRelayUrl();
  }
}

/** Saves the URL; saving the default (or nothing) removes the entry, so the pane follows its origin. */
export function saveRelayUrl(url: string): void {
  try {
    const storage = addinStorage();
    const trimmed = url.trim();
    if (!trimmed || trimmed === defaultRelayUrl()) storage?.removeItem(RELAY_URL_KEY);
    else storage?.setItem(RELAY_URL_KEY, trimmed);
  } catch {
    // Storage blocked: the URL lasts for this session, held by the caller's state.
  }
}
