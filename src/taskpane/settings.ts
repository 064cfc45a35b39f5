/**
 * Where the relay is. Not a secret: kept in localStorage. The default is the origin that served the pane,
 * which is the relay itself in production and the dev server (proxying `/v1`) in development.
 */

const RELAY_URL_KEY = "billingUsage.relayUrl";

export function defaultRelayUrl(): string {
  return typeof window !== "undefined" && window.location?.origin && window.location.origin !== "null"
    ? window.location.origin
    : "http://localhost:3001";
}

export function loadRelayUrl(): string {
  try {
    return localStorage.getItem(RELAY_URL_KEY) || defaultRelayUrl();
  } catch {
    return defaultRelayUrl();
  }
}

/** Saves the URL; saving the default (or nothing) removes the entry, so the pane follows its origin. */
export function saveRelayUrl(url: string): void {
  try {
    const trimmed = url.trim();
    if (!trimmed || trimmed === defaultRelayUrl()) localStorage.removeItem(RELAY_URL_KEY);
    else localStorage.setItem(RELAY_URL_KEY, trimmed);
  } catch {
    // Storage blocked: the URL lasts for this session, held by the caller's state.
  }
}
