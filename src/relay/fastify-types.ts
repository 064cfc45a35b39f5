/** What the relay's plugins add to Fastify's instance and request, declared once. */
import type { Credential } from "./credentials";
import type { RelayConfig } from "./config";
import type { ResultReader } from "./ingest/result-reader";
import type { RateLimits } from "./plugins/rate-limit";
import type { Settlements } from "./settlements";
import type { StorageHealth } from "./storage-health";
import type { RelayStore } from "./store";

/** The base URL callbacks go to; settable because with port 0 it is known only once the relay listens. */
export interface PublicUrl {
  get(): string;
  set(url: string): void;
}

declare module "fastify" {
  interface FastifyInstance {
    relayConfig: RelayConfig;
    clock: () => Date;
    publicUrl: PublicUrl;
    keyHashSecret: string;
    rateLimits: RateLimits;
    store: RelayStore;
    settlements: Settlements;
    results: ResultReader;
    /** Whether the store can write (readiness), and the reserve kept for a full disk. */
    storage: StorageHealth;
  }
  interface FastifyRequest {
    /** The caller's credential on `/v1` routes (set by the auth hook; null elsewhere). */
    credential: Credential | null;
  }
}
