/**
 * The real `npm start` stack for end-to-end runs: scripts/start.ts in its own process group, on free ports, with
 * a temporary relay data directory, plain http and a fixed emulator clock. Like `npm start`, it runs two emulators
 * (the data centres `eu`, the relay's default connection, and `us`); npm start gives the relay the emulators'
 * clock as RELAY_NOW, so the relay checks periods on the same calendar whatever the real date. `stop()` ends the whole group and
 * removes the directory, and is safe to call on a stack that failed to start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { READY_BANNER } from "../../../scripts/stack/config";

const repoRoot = path.resolve(__dirname, "../../..");

export interface StackOptions {
  /** The emulator's clock at start (EMULATOR_NOW), so the data are the same on every run. */
  emulatorNow: string;
  emulatorSeed?: number;
  callbackDelayMs?: number;
  /** How long to wait for webpack's first build and the servers; default 240 s. */
  readyTimeoutMs?: number;
  /** Output lines are echoed as they arrive (for the screenshot script); tests keep them for failure messages. */
  echo?: boolean;
}

export interface RunningStack {
  paneUrl: string;
  paneOrigin: string;
  relayUrl: string;
  /** The default connection's emulator (`eu`): a query without a connection goes there. */
  emulatorUrl: string;
  /** Each connection's emulator, by the relay's connection name. */
  emulatorUrls: { eu: string; us: string };
  dataDir: string;
  /** Everything the stack printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's choice for port 0, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))
      );
    });
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const [emulatorPort, emulatorUsPort, relayPort, devServerPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "billing-e2e-relay-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMULATOR_PORT: String(emulatorPort),
    EMULATOR_US_PORT: String(emulatorUsPort),
    RELAY_PORT: String(relayPort),
    DEV_SERVER_PORT: String(devServerPort),
    RELAY_DATA_DIR: dataDir,
    DEV_SERVER_HTTP: "1",
    DEV_SERVER_LIVE_RELOAD: "0",
    EMULATOR_NOW: options.emulatorNow,
    ...(options.emulatorSeed !== undefined ? { EMULATOR_SEED: String(options.emulatorSeed) } : {}),
    EMULATOR_CALLBACK_DELAY_MS: String(options.callbackDelayMs ?? 100),
    STACK_READY_TIMEOUT_MS: String(options.readyTimeoutMs ?? 240_000),
    FORCE_COLOR: "0",
  };
  // A real Infobip base URL in the caller's environment would send the test's queries to Infobip.
  delete env.INFOBIP_BASE_URL;
  delete env.INFOBIP_CONNECTIONS;
  delete env.INFOBIP_DEFAULT_CONNECTION;
  delete env.RELAY_NOW;
  delete env.RELAY_PUBLIC_URL;
  delete env.RELAY_ALLOWED_ORIGINS;

  // `npm start` is `tsx scripts/start.ts`; node --import tsx is the same without the extra wrapper process.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: repoRoot,
    env,
    detached: true, // its own process group, so stop() reaches the emulator, the relay and webpack too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  const exited = exitOf(child);
  const paneOrigin = `http://localhost:${devServerPort}`;

  const stop = async (): Promise<void> => {
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    // start.ts has stopped its children by now; a straggler in the group gets no second chance.
    killGroup(child, "SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const ready = new Promise<void>((resolve, reject) => {
    let seen = "";
    const timeout = options.readyTimeoutMs ?? 240_000;
    const timer = setTimeout(
      () => reject(new Error(`npm start did not print "${READY_BANNER}" within ${timeout / 1000} s`)),
      timeout + 10_000
    );
    const onData = (data: Buffer): void => {
      const text = data.toString();
      chunks.push(text);
      if (options.echo) process.stdout.write(text);
      seen = (seen + text).slice(-4096);
      if (seen.includes(READY_BANNER)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (data: Buffer) => {
      chunks.push(data.toString());
      if (options.echo) process.stderr.write(data);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (code ${child.exitCode ?? child.signalCode}) before it was ready`));
    });
  });

  try {
    await ready;
  } catch (err) {
    await stop();
    const tail = chunks.join("").split("\n").slice(-60).join("\n");
    throw new Error(`${(err as Error).message}\n--- npm start output (last lines) ---\n${tail}`);
  }

  return {
    paneUrl: `${paneOrigin}/taskpane.html`,
    paneOrigin,
    relayUrl: `http://127.0.0.1:${relayPort}`,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    emulatorUrls: { eu: `http://127.0.0.1:${emulatorPort}`, us: `http://127.0.0.1:${emulatorUsPort}` },
    dataDir,
    output: () => chunks.join(""),
    stop,
  };
}
