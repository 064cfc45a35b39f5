/**
 * What a callback the store could not take leaves behind, removed: the sender gets 503 (it may send again), and a
 * later complete delivery of the same result must be accepted, not taken for a duplicate. A delivery the store
 * could not complete is abandoned, which on a full disk itself needs room: the reserve is released for it
 * (storage-health.ts), and if even that fails the abandonment is tried again in the background until it passes
 * (the next start drops unfinished deliveries too, `RelayStore.recover`).
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
    return;
  } catch (error) {
    if (!isStorageFull(error) || !(await storage.makeRoom())) {
      log.warn({ err: error, deliveryId }, "dropping an unstored callback's chunks failed; retrying in the background");
      retryLater(store, storage, log, deliveryId, FIRST_RETRY_MS);
      return;
    }
  }
  try {
    await store.abandonDelivery(deliveryId);
    await storage.afterFreeing();
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
