/**
 * The SQLite file itself: a damaged or empty database is refused at start with a message naming it (by the real
 * relay process, as an operator sees it), and the relay's files are its owner's only.
 */
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DATABASE_FILE } from "../../src/relay/store";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { successResult } from "./helpers/results";
import { call, startTestRelay, tempDataDir, thisMonthQuery } from "./helpers/relay";

const ROOT = path.resolve(__dirname, "../..");
const KEY = "5151aaaa5151aaaa5151aaaa5151aaaa-0000-1111-2222-333344445555";
const PAGE_BYTES = 4096;

let infobip: FakeInfobip;

beforeEach(async () => {
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  await infobip.close();
});

/** A data directory whose database holds a few results, the relay closed (its WAL checkpointed into the file). */
async function databaseWithResults(): Promise<string> {
  const dataDir = tempDataDir();
  const relay = await startTestRelay({ infobipBaseUrl: infobip.url, dataDir });
  for (let i = 0; i < 4; i++) {
    const submitted = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(submitted.status).toBe(202);
    const { requestId, callbackUrl } = infobip.lastSubmission();
    const callbackPath = new URL(callbackUrl).pathname;
    expect((await deliver(`${relay.url}${callbackPath}`, JSON.stringify(successResult(requestId, 3000)))).status).toBe(
      200
    );
    await relay.app.results.idle();
  }
  await relay.close();
  return dataDir;
}

/** `npm run relay` on this data directory: its exit code and what it printed. */
function runRelayProcess(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("RELAY_") && name !== "INFOBIP_BASE_URL")
  );
  const child = spawn(process.execPath, ["--import", "tsx", "src/relay/server.ts"], {
    cwd: ROOT,
    env: { ...clean, RELAY_PORT: "0", RELAY_DATA_DIR: dataDir, RELAY_LOG_LEVEL: "warn" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (part: Buffer) => (stdout += part.toString()));
  child.stderr.on("data", (part: Buffer) => (stderr += part.toString()));
  // A relay that did start is stopped at once: the test expects it not to.
  child.stdout.on("data", () => {
    if (/Relay listening/.test(stdout)) child.kill("SIGTERM");
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

it("refuses to start on a database whose last pages were overwritten, naming the file", async () => {
  const dataDir = await databaseWithResults();
  const file = path.join(dataDir, DATABASE_FILE);
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(20 * PAGE_BYTES);
  const handle = fs.openSync(file, "r+");
  fs.writeSync(handle, randomBytes(3 * PAGE_BYTES), 0, 3 * PAGE_BYTES, size - 3 * PAGE_BYTES);
  fs.closeSync(handle);

  await expect(startTestRelay({ infobipBaseUrl: infobip.url, dataDir })).rejects.toThrow(
    `The relay database ${file} is damaged`
  );
  const run = await runRelayProcess(dataDir);
  expect(run.code).toBe(1);
  expect(run.stdout).not.toMatch(/Relay listening/);
  expect(run.stderr).toContain(`The relay could not start: The relay database ${file} is damaged`);
  expect(run.stderr).toMatch(/quick_check found: .+|SQLite cannot read it \(.+\)/);
}, 60_000);

it("refuses to start on a 0-byte database file instead of replacing it with an empty database", async () => {
  const dataDir = tempDataDir();
  const file = path.join(dataDir, DATABASE_FILE);
  fs.writeFileSync(file, "", { mode: 0o600 });

  await expect(startTestRelay({ infobipBaseUrl: infobip.url, dataDir })).rejects.toThrow(
    `The relay database ${file} is an empty (0-byte) file`
  );
  const run = await runRelayProcess(dataDir);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`The relay database ${file} is an empty (0-byte) file`);
  expect(fs.statSync(file).size).toBe(0);
}, 60_000);

it("creates its data directory 0700 and the database with its -wal and -shm files 0600; narrows older files", async () => {
  const parent = tempDataDir();
  const dataDir = path.join(parent, "made-by-the-relay");
  const relay = await startTestRelay({ infobipBaseUrl: infobip.url, dataDir });
  const modeOf = (name: string): number => fs.statSync(path.join(dataDir, name)).mode & 0o777;
  expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) expect(modeOf(name)).toBe(0o600);
  await relay.close();

  // A database left 0644 by an earlier relay.
  fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o644);
  const again = await startTestRelay({ infobipBaseUrl: infobip.url, dataDir });
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) expect(modeOf(name)).toBe(0o600);
  await again.close();
});
