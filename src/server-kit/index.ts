/**
 * What the relay, the emulator and `npm start` / `npm stop` share as processes: settings read from the
 * environment with one error type (`environment.ts`), listening with the URL to print (`listen.ts`), and
 * start, close once on SIGINT/SIGTERM, exit code (`process.ts`).
 */
export {
  ConfigError,
  LOG_LEVELS,
  httpBaseUrl,
  isoDateTime,
  logLevel,
  positiveNumber,
  readEnvironment,
  ruleThenValue,
  valueThenRule,
  wholeNumber,
  withoutBlankVariables,
  type Environment,
  type EnvironmentProblem,
  type LogLevel,
  type ProblemWording,
  type ReadEnvironmentOptions,
} from "./environment";
export { listen, listeningUrl, type ListenAddress, type Listening } from "./listen";
export {
  SHUTDOWN_SIGNALS,
  firstSignal,
  nodeProcess,
  runCommand,
  runServer,
  type ProcessPort,
  type ServerLifecycle,
  type ShutdownSignal,
} from "./process";
