/**
 * What the workbook remembers about its billing tables: each table's query definition (the period as the
 * user chose it, so "last month" is re-evaluated at refresh) and provenance, and the queries still running
 * at the relay (id, label, destination) so a reopened pane picks them up.
 *
 * Stored in ONE custom XML part under our namespace, as escaped JSON in a `<state>` element. A custom XML
 * part travels with the file (save, close, reopen, send to a colleague), unlike add-in storage. The API key
 * is never part of it: every record is rebuilt through its zod schema before it is written, which keeps
 * only the known fields (a stray `apiKey` on an object is dropped), and no schema has a place for a key.
 *
 * Reads are validated too: a damaged part gives a WorkbookStateError in plain words, never a crash.
 * Writes within one pane are serialized (Refresh all saves several records at once).
 */
import { z } from "zod";
import { DateIntervalSchema, QueryDefinitionSchema, type QueryDefinition } from "../billing";
import { createSerialQueue } from "./serial";
import type { Provenance } from "./shape";

export const WORKBOOK_STATE_NAMESPACE = "urn:billing-usage-for-excel:v1";
const ROOT = "billingUsage";

const BillingPeriodStatusSchema = z.object({
  month: z.string(),
  status: z.enum(["Final", "Provisional"]),
  finalizationDate: z.string(),
});

const ProvenanceSchema = z.object({
  requestId: z.string(),
  requestedPeriod: DateIntervalSchema,
  clientRequestedPeriod: DateIntervalSchema,
  retrievedAt: z.string(),
  includeUnfinalizedData: z.boolean(),
  billingPeriods: z.array(BillingPeriodStatusSchema),
  rowCount: z.number().int().nonnegative(),
  /** A table over named connections: each connection's request and month statuses (shape.ts). */
  connections: z
    .array(
      z.object({
        name: z.string().min(1),
        requestId: z.string(),
        requestedPeriod: DateIntervalSchema,
        billingPeriods: z.array(BillingPeriodStatusSchema),
        rowCount: z.number().int().nonnegative(),
      })
    )
    .optional(),
  /** Connections of its query whose rows the table does not hold, and why. */
  missingConnections: z.array(z.object({ name: z.string().min(1), reason: z.string() })).optional(),
});

export const DestinationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("new-sheet"), sheetName: z.string().optional() }),
  z.object({ kind: z.literal("replace"), tableName: z.string().min(1) }),
]);
export type StoredDestination = z.infer<typeof DestinationSchema>;

export const BillingTableRecordSchema = z.object({
  tableName: z.string().min(1),
  /** Excel's table id (survives renames); "" when unknown. */
  tableId: z.string(),
  sheetName: z.string().min(1),
  definition: QueryDefinitionSchema,
  /** Our columns' headers, in order (the rest of the table's columns are the user's). */
  columns: z.array(z.string().min(1)),
  provenance: ProvenanceSchema,
  /** When the rows were last written, ISO 8601 UTC. */
  writtenAt: z.string(),
});
export type BillingTableRecord = Omit<z.infer<typeof BillingTableRecordSchema>, "definition" | "provenance"> & {
  definition: QueryDefinition;
  provenance: Provenance;
};

export const PendingQuerySchema = z.object({
  /** The relay's query id. */
  queryId: z.string().min(1),
  label: z.string().optional(),
  destination: DestinationSchema,
  definition: QueryDefinitionSchema.optional(),
  submittedAt: z.string(),
  /**
   * A query over several connections: one relay query per connection, all picked up together (written together,
   * or not at all); `queryId` is then the first part's.
   */
  parts: z
    .array(z.object({ connection: z.string().min(1), queryId: z.string().min(1), requestId: z.string().optional() }))
    .optional(),
});
export type PendingQuery = Omit<z.infer<typeof PendingQuerySchema>, "definition"> & { definition?: QueryDefinition };

export const WorkbookStateSchema = z.object({
  version: z.literal(1),
  tables: z.array(BillingTableRecordSchema),
  pendingQueries: z.array(PendingQuerySchema),
});
export interface WorkbookState {
  version: 1;
  tables: BillingTableRecord[];
  pendingQueries: PendingQuery[];
}

