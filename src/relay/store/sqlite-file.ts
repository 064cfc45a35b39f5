/**
 * Opening the relay's SQLite file with the checks a damaged or exposed file needs, before anything is stored in it:
 *
 * - a 0-byte file where the database should be is refused, naming it: SQLite would silently treat it as a new,
 *   empty database, and every stored query would be gone without a word (a truncated copy, a full disk at a
 *   restore). An operator who wants a fresh database deletes the file.
 * - `PRAGMA quick_check` at start: a file whose pages were overwritten is refused with SQLite's own findings
 *   instead of answering 500 on the queries that touch the damaged pages. quick_check reads every page once
 *   (O(file size); it skips the index-versus-table cross-check of integrity_check), measured in src/relay/README.md.
 * - the file is created mode 0600 (owner only) before SQLite opens it, and SQLite gives its -wal and -shm files
 *   the database's mode (os_unix.c, findCreateFileMode); a file left by an earlier relay with wider
 *   permissions is narrowed to 0600, with its -wal and -shm.
 */
import fs from "node:fs";
import Database from "better-sqlite3";

/** The database's companions, which hold its newest pages (WAL) and the WAL index. */
const COMPANION_SUFFIXES = ["-wal", "-shm"];
/** Lines of quick_check's findings put in the message (it can report up to 100). */
const FINDINGS_SHOWN = 5;

export class DamagedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DamagedDatabaseError";
  }
}

function narrowToOwner(file: string): void {
  for (const path of [file, ...COMPANION_SUFFIXES.map((suffix) => `${file}${suffix}`)]) {
    try {
      if ((fs.statSync(path).mode & 0o077) !== 0) fs.chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/** Opens (or creates) the database file; throws {@link DamagedDatabaseError} naming the file when it is not sound. */
export function openCheckedDatabase(file: string): Database.Database {
  let size: number | undefined;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (size === 0) {
    throw new DamagedDatabaseError(
      `The relay database ${file} is an empty (0-byte) file, not a database: it may have been truncated, or restored ` +
        "from an incomplete copy. The relay does not start on it, so that no stored result is silently replaced. " +
        "Restore the file from a backup, or delete it to start with an empty database."
    );
  }
  if (size === undefined) {
    // "wx": created here, with the owner's mode, before SQLite opens it (SQLite would create it 0644).
    fs.writeFileSync(file, "", { mode: 0o600, flag: "wx" });
  } else {
    narrowToOwner(file);
  }

  const db = new Database(file);
  try {
    const findings = db.pragma("quick_check", { simple: false }) as Array<{ quick_check: string }>;
    const problems = findings.map((finding) => finding.quick_check).filter((line) => line !== "ok");
    if (problems.length > 0) {
      throw new DamagedDatabaseError(
        `The relay database ${file} is damaged; SQLite's quick_check found: ${problems.slice(0, FINDINGS_SHOWN).join("; ")}` +
          `${problems.length > FINDINGS_SHOWN ? ` (and ${problems.length - FINDINGS_SHOWN} more)` : ""}. ` +
          "The relay does not start on a damaged database. Stop every relay using it, keep a copy of the file, then " +
          "restore it from a backup or try: sqlite3 relay.sqlite .recover | sqlite3 recovered.sqlite."
      );
    }
  } catch (error) {
    db.close();
    if (error instanceof DamagedDatabaseError) throw error;
    // SQLITE_CORRUPT / SQLITE_NOTADB: the file is not readable as a database at all.
    const reason = error instanceof Error ? error.message : String(error);
    throw new DamagedDatabaseError(
      `The relay database ${file} is damaged: SQLite cannot read it (${reason}). The relay does not start on a damaged database: ` +
        "keep a copy of the file, then restore it from a backup or delete it to start with an empty database."
    );
  }
  return db;
}
