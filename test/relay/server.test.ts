/**
 * `npm run relay` as a real process (node --import tsx src/relay/server.ts): it refuses a bad environment with
 * a message, serves the API and the built task pane, and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tempDataDir } from "./helpers/relay";

const ROOT = path.resolve(__dirname, "../..");

function runServer(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("RELAY_") && !name.startsWith("INFOBIP_"))
  );
  // As package.json runs it: one process, so the signal reaches the relay itself. (The `tsx` command is a
  // wrapper that relays a signal to its child and SIGKILLs it if the child does not confirm within 30 ms.)
  return spawn(process.execPath, ["--import", "tsx", "src/relay/server.ts"], { cwd: ROOT, env: { ...clean, ...env } });
}

function exitOf(
  child: ChildProcessWithoutNullStreams
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (part: Buffer) => (stdout += part.toString()));
  child.stderr.on("data", (part: Buffer) => (stderr += part.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

it("stops at once, naming the variable and the rule, when the environment is wrong", async () => {
  const result = await exitOf(
    runServer({ RELAY_PORT: "eighty", RELAY_RESULT_TTL_HOURS: "-1", RELAY_DATA_DIR: tempDataDir() })
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/RELAY_PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
  expect(result.stderr).toMatch(/RELAY_RESULT_TTL_HOURS must be a number of hours greater than 0/);
  expect(result.stderr).toMatch(/src\/relay\/README\.md/);
}, 30_000);

it("stops at once when INFOBIP_BASE_URL and INFOBIP_CONNECTIONS are both set", async () => {
  const result = await exitOf(
    runServer({
      INFOBIP_BASE_URL: "https://a.api.infobip.com",
      INFOBIP_CONNECTIONS: "eu=https://b.api.infobip.com",
      RELAY_DATA_DIR: tempDataDir(),
    })
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/INFOBIP_BASE_URL and INFOBIP_CONNECTIONS are both set/);
}, 30_000);

it("serves the API and the built task pane, then closes on SIGTERM", async () => {
  const dataDir = tempDataDir();
  const paneDir = path.join(dataDir, "dist");
  fs.mkdirSync(paneDir);
  fs.writeFileSync(path.join(paneDir, "taskpane.html"), "<!doctype html><title>Billing Usage</title>");
  const child = runServer({
    RELAY_PORT: "0",
    RELAY_DATA_DIR: dataDir,
    RELAY_STATIC_DIR: paneDir,
    RELAY_LOG_LEVEL: "warn",
    INFOBIP_CONNECTIONS: "eu=http://127.0.0.1:4010,us=http://127.0.0.1:4011",
    INFOBIP_DEFAULT_CONNECTION: "us",
  });
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (part: Buffer) => {
      seen += part.toString();
      const match = /Relay listening on (http:\/\/\S+?);/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", () => reject(new Error(`the relay exited before listening: ${seen}`)));
  });

  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
  const pane = await fetch(`${url}/taskpane.html`);
  expect(pane.status).toBe(200);
  expect(pane.headers.get("content-type")).toMatch(/text\/html/);
  expect(await pane.text()).toContain("<title>Billing Usage</title>");
  expect((await fetch(`${url}/v1/queries`)).status).toBe(401);
  expect(await (await fetch(`${url}/v1/connections`)).json()).toEqual({
    connections: [
      { name: "eu", default: false },
      { name: "us", default: true },
    ],
  });
  expect((await fetch(`${url}/missing.js`)).status).toBe(404);

  child.kill("SIGTERM");
  const result = await exited;
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/SIGTERM received: closing the relay/);
  expect(result.stdout).toMatch(
    /Infobip connections: eu http:\/\/127\.0\.0\.1:4010, us http:\/\/127\.0\.0\.1:4011 \(default\)/
  );
  expect(fs.existsSync(path.join(dataDir, "relay.sqlite"))).toBe(true);
}, 30_000);
