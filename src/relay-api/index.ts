/**
 * The relay's `/v1` API as one contract: limits, request and answer schemas, and the route table. Pure (zod and
 * `src/billing` only), so the relay, the task pane's bundle and the tests all import the same definitions.
 */
export * from "./limits";
export * from "./schemas";
export * from "./submission";
export * from "./routes";
