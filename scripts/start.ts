/**
 * `npm start`: the emulator (Infobip stand-in), the relay and the task pane's dev server together, each as a
 * child process with prefixed output. Waits until each answers, then says where to open the pane, which key to
 * paste and how to get it into Excel. Ctrl-C (or `npm stop`) stops all three.
 *
 * Environment: EMULATOR_PORT (4010), RELAY_PORT (3001), DEV_SERVER_PORT (3000), RELAY_DATA_DIR (./.relay-data),
 * RELAY_PUBLIC_URL, RELAY_ALLOWED_ORIGINS (the dev server's origin is always added), DEV_SERVER_HTTP=1 (skip the
 * certificates), DEV_SERVER_LIVE_RELOAD=0 (no hot or live reload), STACK_READY_TIMEOUT_MS (180000). INFOBIP_BASE_URL set → the relay talks to that Infobip account
 * and no emulator is started. EMULATOR_* settings (NOW, SEED, CALLBACK_DELAY_MS) reach the emulator unchanged.
 */
import path from "node:path";
import { ensureCertificatesAreInstalled } from "office-addin-dev-certs";
import { firstSignal, runCommand } from "../src/server-kit";
import {
  DEMO_KEY,
  devServerOrigin,
  READY_BANNER,
  relayAllowedOrigins,
  stackConfig,
  type StackConfig,
} from "./stack/config";
import { isAlive, readStackRecord, removeStackRecord, writeStackRecord } from "./stack/pid-file";
import { startChild, stopChildren, type ChildSpec, type RunningChild } from "./stack/processes";
import { NotReadyError, waitUntilReady } from "./stack/readiness";
import { chooseTransport, commandExists, type DevServerTransport } from "./stack/transport";

const repoRoot = path.resolve(__dirname, "..");

function tsxChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildSpec {
  // `node --import tsx` runs the TypeScript entry in one process, so a signal reaches the server itself.
  return { name, command: process.execPath, args: ["--import", "tsx", entry], env, cwd: repoRoot };
}

