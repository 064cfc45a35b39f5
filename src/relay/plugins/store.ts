/** The store (opened by `buildRelay`: SQLite or PostgreSQL), shared as `app.store`, closed last when the relay closes. */
import fp from "fastify-plugin";
import type { RelayStore } from "../store";

export interface StorePluginOptions {
  store: RelayStore;
}

export default fp<StorePluginOptions>(
  async (app, { store }) => {
    app.decorate("store", store);
    app.addHook("onClose", async () => {
      await store.close();
    });
  },
  { name: "relay-store", dependencies: ["relay-config"] }
);
