/**
 * `npm run relay`: reads the environment, listens, and closes gracefully on SIGINT/SIGTERM (in-flight
 * callbacks finish storing, long-polls are released, the database is closed). Nothing else lives here.
 */
import { RelayConfigError, startRelay } from "./index";

async function main(): Promise<void> {
  let relay;
  try {
    relay = await startRelay();
  } catch (error) {
    if (error instanceof RelayConfigError) {
      process.stderr.write(`${error.message}\nSee src/relay/README.md for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(`Relay listening on ${relay.url}; callbacks go to ${relay.config.publicUrl}/callbacks/…\n`);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal} received: closing the relay\n`);
    relay
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`Closing failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`The relay could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
