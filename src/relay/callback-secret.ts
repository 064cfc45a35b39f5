/**
 * The per-query secret in the callback URL, the only thing that authenticates a callback (Infobip signs
 * nothing). 256 random bits, base64url; the relay keeps only its SHA-256, and looks a callback address up by the ID
 * and that hash together (store `getQueryAtCallbackAddress`), so a wrong secret and an unknown ID are the same miss.
 */
import { createHash, randomBytes } from "node:crypto";

const SECRET_BYTES = 32;
/** base64url of 32 bytes, without padding. */
export const CALLBACK_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newCallbackSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}

export function hashCallbackSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** One letter of "callbacks", as itself in either case or percent-encoded (`%63` or `%43` for c). */
function letterPattern(letter: string): string {
  const codes = [letter.toLowerCase(), letter.toUpperCase()].map((c) => c.charCodeAt(0).toString(16));
  return `(?:${letter}|${codes.map((hex) => `%${hex}`).join("|")})`;
}

/** Slashes as a router or a proxy may read them: `/`, `\`, or percent-encoded, any number in a row. */
const SEPARATORS = String.raw`(?:/|\\|%2f|%5c)+`;
const CALLBACKS_SEGMENT = [..."callbacks"].map(letterPattern).join("");
/** `/callbacks/<id>/` in any spelling, then everything that follows it (where the secret may be). */
const CALLBACK_ADDRESS = new RegExp(
  `(${SEPARATORS}${CALLBACKS_SEGMENT}${SEPARATORS}[^/\\?#%]*)(?:${SEPARATORS}).*$`,
  "is"
);

/** A run of exactly 43 base64url characters: the shape of a secret, wherever it stands. */
const SECRET_SHAPED = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * A request URL as it may be logged: the callback secret masked (`/callbacks/<id>/***`) however the path is
 * spelt — any case of `callbacks`, doubled, back- or percent-encoded slashes — because the URL of a request
 * that did not match the route (404, 429) is logged too, as sent. Everything after the ID (the secret, any
 * further segments, the query string) is replaced; so is a secret-shaped run anywhere else (a secret sent
 * without its ID, or in the wrong place).
 */
export function maskCallbackPath(url: string): string {
  return url.replace(CALLBACK_ADDRESS, "$1/***").replace(SECRET_SHAPED, "***");
}
