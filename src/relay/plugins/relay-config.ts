/** First plugin: the validated configuration, the clock and the callback base URL, shared by all others. */
import fp from "fastify-plugin";
import type { RelayConfig } from "../config";
import { defaultPublicUrl } from "../config";
import type { PublicUrl } from "../fastify-types";

export interface RelayConfigPluginOptions {
  config: RelayConfig;
  clock: () => Date;
  keyHashSecret: string;
}

export default fp<RelayConfigPluginOptions>(
  async (app, { config, clock, keyHashSecret }) => {
    let publicUrl = config.publicUrl ?? defaultPublicUrl(config.port);
    const holder: PublicUrl = {
      get: () => publicUrl,
      set: (url) => {
        publicUrl = url.replace(/\/+$/, "");
      },
    };
    app.decorate("relayConfig", config);
    app.decorate("clock", clock);
    app.decorate("publicUrl", holder);
    app.decorate("keyHashSecret", keyHashSecret);
  },
  { name: "relay-config" }
);
