/**
 * The stack's child processes: each runs with its own environment, its output prefixed line by line with its
 * name, and all of them are stopped together (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface RunningChild {
  spec: ChildSpec;
  process: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends, for whatever reason. */
  exited: Promise<number | string>;
}

const COLOURS = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m"];
const RESET = "\x1b[0m";

function prefixer(name: string, index: number, width: number): (line: string) => string {
  const label = `[${name}]`.padEnd(width + 2);
  const colour = process.stdout.isTTY ? (COLOURS[index % COLOURS.length] ?? "") : "";
  return (line) => (colour ? `${colour}${label}${RESET} ${line}` : `${label} ${line}`);
}

export function startChild(spec: ChildSpec, index: number, nameWidth: number): RunningChild {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = prefixer(spec.name, index, nameWidth);
  for (const [stream, sink] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (stream) readline.createInterface({ input: stream }).on("line", (line) => sink.write(`${prefix(line)}\n`));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.on("error", (err) => {
      process.stderr.write(`${prefix(`could not start: ${err.message}`)}\n`);
      resolve("spawn error");
    });
  });
  return { spec, process: child, exited };
}

/** Stops every child still running: SIGTERM first, SIGKILL for those still there after `graceMs`. */
export async function stopChildren(children: readonly RunningChild[], graceMs = 5000): Promise<void> {
  const running = children.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
  for (const child of running) child.process.kill("SIGTERM");
  await Promise.all(
    running.map(async (child) => {
      const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
      await child.exited;
      clearTimeout(timer);
    })
  );
}
