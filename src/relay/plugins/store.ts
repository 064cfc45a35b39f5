/** The store, opened once in the data directory, shared as `app.store`, closed last when the relay closes. */
import fp from "fastify-plugin";
import { openSqliteStore, type RelayStore } from "../store";

export interface StorePluginOptions {
  /** A store built elsewhere (tests, another database); default: SQLite in RELAY_DATA_DIR. */
  store?: RelayStore;
}

export default fp<StorePluginOptions>(
  async (app, options) => {
    const store = options.store ?? openSqliteStore(app.relayConfig.dataDir);
    app.decorate("store", store);
    app.addHook("onClose", async () => {
      await store.close();
    });
  },
  { name: "relay-store", dependencies: ["relay-config"] }
);