function childSpecs(config: StackConfig, transport: DevServerTransport): ChildSpec[] {
  const base = { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" };
  const specs: ChildSpec[] = [];
  if (config.emulator) {
    specs.push(
      tsxChild("emulator", "src/emulator/server.ts", { ...base, EMULATOR_PORT: String(config.emulator.port) })
    );
  }
  specs.push(
    tsxChild("relay", "src/relay/server.ts", {
      ...base,
      RELAY_PORT: String(config.relay.port),
      RELAY_PUBLIC_URL: config.relay.publicUrl,
      INFOBIP_BASE_URL: config.infobipBaseUrl,
      RELAY_DATA_DIR: config.relay.dataDir,
      RELAY_ALLOWED_ORIGINS: relayAllowedOrigins(config, transport.protocol),
      // The emulator's fixed clock (a demo or a test of a past month) is the relay's "today" too; otherwise the
      // relay's retention window, on the real clock, refuses periods the emulator and the pane think current.
      ...(config.emulator && process.env.EMULATOR_NOW ? { RELAY_NOW: process.env.EMULATOR_NOW } : {}),
    })
  );
  specs.push({
    name: "pane",
    command: process.execPath,
    args: [
      require.resolve("webpack-cli/bin/cli.js"),
      "serve",
      "--mode",
      "development",
      // Tests drive a page that must not reload itself when a source file changes under them.
      ...(process.env.DEV_SERVER_LIVE_RELOAD === "0" ? ["--no-hot", "--no-live-reload"] : []),
    ],
    env: {
      ...base,
      RELAY_URL: config.relay.url,
      DEV_SERVER_PORT: String(config.devServer.port),
      // webpack.config.js reads the port as the yo-office template does, from package.json's config.
      npm_package_config_dev_server_port: String(config.devServer.port),
      ...(transport.protocol === "http" ? { DEV_SERVER_HTTP: "1" } : {}),
    },
    cwd: repoRoot,
  });
  return specs;
}

function readyMessage(config: StackConfig, transport: DevServerTransport, paneUrl: string): string {
  const lines = ["", READY_BANNER, "", `  Open the task pane:  ${paneUrl}`];
  if (transport.protocol === "http") {
    lines.push(
      `    (plain http because ${transport.reason}.`,
      "     A browser is fine with http://localhost; Excel sideloads only https add-ins: run",
      "     `npx office-addin-dev-certs install` where you can use sudo, then `npm start` again.)"
    );
  }
  if (config.emulator) {
    lines.push(
      `  Paste this API key:  ${DEMO_KEY}   (the emulator's demo parent account; other demo keys are in the README)`,
      `  Emulator:            ${config.emulator.url}   (stands in for Infobip's Billing Usage API)`
    );
  } else {
    lines.push(
      `  Infobip:             ${config.infobipBaseUrl}   (INFOBIP_BASE_URL is set, so the emulator is not started;`,
      "                       paste your own Infobip API key with the billing:usage:view scope)"
    );
    if (/^http:\/\/(localhost|127\.|\[::1\])/.test(config.relay.publicUrl)) {
      lines.push(
        `  Warning: RELAY_PUBLIC_URL is ${config.relay.publicUrl}; Infobip cannot deliver results there.`,
        "           Set it to a public HTTPS address that reaches this relay."
      );
    }
  }
  const inRepo = path.relative(repoRoot, config.relay.dataDir);
  const dataDir = inRepo.startsWith("..") || path.isAbsolute(inRepo) ? config.relay.dataDir : `./${inRepo}`;
  lines.push(
    `  Relay:               ${config.relay.url}   (data in ${dataDir})`,
    "",
    "  In Excel: keep this running, then sideload manifest.xml — `npm run start:desktop` on Windows or Mac,",
    "  or in Excel on the web: Home > Add-ins > More add-ins > Upload My Add-in (the README has the steps).",
    "",
    "  Stop with Ctrl-C here, or `npm stop` from another terminal.",
    ""
  );
  return lines.join("\n");
}

async function main(): Promise<number> {
  const config = stackConfig(process.env, process.cwd());

  const previous = readStackRecord(config.pidFile);
  if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
    console.error(
      `A stack is already running (pid ${previous.pid}, pane at ${previous.paneUrl}). Run \`npm stop\` first, ` +
        "or give this one other ports and another RELAY_DATA_DIR."
    );
    return 1;
  }

  const transport = await chooseTransport({
    env: process.env,
    platform: process.platform,
    hasCommand: commandExists,
    installCertificates: () => ensureCertificatesAreInstalled(),
  });
  if (transport.protocol === "http") console.log(`[start] Serving the pane over plain http: ${transport.reason}.`);
  const paneOrigin = devServerOrigin(config.devServer.port, transport.protocol);
  const paneUrl = `${paneOrigin}/taskpane.html`;

  const specs = childSpecs(config, transport);
  const width = Math.max(...specs.map((s) => s.name.length));
  const children: RunningChild[] = specs.map((spec, index) => startChild(spec, index, width));
  // Whatever ends this process, it does not leave servers behind.
  process.on("exit", () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
  });
  writeStackRecord(config.pidFile, { pid: process.pid, startedAt: new Date().toISOString(), paneUrl });

  let stopping = false;
  const stop = async (code: number): Promise<number> => {
    if (!stopping) {
      stopping = true;
      await stopChildren(children);
      removeStackRecord(config.pidFile, process.pid);
    }
    return code;
  };
  // A terminal's Ctrl-C reaches the servers too (one process group); start.ts then stops the stragglers.
  const stopped = firstSignal(["SIGINT", "SIGTERM", "SIGHUP"]).then((signal) => {
    console.log(`\n[start] ${signal}: stopping the emulator, the relay and the dev server...`);
    return stop(0);
  });
  const died = Promise.race(
    children.map(async (child) => {
      const code = await child.exited;
      return { child, code };
    })
  );

  const readyTimeout = Number(process.env.STACK_READY_TIMEOUT_MS) || 180_000;
  const byName = new Map(children.map((c) => [c.spec.name, c]));
  const checks: Array<[string, string]> = [
    ...(config.emulator ? [["emulator", `${config.emulator.url}/healthz`] as [string, string]] : []),
    ["relay", `${config.relay.url}/healthz`],
    ["pane", paneUrl],
  ];
  try {
    for (const [name, url] of checks) {
      const child = byName.get(name);
      if (!child) throw new Error(`no process named ${name}`);
      await Promise.race([waitUntilReady(name, url, child.exited, readyTimeout), stopped]);
      if (stopping) return stopped;
    }
  } catch (err) {
    if (stopping) return stopped;
    console.error(`\n[start] ${err instanceof NotReadyError ? err.message : String(err)} Stopping the others.`);
    return stop(1);
  }

  console.log(readyMessage(config, transport, paneUrl));

  return Promise.race([
    stopped,
    died.then(async ({ child, code }) => {
      if (stopping) return stopped;
      console.error(`\n[start] ${child.spec.name} stopped (exit ${code}); stopping the others.`);
      return stop(1);
    }),
  ]);
}

void runCommand({
  name: "npm start",
  configHelp: "See the README's Configuration section for every setting.",
  run: main,
});
