/**
 * The HMAC secret under which API keys are hashed into query owners. It is not an API key and grants no
 * access to Infobip; it only makes the owner hashes in the database useless to someone who copies the file
 * without it. From RELAY_KEY_HASH_SECRET, or generated once and kept in `<dataDir>/relay-secret` (mode 0600).
 * Changing it makes every stored query invisible to its owner (they expire with the TTL).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const KEY_HASH_SECRET_FILE = "relay-secret";

export interface KeyHashSecret {
  secret: string;
  source: "environment" | "file" | "generated";
}

export function resolveKeyHashSecret(configured: string | undefined, dataDir: string): KeyHashSecret {
  if (configured !== undefined) return { secret: configured, source: "environment" };
  const file = path.join(dataDir, KEY_HASH_SECRET_FILE);
  try {
    const secret = fs.readFileSync(file, "utf8").trim();
    if (secret.length >= 32) {
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
      return { secret, source: "file" };
    }
    throw new Error(
      `${file} holds no usable secret (fewer than 32 characters); delete it to let the relay generate a new one`
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(48).toString("base64url");
  // "wx": never overwrite a secret another relay process wrote in the meantime.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return resolveKeyHashSecret(undefined, dataDir);
    throw error;
  }
  return { secret, source: "generated" };
}