export const EMPTY_WORKBOOK_STATE: WorkbookState = { version: 1, tables: [], pendingQueries: [] };

export class WorkbookStateError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown
  ) {
    super(message);
    this.name = "WorkbookStateError";
  }
}

// ------------------------------------------------------------------ XML (pure)

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The part's XML for a state (validated first: only known fields are written). */
export function stateToXml(state: WorkbookState): string {
  const clean = WorkbookStateSchema.parse(state);
  return `<${ROOT} xmlns="${WORKBOOK_STATE_NAMESPACE}"><state>${escapeXml(JSON.stringify(clean))}</state></${ROOT}>`;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unknown problem";
  const path = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  return `${path}: ${issue.message}`;
}

/** A state from the part's XML, or a WorkbookStateError saying what is wrong. */
export function stateFromXml(xml: string): WorkbookState {
  const match = /<state>([\s\S]*)<\/state>/.exec(xml);
  if (!match) {
    throw new WorkbookStateError(
      "The billing information saved in this workbook is damaged (no <state> element). Billing tables still " +
        "hold their rows, but they cannot be refreshed until they are written again from a query."
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(unescapeXml(match[1] ?? ""));
  } catch (error) {
    throw new WorkbookStateError(
      "The billing information saved in this workbook is damaged (it is not valid JSON). Billing tables still " +
        "hold their rows, but they cannot be refreshed until they are written again from a query.",
      error
    );
  }
  const parsed = WorkbookStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new WorkbookStateError(
      `The billing information saved in this workbook is damaged (${describeIssue(parsed.error)}). Billing tables ` +
        "still hold their rows, but they cannot be refreshed until they are written again from a query.",
      parsed.error
    );
  }
  return parsed.data as WorkbookState;
}

/** Parses what is about to be saved; unknown fields are dropped, wrong ones refused in plain words. */
function validated<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new WorkbookStateError(
      `Cannot save ${what} with the workbook: ${describeIssue(parsed.error)}.`,
      parsed.error
    );
  }
  return parsed.data;
}

// ------------------------------------------------------------------ Excel

/** Read-modify-write cycles run one after the other, so concurrent saves do not lose each other. */
const exclusive = createSerialQueue();

interface StoredState {
  state: WorkbookState;
  partIds: string[];
}

/** Reads our part (two syncs: find it, then its XML). `alsoLoad` queues extra loads into the first sync. */
async function readStore(context: Excel.RequestContext, alsoLoad?: () => void): Promise<StoredState> {
  const parts = context.workbook.customXmlParts.getByNamespace(WORKBOOK_STATE_NAMESPACE);
  parts.load("items/id");
  alsoLoad?.();
  await context.sync();
  const partIds = parts.items.map((part) => part.id);
  if (partIds.length === 0) return { state: structuredClone(EMPTY_WORKBOOK_STATE), partIds };
  const xml = context.workbook.customXmlParts.getItem(partIds[0] ?? "").getXml();
  await context.sync();
  // `xml` is a ClientResult, filled by the sync above (the lint rule does not know ClientResult).
  // eslint-disable-next-line office-addins/load-object-before-read
  return { state: stateFromXml(xml.value), partIds };
}

/** Writes the state into our part (creating it, and removing stray duplicates), in one sync. */
async function writeStore(
  context: Excel.RequestContext,
  state: WorkbookState,
  partIds: readonly string[]
): Promise<void> {
  const xml = stateToXml(state);
  const collection = context.workbook.customXmlParts;
  const [first, ...extras] = partIds;
  if (first === undefined) collection.add(xml);
  else collection.getItem(first).setXml(xml);
  for (const id of extras) collection.getItem(id).delete();
  await context.sync();
}

async function update(
  context: Excel.RequestContext,
  change: (state: WorkbookState) => WorkbookState
): Promise<WorkbookState> {
  return exclusive(async () => {
    const stored = await readStore(context);
    const next = change(stored.state);
    await writeStore(context, next, stored.partIds);
    return next;
  });
}

