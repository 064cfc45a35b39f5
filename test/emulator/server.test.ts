/**
 * `npm run emulator` as a real process (node --import tsx src/emulator/server.ts): it refuses a bad
 * environment with a message, says where it listens, answers, and on SIGTERM closes once — a second signal
 * during the close does not end it early — and exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * As package.json and `npm start` run it: `node --import tsx`, one process, so signals reach the server
 * itself (the `tsx` command is a wrapper that relays a signal to its child and SIGKILLs it if the child does
 * not confirm within 30 ms, or when two signals arrive at once).
 */
function runEmulator(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("EMULATOR_")));
  return spawn(process.execPath, ["--import", "tsx", "src/emulator/server.ts"], {
    cwd: ROOT,
    env: { ...clean, ...env },
  });
}

function exitOf(
  child: ChildProcessWithoutNullStreams
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (part: Buffer) => (stdout += part.toString()));
  child.stderr.on("data", (part: Buffer) => (stderr += part.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

it("stops at once, naming each bad variable and its rule, and where the settings are documented", async () => {
  const result = await exitOf(runEmulator({ EMULATOR_PORT: "eighty", EMULATOR_NOW: "yesterday" }));
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/Invalid emulator configuration:/);
  expect(result.stderr).toMatch(/EMULATOR_PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
  expect(result.stderr).toMatch(/EMULATOR_NOW must be an ISO date-time such as 2026-03-15T12:00:00Z/);
  expect(result.stderr).toMatch(/src\/emulator\/README\.md/);
  expect(result.stdout).toBe("");
}, 30_000);

it("says where it listens, answers there, and closes once on SIGTERM even when signalled again", async () => {
  const child = runEmulator({
    EMULATOR_PORT: "0",
    EMULATOR_NOW: "2026-03-15T12:00:00Z",
    EMULATOR_SEED: "7",
    EMULATOR_LOG_LEVEL: "warn",
  });
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (part: Buffer) => {
      seen += part.toString();
      const match =
        /Billing Usage API emulator listening on (http:\/\/127\.0\.0\.1:\d+) \(fixed clock at 2026-03-15T12:00:00\.000Z, seed 7; keys: demo-key/.exec(
          seen
        );
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", () => reject(new Error(`the emulator exited before listening: ${seen}`)));
  });

  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
  const clock = (await (await fetch(`${url}/_emulator/clock`)).json()) as { now: string; mode: string };
  expect(clock).toMatchObject({ now: "2026-03-15T12:00:00.000Z", mode: "fixed" });

  // Both arrive while the first is handled (the kernel may deliver either first): one close, exit 0.
  child.kill("SIGTERM");
  child.kill("SIGINT");
  const result = await exited;
  expect(result).toMatchObject({ code: 0, signal: null });
  expect(result.stdout.match(/SIG(TERM|INT) received: closing the emulator/g)).toHaveLength(1);
  expect(result.stderr).toBe("");
}, 30_000);
