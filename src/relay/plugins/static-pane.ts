/**
 * Serves the built task pane (RELAY_STATIC_DIR, default ./dist) from the relay's own origin when it exists,
 * so one HTTPS deployment serves the add-in and its API. Without a build, nothing is served here. Source maps
 * (`*.map`) are never served: production builds make none, and a development build's would give out the source.
 */
import fs from "node:fs";
import fp from "fastify-plugin";

export default fp(
  async (app) => {
    const root = app.relayConfig.staticDir;
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      app.log.info({ staticDir: root }, "no task pane build to serve");
      return;
    }
    // Loaded only when there is something to serve: one of its dependencies is ESM-only, which Node loads
    // but Jest's module loader cannot, so the relay's jest tests run without a build directory.
    const { default: fastifyStatic } = await import("@fastify/static");
    await app.register(fastifyStatic, {
      root,
      prefix: "/",
      index: ["index.html", "taskpane.html"],
      wildcard: true,
      // Never a source map, even one a development build left in the directory: it would hand out the source.
      allowedPath: (pathName) => !pathName.toLowerCase().endsWith(".map"),
    });
    app.log.info({ staticDir: root }, "serving the task pane build");
  },
  { name: "relay-static-pane", dependencies: ["relay-config"] }
);
