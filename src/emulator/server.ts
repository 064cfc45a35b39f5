/**
 * `npm run emulator`: reads the settings from the environment (see config.ts), listens, logs one line
 * per request and per callback attempt, and closes gracefully on SIGINT/SIGTERM (pending callbacks are
 * cancelled). Nothing listens when this module is imported by anything else than `tsx`/`node` as main.
 */
import { readEmulatorSettings } from "./config";
import { startEmulator } from "./index";

async function main(): Promise<void> {
  let settings;
  try {
    settings = readEmulatorSettings(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }
  const { logLevel, ...options } = settings;
  const emulator = await startEmulator({ ...options, logger: { level: logLevel } });
  const log = emulator.app.log;
  log.info(
    {
      url: emulator.url,
      clock: emulator.clock.now().toISOString(),
      clockMode: emulator.clock.mode,
      seed: options.seed,
    },
    `Billing Usage API emulator listening on ${emulator.url} (keys: demo-key, demo-subaccount-key, demo-noscope-key)`
  );
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "closing the emulator");
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "could not close cleanly");
        process.exit(1);
      }
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
