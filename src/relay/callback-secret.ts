/**
 * The per-query secret in the callback URL, the only thing that authenticates a callback (Infobip signs
 * nothing). 256 random bits, base64url; the relay keeps only its SHA-256 and compares hashes in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const SECRET_BYTES = 32;
/** base64url of 32 bytes, without padding. */
export const CALLBACK_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newCallbackSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}

export function hashCallbackSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant-time: both sides are 32-byte hashes, whatever was presented. */
export function callbackSecretMatches(presented: string, storedHash: Buffer): boolean {
  const presentedHash = hashCallbackSecret(presented);
  return storedHash.length === presentedHash.length && timingSafeEqual(presentedHash, storedHash);
}

/** `/callbacks/<id>/<secret>` with the secret masked, for logs. */
export function maskCallbackPath(url: string): string {
  return url.replace(/(\/callbacks\/[^/?#]*\/)[^/?#]*/g, "$1***");
}
