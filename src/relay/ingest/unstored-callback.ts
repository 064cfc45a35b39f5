/**
 * What a callback the store could not take leaves behind, removed: the sender gets 503 (it may send again), and a
 * later complete delivery of the same result is accepted, not taken for a duplicate (an unfinished delivery never
 * counts: `completeDelivery` accepts the first *complete* one). Its chunks are dropped at once when the store can
 * write the deletion; on a full disk it often cannot, and they are dropped in the background as soon as it can
 * (and at the next start, `RelayStore.recover`). The disk's reserve is not used for this: it is kept for the
 * DELETEs an operator or user makes to free space (storage-health.ts), which must not find it spent.
 */
import type { FastifyBaseLogger } from "fastify";
import type { StorageHealth } from "../storage-health";
import type { RelayStore } from "../store";
import { isStorageFull } from "../store/storage-failure";

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

export async function dropUnstoredDelivery(
  store: RelayStore,
  storage: StorageHealth,
  log: FastifyBaseLogger,
  deliveryId: string
): Promise<void> {
  try {
    await store.abandonDelivery(deliveryId);
  } catch (error) {
    log.warn({ err: error, deliveryId }, "dropping an unstored callback's chunks failed; retrying in the background");
    retryLater(store, storage, log, deliveryId, FIRST_RETRY_MS);
  }
}

function retryLater(
  store: RelayStore,
  storage: StorageHealth,
  log: FastifyBaseLogger,
  deliveryId: string,
  delayMs: number
): void {
  const timer = setTimeout(() => {
    store.abandonDelivery(deliveryId).then(
      async () => {
        log.info({ deliveryId }, "an unstored callback's chunks dropped");
        await storage.afterFreeing();
      },
      (error: unknown) => {
        // A store that closed meanwhile: the next start drops the unfinished delivery.
        if (isStorageFull(error)) retryLater(store, storage, log, deliveryId, Math.min(delayMs * 2, MAX_RETRY_MS));
      }
    );
  }, delayMs);
  timer.unref();
}
