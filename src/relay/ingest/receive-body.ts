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
  | { kind: "broken"; error: unknown }
  /** The store failed (a full disk): the delivery, if begun, is left for the caller to abandon (store-failure.ts). */
  | { kind: "notStored"; error: unknown; deliveryId: string | null };

/** A failure of the store while the body streamed in, told apart from the body breaking off. */
class StoreWriteFailure extends Error {
  constructor(readonly failure: unknown) {
    super("the store failed while storing a callback body");
  }
}

export async function receiveBody(
  store: RelayStore,
  queryId: string,
  body: Readable,
  options: { maxBytes: number; contentType: string | null; now: number; chunkBytes?: number; keepUpToBytes?: number }
): Promise<Reception> {
  const keepUpToBytes = options.keepUpToBytes ?? 0;
  let kept: Buffer[] | undefined = keepUpToBytes > 0 ? [] : undefined;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  let deliveryId: string;
  try {
    deliveryId = await store.beginDelivery(queryId, options.contentType, options.now);
  } catch (error) {
    return { kind: "notStored", error, deliveryId: null };
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;

  const writePending = async (): Promise<void> => {
    const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await store.appendChunk(deliveryId, seq++, data).catch((error: unknown) => {
      throw new StoreWriteFailure(error);
    });
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
    if (error instanceof StoreWriteFailure) return { kind: "notStored", error: error.failure, deliveryId };
    await store.abandonDelivery(deliveryId);
    return { kind: "broken", error };
  }
  try {
    const completion = await store.completeDelivery(deliveryId, total);
    return { kind: "stored", completion, byteLength: total, body: kept };
  } catch (error) {
    return { kind: "notStored", error, deliveryId };
  }
}
