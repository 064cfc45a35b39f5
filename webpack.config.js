/*
 * The add-in bundle in dist/: the task pane page (which also runs the ribbon's commands: one shared runtime), the
 * help page the manifest's SupportUrl points at, icons and the manifest.
 *
 * office.js: a production build references Microsoft's CDN, as Microsoft requires of a Marketplace add-in and
 * recommends for every add-in ("Your add-in should load the most current version of the Office JavaScript API
 * library from the content delivery network": https://learn.microsoft.com/office/dev/add-ins/develop/specify-office-hosts-and-api-requirements);
 * the dev server (and so `npm start` and the end-to-end tests, which need no network) serves the copy from
 * node_modules/@microsoft/office-js instead.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const devCerts = require("office-addin-dev-certs");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const tsx = require("tsx/cjs/api");

// One implementation of the URL check and rewrite, shared with `npm run manifest:prod`.
const { parsePublicUrl, rewriteManifestUrls } = tsx.require("./scripts/manifest/public-url.ts", __filename);

const devPort = Number(process.env.npm_package_config_dev_server_port || 3000);
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_BUNDLED = "office-js/office.js";
const relayUrl = process.env.RELAY_URL || "http://localhost:3001";

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

function plainHttp(reason) {
  console.warn(
    `\n[dev-server] Serving over plain HTTP at http://localhost:${devPort}/ because ${reason}.\n` +
      "[dev-server] Office only sideloads HTTPS add-ins: this mode is for browser tests and CI. For Excel, install\n" +
      "[dev-server] the certificate (`npx office-addin-dev-certs install`, uses sudo) and restart without DEV_SERVER_HTTP.\n"
  );
  return { type: "http" };
}

/** HTTPS with the Office development certificate when it is installed or can be; plain http otherwise. */
async function devServerTransport() {
  if (process.env.DEV_SERVER_HTTP === "1") return plainHttp("DEV_SERVER_HTTP=1 is set");
  let installed = false;
  try {
    installed = devCerts.verifyCertificates();
  } catch {
    installed = false;
  }
  if (!installed) {
    // office-addin-dev-certs trusts its CA with `sudo` on Linux and macOS; without sudo, or in CI, it cannot.
    if (process.platform !== "win32" && !hasCommand("sudo")) {
      return plainHttp("no development certificate is installed and sudo is not available to install one");
    }
    if (process.env.CI) return plainHttp("no development certificate is installed and CI is set");
  }
  try {
    const options = await devCerts.getHttpsServerOptions();
    return { type: "https", options: { ca: options.ca, key: options.key, cert: options.cert } };
  } catch (err) {
    return plainHttp(`the development certificate could not be installed (${err.message.split("\n")[0]})`);
  }
}

/** The manifest copied into dist/: as written, or moved to ADDIN_PUBLIC_URL in a production build. */
function manifestTransform(dev) {
  const publicUrl = process.env.ADDIN_PUBLIC_URL;
  if (dev || !publicUrl) {
    if (!dev) console.log("[build] ADDIN_PUBLIC_URL is not set: dist/manifest.xml keeps https://localhost:3000.");
    return undefined;
  }
  let target;
  try {
    target = parsePublicUrl(publicUrl);
  } catch (err) {
    console.error(`[build] ADDIN_PUBLIC_URL: ${err.message}`);
    process.exit(2);
  }
  console.log(`[build] dist/manifest.xml points at ${target}.`);
  return (content) => rewriteManifestUrls(content.toString(), target);
}

module.exports = async (env, options) => {
  const dev = options.mode === "development";
  const transform = manifestTransform(dev);
  return {
    // Source maps in development only: dist/ is what the relay (or any web server) serves to the world, and a
    // production map would hand out the whole source. The relay refuses to serve *.map files anyway.
    devtool: dev ? "source-map" : false,
    entry: {
      taskpane: "./src/taskpane/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: dev ? "[name].js" : "[name].[contenthash:8].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: "ts-loader",
          // Type errors are `npm run typecheck`'s job; ES modules here let webpack tree-shake Fluent UI.
          options: { transpileOnly: true, compilerOptions: { module: "esnext" } },
        },
        {
          test: /\.(png|jpg|jpeg|gif|ico|svg)$/,
          type: "asset/resource",
          generator: { filename: "assets/[name][ext][query]" },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane"],
        templateParameters: { officeJs: dev ? OFFICE_JS_BUNDLED : OFFICE_JS_CDN },
      }),
      // The support page (the manifest's SupportUrl): static, no script.
      new HtmlWebpackPlugin({
        filename: "help.html",
        template: "./src/taskpane/help.html",
        inject: false,
      }),
      new CopyWebpackPlugin({
        patterns: [
          // The README's screenshots are documentation, not part of the add-in.
          { from: "assets/*", to: "assets/[name][ext]", globOptions: { ignore: ["**/screenshot-*"] } },
          { from: "manifest*.xml", to: "[name][ext]", ...(transform ? { transform } : {}) },
          // office.js loads its host- and locale-specific files relative to its own URL: copy the whole folder.
          // Already minified by Microsoft: marking it so keeps Terser off 700 files. Production uses the CDN.
          ...(dev
            ? [{ from: "node_modules/@microsoft/office-js/dist", to: "office-js", info: { minimized: true } }]
            : []),
        ],
      }),
    ],
    performance: {
      // office.js and its companions are copied as they are; the size budget is for our own bundles.
      assetFilter: (file) => !file.startsWith("office-js/") && !file.endsWith(".map"),
    },
    devServer: {
      host: "localhost",
      port: devPort,
      server: env.WEBPACK_SERVE ? await devServerTransport() : undefined,
      headers: { "Access-Control-Allow-Origin": "*" },
      historyApiFallback: false,
      static: false,
      // The pane calls the relay on its own origin, as it does in production where the relay serves the pane.
      proxy: [{ context: ["/v1"], target: relayUrl, ws: true }],
    },
  };
};
