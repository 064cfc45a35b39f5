import { ConfigError } from "./environment";
import { firstSignal, runCommand, runServer, type ProcessPort, type ShutdownSignal } from "./process";

/** A process double: signals are sent by the test, output and exit codes are recorded. */
class FakeProcess implements ProcessPort {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exits: number[] = [];
  private readonly listeners = new Map<ShutdownSignal, (() => void)[]>();

  onSignal(signal: ShutdownSignal, listener: () => void): void {
    this.listeners.set(signal, [...(this.listeners.get(signal) ?? []), listener]);
  }
  out(line: string): void {
    this.stdout.push(line);
  }
  err(line: string): void {
    this.stderr.push(line);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  /** Delivers a signal as the OS would; false when nobody listens (Node would then end the process). */
  send(signal: ShutdownSignal): boolean {
    const listeners = this.listeners.get(signal) ?? [];
    for (const listener of listeners) listener();
    return listeners.length > 0;
  }
}

/** Waits until `condition` holds (the code under test runs on promises). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error("the condition never held");
}

function fakeServer(close: () => Promise<void> = async () => undefined) {
  const server = { url: "http://127.0.0.1:4010", closes: 0, close: async () => undefined };
  server.close = async () => {
    server.closes += 1;
    await close();
  };
  return server;
}

describe("firstSignal", () => {
  test("resolves with the first signal and keeps listening, so a second one cannot end the process", async () => {
    const fake = new FakeProcess();
    const first = firstSignal(["SIGINT", "SIGTERM", "SIGHUP"], fake);
    expect(fake.send("SIGHUP")).toBe(true);
    expect(fake.send("SIGINT")).toBe(true);
    await expect(first).resolves.toBe("SIGHUP");
  });
});

describe("runServer", () => {
  test("prints the ready line, then on SIGTERM closes once and exits 0; later signals are ignored", async () => {
    const fake = new FakeProcess();
    const server = fakeServer();
    const exited = runServer(
      {
        name: "emulator",
        configHelp: "See the README.",
        start: async () => server,
        readyMessage: (s) => `Emulator listening on ${s.url}`,
      },
      fake
    );
    await until(() => fake.stdout.length === 1);
    expect(fake.stdout).toEqual(["Emulator listening on http://127.0.0.1:4010"]);
    fake.send("SIGTERM");
    fake.send("SIGINT");
    await expect(exited).resolves.toBe(0);
    fake.send("SIGTERM");
    expect(server.closes).toBe(1);
    expect(fake.stdout[1]).toBe("SIGTERM received: closing the emulator");
    expect(fake.exits).toEqual([0]);
    expect(fake.stderr).toEqual([]);
  });

  test("a second signal during a slow close neither closes again nor cuts the close short", async () => {
    const fake = new FakeProcess();
    let finishClose = (): void => undefined;
    const server = fakeServer(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const exited = runServer(
      { name: "relay", configHelp: "", start: async () => server, readyMessage: () => "ready" },
      fake
    );
    await until(() => fake.stdout.length === 1);
    fake.send("SIGINT");
    await until(() => server.closes === 1);
    fake.send("SIGINT");
    fake.send("SIGTERM");
    expect(fake.exits).toEqual([]);
    finishClose();
    await expect(exited).resolves.toBe(0);
    expect(server.closes).toBe(1);
    expect(fake.exits).toEqual([0]);
  });

  test("a configuration error: its message and where the settings are documented, exit 1, no ready line", async () => {
    const fake = new FakeProcess();
    const code = await runServer(
      {
        name: "relay",
        configHelp: "See src/relay/README.md for every setting.",
        start: async () => {
          throw new ConfigError("relay", ['RELAY_PORT must be a whole number from 0 to 65535 (got "x")']);
        },
        readyMessage: () => "ready",
      },
      fake
    );
    expect(code).toBe(1);
    expect(fake.exits).toEqual([1]);
    expect(fake.stdout).toEqual([]);
    expect(fake.stderr).toEqual([
      'Invalid relay configuration:\n  - RELAY_PORT must be a whole number from 0 to 65535 (got "x")',
      "See src/relay/README.md for every setting.",
    ]);
    expect(fake.send("SIGINT")).toBe(false);
  });

  test("any other start failure: one line naming the server, exit 1", async () => {
    const fake = new FakeProcess();
    const code = await runServer(
      {
        name: "emulator",
        configHelp: "",
        start: async () => {
          throw new Error("listen EADDRINUSE: address already in use 127.0.0.1:4010");
        },
        readyMessage: () => "ready",
      },
      fake
    );
    expect(code).toBe(1);
    expect(fake.stderr).toEqual([
      "The emulator could not start: listen EADDRINUSE: address already in use 127.0.0.1:4010",
    ]);
  });

  test("a close that fails: exit 1 with the reason", async () => {
    const fake = new FakeProcess();
    const server = fakeServer(async () => {
      throw new Error("database is locked");
    });
    const exited = runServer(
      { name: "relay", configHelp: "", start: async () => server, readyMessage: () => "ready" },
      fake
    );
    await until(() => fake.stdout.length === 1);
    fake.send("SIGINT");
    await expect(exited).resolves.toBe(1);
    expect(fake.stderr).toEqual(["Closing the relay failed: database is locked"]);
    expect(fake.exits).toEqual([1]);
  });
});

describe("runCommand", () => {
  test("exits with the command's own code", async () => {
    const fake = new FakeProcess();
    await expect(runCommand({ name: "npm stop", configHelp: "", run: async () => 3 }, fake)).resolves.toBe(3);
    expect(fake.exits).toEqual([3]);
  });

  test("a configuration error or a failure exits 1 with a message", async () => {
    const fake = new FakeProcess();
    await runCommand(
      {
        name: "npm start",
        configHelp: "See the README's Configuration section.",
        run: async () => {
          throw new ConfigError("stack", ["DEV_SERVER_PORT and RELAY_PORT are both 3001"]);
        },
      },
      fake
    );
    await runCommand(
      {
        name: "npm stop",
        configHelp: "",
        run: async () => {
          throw new Error("EACCES: permission denied");
        },
      },
      fake
    );
    expect(fake.exits).toEqual([1, 1]);
    expect(fake.stderr).toEqual([
      "Invalid stack configuration:\n  - DEV_SERVER_PORT and RELAY_PORT are both 3001",
      "See the README's Configuration section.",
      "npm stop failed: EACCES: permission denied",
    ]);
  });
});