/** Everything the workbook remembers (an empty state when nothing was saved yet). */
export async function loadWorkbookState(context: Excel.RequestContext): Promise<WorkbookState> {
  return (await readStore(context)).state;
}

function sameTable(record: BillingTableRecord, key: { tableName: string; tableId?: string }): boolean {
  if (key.tableId && record.tableId && key.tableId === record.tableId) return true;
  return record.tableName.toLowerCase() === key.tableName.toLowerCase();
}

/** Adds or replaces the record of one billing table (matched by table id, else by name). */
export async function saveTableRecord(context: Excel.RequestContext, record: BillingTableRecord): Promise<void> {
  const clean = validated(
    BillingTableRecordSchema,
    record,
    `the record of table ${record.tableName}`
  ) as BillingTableRecord;
  await update(context, (state) => ({
    ...state,
    tables: [...state.tables.filter((existing) => !sameTable(existing, clean)), clean],
  }));
}

/** Forgets a billing table (by name or id). */
export async function removeTableRecord(context: Excel.RequestContext, tableNameOrId: string): Promise<void> {
  await update(context, (state) => ({
    ...state,
    tables: state.tables.filter((record) => !sameTable(record, { tableName: tableNameOrId, tableId: tableNameOrId })),
  }));
}

/**
 * The billing tables that still exist in the workbook, with their current names (a table the user renamed
 * is found by its id). Records of deleted tables are left out (and left in the part).
 */
export async function listBillingTables(context: Excel.RequestContext): Promise<BillingTableRecord[]> {
  const tables = context.workbook.tables;
  const { state } = await readStore(context, () => tables.load("items/name,items/id"));
  const existing = tables.items.map((t) => ({ name: t.name, id: t.id }));
  const found: BillingTableRecord[] = [];
  for (const record of state.tables) {
    const byId = record.tableId ? existing.find((t) => t.id === record.tableId) : undefined;
    const match = byId ?? existing.find((t) => t.name.toLowerCase() === record.tableName.toLowerCase());
    if (match) found.push({ ...record, tableName: match.name, tableId: match.id });
  }
  return found;
}

/** The record of one billing table, or undefined. */
export async function findTableRecord(
  context: Excel.RequestContext,
  tableName: string
): Promise<BillingTableRecord | undefined> {
  return (await listBillingTables(context)).find(
    (record) => record.tableName.toLowerCase() === tableName.toLowerCase()
  );
}

export async function addPendingQuery(context: Excel.RequestContext, pending: PendingQuery): Promise<void> {
  const clean = validated(PendingQuerySchema, pending, `the pending query ${pending.queryId}`) as PendingQuery;
  await update(context, (state) => ({
    ...state,
    pendingQueries: [...state.pendingQueries.filter((q) => q.queryId !== clean.queryId), clean],
  }));
}

export async function removePendingQuery(context: Excel.RequestContext, queryId: string): Promise<void> {
  await update(context, (state) => ({
    ...state,
    pendingQueries: state.pendingQueries.filter((q) => q.queryId !== queryId),
  }));
}

export async function listPendingQueries(context: Excel.RequestContext): Promise<PendingQuery[]> {
  return (await readStore(context)).state.pendingQueries;
}

/** Replaces a damaged part with an empty state (the tables keep their rows; their records are lost). */
export async function resetWorkbookState(context: Excel.RequestContext): Promise<void> {
  await exclusive(async () => {
    const parts = context.workbook.customXmlParts.getByNamespace(WORKBOOK_STATE_NAMESPACE);
    parts.load("items/id");
    await context.sync();
    await writeStore(
      context,
      structuredClone(EMPTY_WORKBOOK_STATE),
      parts.items.map((p) => p.id)
    );
  });
}

/** A record for a table just written, from the writer's report. */
export function tableRecordFor(
  written: { tableName: string; tableId: string; sheetName: string },
  definition: QueryDefinition,
  columns: readonly string[],
  provenance: Provenance,
  now: Date
): BillingTableRecord {
  return {
    tableName: written.tableName,
    tableId: written.tableId,
    sheetName: written.sheetName,
    definition,
    columns: [...columns],
    provenance,
    writtenAt: now.toISOString(),
  };
}
