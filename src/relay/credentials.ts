/**
 * The caller's Infobip credential, as the relay sees it: read from the `Authorization` header, forwarded to
 * Infobip unchanged, and otherwise known only by its keyed hash (the query's owner). The credential itself
 * is never stored, logged or put in a URL.
 */
import { createHmac } from "node:crypto";

/** Infobip's four schemes (reference §1.3); the task pane uses `App`. Matched case-insensitively. */
const SCHEMES = ["App", "Basic", "IBSSO", "Bearer"] as const;
type Scheme = (typeof SCHEMES)[number];

export interface Credential {
  /** The header exactly as received, for forwarding. */
  authorization: string;
  /** HMAC-SHA256 of the normalised credential under the relay's key-hash secret, hex. */
  owner: string;
}

export type CredentialReading =
  { kind: "missing" } | { kind: "malformed" } | { kind: "present"; credential: Credential };

/** Parses `Authorization: <scheme> <token>`; a header with another scheme or no token is malformed. */
export function readCredential(header: string | string[] | undefined, keyHashSecret: string): CredentialReading {
  if (header === undefined || header === "") return { kind: "missing" };
  if (Array.isArray(header)) return { kind: "malformed" };
  const match = /^([A-Za-z]+) +(\S+)\s*$/.exec(header);
  const scheme = SCHEMES.find((s) => s.toLowerCase() === match?.[1]?.toLowerCase());
  const token = match?.[2];
  if (scheme === undefined || token === undefined) return { kind: "malformed" };
  return { kind: "present", credential: { authorization: header, owner: ownerHash(scheme, token, keyHashSecret) } };
}

/** The owner of a query: the same key always gives the same owner; the hash cannot be reversed without the secret. */
export function ownerHash(scheme: Scheme, token: string, keyHashSecret: string): string {
  return createHmac("sha256", keyHashSecret).update(`${scheme} ${token}`).digest("hex");
}
