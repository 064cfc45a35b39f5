/** The running stack's pid file, in the relay's data directory: how `npm stop` finds `npm start`. */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const StackRecordSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  paneUrl: z.string(),
});
export type StackRecord = z.infer<typeof StackRecordSchema>;

/** A zombie has exited but its parent has not collected it yet (Linux: state Z in /proc/<pid>/stat). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** The record in the pid file, or undefined when there is none; a file that does not parse is reported. */
export function readStackRecord(pidFile: string): StackRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${pidFile} is not the stack's pid file (not JSON); delete it if no stack is running.`);
  }
  const parsed = StackRecordSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${pidFile} is not the stack's pid file; delete it if no stack is running.`);
  return parsed.data;
}

export function writeStackRecord(pidFile: string, record: StackRecord): void {
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the pid file if it still names `pid` (a newer stack may have replaced it). */
export function removeStackRecord(pidFile: string, pid: number): void {
  try {
    if (readStackRecord(pidFile)?.pid === pid) fs.rmSync(pidFile);
  } catch {
    // Nothing to remove, or not ours.
  }
}
