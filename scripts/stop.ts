/**
 * `npm stop`: stops the stack that `npm start` runs (found through the pid file in RELAY_DATA_DIR) and waits
 * until it has stopped its servers. On Windows and macOS it also removes the Excel desktop sideload, as
 * `npm run stop:desktop` (office-addin-debugging stop) does. Exit status: 0 stopped or nothing to stop, 1 failed.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { runCommand } from "../src/server-kit";
import { stackConfig } from "./stack/config";
import { isAlive, readStackRecord } from "./stack/pid-file";

const repoRoot = path.resolve(__dirname, "..");

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return !isAlive(pid);
}

async function stopStack(pidFile: string): Promise<boolean> {
  const record = readStackRecord(pidFile);
  if (!record || !isAlive(record.pid)) {
    console.log(`No stack is running (no live pid in ${path.relative(repoRoot, pidFile) || pidFile}).`);
    return true;
  }
  console.log(`Stopping the stack (pid ${record.pid}, pane at ${record.paneUrl})...`);
  process.kill(record.pid, "SIGTERM");
  // npm start gives each server 5 s to close before it kills it.
  if (await waitForExit(record.pid, 15_000)) {
    console.log("Stopped.");
    return true;
  }
  console.error(`pid ${record.pid} is still running after 15 s; stop it with \`kill ${record.pid}\`.`);
  return false;
}

function removeDesktopSideload(): boolean {
  if (process.platform !== "win32" && process.platform !== "darwin") return true;
  const cli = require.resolve("office-addin-debugging/cli.js");
  const result = spawnSync(process.execPath, [cli, "stop", "manifest.xml"], { cwd: repoRoot, stdio: "inherit" });
  return result.status === 0;
}

async function main(): Promise<number> {
  const config = stackConfig(process.env, process.cwd());
  const stopped = await stopStack(config.pidFile);
  const unloaded = removeDesktopSideload();
  return stopped && unloaded ? 0 : 1;
}

void runCommand({
  name: "npm stop",
  configHelp: "See the README's Configuration section for every setting.",
  run: main,
});
