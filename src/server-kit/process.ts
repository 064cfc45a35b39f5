/**
 * The process side of a server, the same for `npm run relay`, `npm run emulator` and `npm start`: start,
 * say where it listens, close once on SIGINT/SIGTERM, and exit with a code that says how it went. A bad
 * setting stops the start with its {@link ConfigError} message and where the settings are documented.
 *
 * Why not close-with-grace (the Fastify team's library for this): a second signal makes it exit at once
 * with 1. Under `npm start` every server receives the terminal's SIGINT and, moments later, start.ts's
 * SIGTERM; that second signal must not cut the first close short (the relay may be storing a callback
 * Infobip will never send again). Here later signals are ignored and the close runs to its end.
 *
 * Everything the process offers (signals, output, exit) comes in through {@link ProcessPort}, so the
 * behaviour is unit-tested without a real process; `nodeProcess` is the real one.
 */
import { ConfigError } from "./environment";

export type ShutdownSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

/** Ctrl-C and the service manager's (or `npm stop`'s) polite stop. */
export const SHUTDOWN_SIGNALS: readonly ShutdownSignal[] = ["SIGINT", "SIGTERM"];

export interface ProcessPort {
  onSignal(signal: ShutdownSignal, listener: () => void): void;
  /** Writes one line (a newline is added) to stdout. */
  out(line: string): void;
  /** Writes one line (a newline is added) to stderr. */
  err(line: string): void;
  exit(code: number): void;
}

export const nodeProcess: ProcessPort = {
  onSignal: (signal, listener) => {
    process.on(signal, listener);
  },
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  exit: (code) => process.exit(code),
};

/**
 * Resolves with the first of `signals` to arrive. The listeners stay, so later signals are ignored instead
 * of ending the process in the middle of its close (Node's default for SIGINT and SIGTERM).
 */
export function firstSignal(
  signals: readonly ShutdownSignal[] = SHUTDOWN_SIGNALS,
  port: Pick<ProcessPort, "onSignal"> = nodeProcess
): Promise<ShutdownSignal> {
  return new Promise((resolve) => {
    for (const signal of signals) port.onSignal(signal, () => resolve(signal));
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A configuration error with where the settings are documented; anything else as `failed(message)` says. */
function reportFailure(
  port: ProcessPort,
  error: unknown,
  configHelp: string,
  failed: (message: string) => string
): void {
  if (error instanceof ConfigError) {
    port.err(error.message);
    port.err(configHelp);
  } else {
    port.err(failed(messageOf(error)));
  }
}

/**
 * Runs a command that decides its own exit code (`npm start`, `npm stop`) and exits with it; a
 * configuration error or any other failure exits 1 with a message (`npm stop failed: …`).
 */
export async function runCommand(
  command: { readonly name: string; readonly configHelp: string; run(): Promise<number> },
  port: ProcessPort = nodeProcess
): Promise<number> {
  let code: number;
  try {
    code = await command.run();
  } catch (error) {
    reportFailure(port, error, command.configHelp, (message) => `${command.name} failed: ${message}`);
    code = 1;
  }
  port.exit(code);
  return code;
}

/** What a caller of {@link runServer} provides. */
export interface ServerLifecycle<Server extends { close(): Promise<void> }> {
  /** How messages name it: "relay" gives "The relay could not start", "closing the relay". */
  readonly name: string;
  /** Printed after a configuration error, e.g. "See src/relay/README.md for every setting." */
  readonly configHelp: string;
  /** Reads the settings, builds and listens. */
  start(): Promise<Server>;
  /** The line printed once it listens: its URL and what else the person who started it needs. */
  readyMessage(server: Server): string;
}

/**
 * Starts a server and runs it until SIGINT or SIGTERM, then closes it once and exits: 0 when it closed
 * cleanly, 1 when it could not start or could not close. Resolves with that exit code (after asking the
 * port to exit, which ends a real process).
 */
export async function runServer<Server extends { close(): Promise<void> }>(
  lifecycle: ServerLifecycle<Server>,
  port: ProcessPort = nodeProcess
): Promise<number> {
  const finish = (code: number): number => {
    port.exit(code);
    return code;
  };
  let server: Server;
  try {
    server = await lifecycle.start();
  } catch (error) {
    reportFailure(port, error, lifecycle.configHelp, (message) => `The ${lifecycle.name} could not start: ${message}`);
    return finish(1);
  }
  port.out(lifecycle.readyMessage(server));
  const signal = await firstSignal(SHUTDOWN_SIGNALS, port);
  port.out(`${signal} received: closing the ${lifecycle.name}`);
  try {
    await server.close();
  } catch (error) {
    port.err(`Closing the ${lifecycle.name} failed: ${messageOf(error)}`);
    return finish(1);
  }
  return finish(0);
}
