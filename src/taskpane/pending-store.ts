/**
 * Pending queries kept outside a workbook: in the browser preview there is no workbook, so the ids live in
 * localStorage (per origin, and per add-in instance where Office gives a partition key: storage.ts), and a reloaded
 * page picks them up. In Excel the workbook keeps them instead
 * (see excel-workbook.ts). Stored entries are checked with zod on the way back in: a damaged entry is
 * dropped, never trusted.
 */
import { z } from "zod";
import { QueryDefinitionSchema, type QueryDefinition } from "../billing";
import type { PendingQuery, PendingStore } from "./query-runner";
import { partitioned } from "./storage";

const STORAGE_KEY = "billingUsage.pendingQueries";

export const DestinationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("new-sheet") }),
  z.object({ kind: z.literal("replace"), tableName: z.string().min(1) }),
]);

export const PendingQuerySchema = z.object({
  queryId: z.string().min(1),
  requestId: z.string().optional(),
  label: z.string().optional(),
  definition: QueryDefinitionSchema,
  destination: DestinationSchema,
  submittedAt: z.string(),
  parts: z
    .array(z.object({ connection: z.string().min(1), queryId: z.string().min(1), requestId: z.string().optional() }))
    .optional(),
});

/** Parses a stored list, keeping the valid entries. */
export function parsePendingList(text: string | null): PendingQuery[] {
  if (!text) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(json)) return [];
  return json.flatMap((entry: unknown): PendingQuery[] => {
    const parsed = PendingQuerySchema.safeParse(entry);
    return parsed.success ? [{ ...parsed.data, definition: parsed.data.definition as QueryDefinition }] : [];
  });
}

export class LocalPendingStore implements PendingStore {
  private readonly storage: Pick<Storage, "getItem" | "setItem">;

  constructor(storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> = localStorage) {
    this.storage = partitioned(storage);
  }

  async list(): Promise<PendingQuery[]> {
    return parsePendingList(this.storage.getItem(STORAGE_KEY));
  }

  async add(pending: PendingQuery): Promise<void> {
    const others = (await this.list()).filter((p) => p.queryId !== pending.queryId);
    this.storage.setItem(STORAGE_KEY, JSON.stringify([...others, pending]));
  }

  async remove(queryId: string): Promise<void> {
    const rest = (await this.list()).filter((p) => p.queryId !== queryId);
    this.storage.setItem(STORAGE_KEY, JSON.stringify(rest));
  }
}

/** A store in memory (tests; or when storage is blocked). */
export class MemoryPendingStore implements PendingStore {
  private readonly entries = new Map<string, PendingQuery>();
  async list(): Promise<PendingQuery[]> {
    return [...this.entries.values()];
  }
  async add(pending: PendingQuery): Promise<void> {
    this.entries.set(pending.queryId, pending);
  }
  async remove(queryId: string): Promise<void> {
    this.entries.delete(queryId);
  }
}
