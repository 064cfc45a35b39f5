/**
 * Telling a store that cannot write for lack of space from other failures, whichever store said it: SQLite
 * (`SQLITE_FULL`, also when its file reached max_page_count), the file system under it (ENOSPC, EDQUOT), or
 * PostgreSQL (SQLSTATE 53100 disk_full). Such a failure is the relay's, not the caller's, and passes once space
 * returns: the relay answers it 503 with Retry-After, never 400 or 500.
 */
const FULL_CODES = new Set(["SQLITE_FULL", "ENOSPC", "EDQUOT", "53100"]);

function codeOf(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** True when the error (or what caused it) says the disk or the database is full. */
export function isStorageFull(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    const code = codeOf(cause);
    if (typeof code === "string" && FULL_CODES.has(code)) return true;
    cause = typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined;
  }
  return false;
}

/** A few words for logs and answers: "SQLITE_FULL: database or disk is full". */
export function describeStorageFailure(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}
