/**
 * Authentication and visibility: `Authorization: App <key>` with the emulator's built-in demo keys.
 *
 * - `demo-key`: an API key of the parent account; sees the whole hierarchy (Infobip's default).
 * - `demo-subaccount-key`: an API key of one sub-account; sees only that sub-account's data.
 * - `demo-noscope-key`: a valid key without `billing:usage:view`; Infobip's guide says that is a 401.
 *
 * Keys are never logged: callers identify a principal by its `name` (the demo key's public name is not
 * a secret, but the code treats every key alike).
 */

export const REQUIRED_SCOPE = "billing:usage:view";

export interface DemoKey {
  /** Index of the account the key belongs to. */
  readonly account: number;
  /** Whether the key sees the accounts below its own. */
  readonly seesHierarchy: boolean;
  readonly scopes: readonly string[];
  readonly description: string;
}

export const DEMO_KEYS: Readonly<Record<string, DemoKey>> = {
  "demo-key": {
    account: 0,
    seesHierarchy: true,
    scopes: [REQUIRED_SCOPE],
    description: "Parent account: sees the whole hierarchy.",
  },
  "demo-subaccount-key": {
    account: 1,
    seesHierarchy: false,
    scopes: [REQUIRED_SCOPE],
    description: "One sub-account: sees only its own data.",
  },
  "demo-noscope-key": {
    account: 0,
    seesHierarchy: true,
    scopes: [],
    description: `Lacks ${REQUIRED_SCOPE}: every query is answered 401.`,
  },
};

export const DEMO_KEY_NAMES = Object.keys(DEMO_KEYS);

export interface Principal {
  /** The demo key's name, used for throttling and the request log. */
  readonly name: string;
  readonly key: DemoKey;
}

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "missing" | "unknown" }
  | { ok: false; reason: "unsupported-scheme"; scheme: string };

/** Reads `Authorization: App <key>` (scheme case-insensitive, as HTTP schemes are). */
export function authenticate(header: string | undefined): Authentication {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "missing" };
  const match = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!match) return { ok: false, reason: "unknown" };
  const scheme = match[1] ?? "";
  const credential = (match[2] ?? "").trim();
  if (scheme.toLowerCase() !== "app") {
    const known = ["basic", "bearer", "ibsso"].includes(scheme.toLowerCase());
    return known ? { ok: false, reason: "unsupported-scheme", scheme } : { ok: false, reason: "unknown" };
  }
  const key = Object.hasOwn(DEMO_KEYS, credential) ? DEMO_KEYS[credential] : undefined;
  return key ? { ok: true, principal: { name: credential, key } } : { ok: false, reason: "unknown" };
}

export function hasScope(principal: Principal, scope: string = REQUIRED_SCOPE): boolean {
  return principal.key.scopes.includes(scope);
}
