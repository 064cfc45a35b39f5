/**
 * `npm run emulator`: reads the settings from the environment (config.ts), listens, logs one JSON line per
 * request and per callback attempt, and closes gracefully on SIGINT/SIGTERM (pending callbacks are
 * cancelled). The process concerns (bad settings, the URL line, signals, exit code) are the server kit's,
 * as for the relay.
 */
import { runServer } from "../server-kit";
import { DEMO_KEY_NAMES } from "./auth";
import { readEmulatorSettings } from "./config";
import { startEmulator } from "./index";

if (require.main === module) {
  void runServer({
    name: "emulator",
    configHelp: "See src/emulator/README.md for every setting.",
    start: async () => {
      const { logLevel, ...options } = readEmulatorSettings(process.env);
      return startEmulator({ ...options, logger: { level: logLevel } });
    },
    readyMessage: (emulator) => {
      const clock = `${emulator.clock.mode} clock at ${emulator.clock.now().toISOString()}`;
      return `Billing Usage API emulator listening on ${emulator.url} (${clock}, seed ${emulator.ledger.seed}; keys: ${DEMO_KEY_NAMES.join(", ")})`;
    },
  });
}
