/**
 * `npm run relay`: reads the environment, listens, and closes gracefully on SIGINT/SIGTERM (in-flight
 * callbacks finish storing, long-polls are released, the database is closed). The process concerns (bad
 * settings, the URL line, signals, exit code) are the server kit's, as for the emulator.
 */
import { runServer } from "../server-kit";
import { startRelay } from "./index";

if (require.main === module) {
  void runServer({
    name: "relay",
    configHelp: "See src/relay/README.md for every setting.",
    start: () => startRelay(),
    readyMessage: (relay) => {
      const { list, defaultName } = relay.config.connections;
      const connections = list
        .map(({ name, baseUrl }) => `${name} ${baseUrl}${name === defaultName ? " (default)" : ""}`)
        .join(", ");
      return `Relay listening on ${relay.url}; callbacks go to ${relay.config.publicUrl}/callbacks/…; Infobip connections: ${connections}`;
    },
  });
}
