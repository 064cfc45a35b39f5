/**
 * Stores a callback body exactly as it arrives: counted against the size limit and written to the store in
 * chunks of 1 MiB as it streams in, so a large result is never buffered whole. Only when the last chunk is
 * written and the delivery durably marked complete may the caller answer 200.
 */
import type { Readable } from "node:stream";
import type { DeliveryCompletion, RelayStore } from "../store";

export const CHUNK_BYTES = 1024 * 1024;

export type Reception =
  | {
      kind: "stored";
      completion: DeliveryCompletion;
      byteLength: number;
      /** The bytes stored, still in memory when no more than `keepUpToBytes` (to be read without reading them back). */
      body: Buffer[] | undefined;
    }
  | { kind: "tooLarge"; byteLength: number }
  | { kind: "broken"; error: unknown };

export async function receiveBody(
  store: RelayStore,
  queryId: string,
  body: Readable,
  options: { maxBytes: number; contentType: string | null; now: number; chunkBytes?: number; keepUpToBytes?: number }
): Promise<Reception> {
  const keepUpToBytes = options.keepUpToBytes ?? 0;
  let kept: Buffer[] | undefined = keepUpToBytes > 0 ? [] : undefined;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const deliveryId = await store.beginDelivery(queryId, options.contentType, options.now);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;

  const writePending = async (): Promise<void> => {
    const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await store.appendChunk(deliveryId, seq++, data);
  };

  try {
    for await (const piece of body) {
      const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
      total += bytes.length;
      if (total > options.maxBytes) {
        await store.abandonDelivery(deliveryId);
        return { kind: "tooLarge", byteLength: total };
      }
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (total > keepUpToBytes) kept = undefined;
      kept?.push(bytes);
      if (pendingBytes >= chunkBytes) await writePending();
    }
    if (pendingBytes > 0) await writePending();
  } catch (error) {
    await store.abandonDelivery(deliveryId);
    return { kind: "broken", error };
  }
  const completion = await store.completeDelivery(deliveryId, total);
  return { kind: "stored", completion, byteLength: total, body: kept };
}
