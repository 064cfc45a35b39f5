/**
 * The relay's Infobip connections: named base URLs, one per Infobip account or data centre, configured by the
 * operator and never by a caller. Infobip keeps billing data per data centre and cannot aggregate across them,
 * and each account has its own base URL and keys, so one relay serves several by name: a caller only ever names a
 * connection (`POST /v1/queries {connection}`, `POST /v1/connection-check?connection=`), the relay maps the name
 * to the base URL it was configured with, and no URL from a request is ever followed.
 *
 * - `INFOBIP_CONNECTIONS=eu=https://xxxx.api.infobip.com,us=https://yyyy.api.infobip.com`: several, in order.
 *   The default (used when a caller names none) is the first, or `INFOBIP_DEFAULT_CONNECTION=<name>`.
 * - `INFOBIP_BASE_URL` alone (today's setups): one connection named {@link SINGLE_CONNECTION_NAME}.
 * - Both set: refused, because which one the relay would use is then a guess (config.ts).
 */
import { z } from "zod";
import {
  CONNECTION_NAME_PATTERN,
  MAX_CONNECTION_NAME_LENGTH,
  MAX_CONNECTIONS,
  type ConnectionList,
} from "../relay-api";
import { httpBaseUrl } from "../server-kit";

/**
 * The name of the one connection a relay configured with `INFOBIP_BASE_URL` alone has. "default" says what it is
 * to a pane that lists it, and it is a valid connection name, so a caller may name it too.
 */
export const SINGLE_CONNECTION_NAME = "default";

export interface InfobipConnection {
  name: string;
  /** Absolute http(s) URL without a trailing slash, as `INFOBIP_BASE_URL` is read. */
  baseUrl: string;
}

/** The configured connections, in the operator's order, and the name of the default among them. */
export interface InfobipConnections {
  list: InfobipConnection[];
  defaultName: string;
}

/** A relay with one Infobip account (`INFOBIP_BASE_URL`): one connection, {@link SINGLE_CONNECTION_NAME}. */
export function singleConnection(baseUrl: string): InfobipConnections {
  return { list: [{ name: SINGLE_CONNECTION_NAME, baseUrl }], defaultName: SINGLE_CONNECTION_NAME };
}

const BASE_URL_RULE =
  "must be your account's Infobip base URL, such as https://xxxxx.api.infobip.com (or the emulator, http://localhost:4010)";

/** One base URL, by the same rule as `INFOBIP_BASE_URL` (a URL without a scheme is read as https). */
export const infobipBaseUrl = httpBaseUrl(BASE_URL_RULE, { assumeHttps: true });

const NAME_RULE =
  `lower-case letters, digits and hyphens, starting with a letter, at most ${MAX_CONNECTION_NAME_LENGTH} ` +
  "characters";

export function isConnectionName(text: string): boolean {
  return text.length <= MAX_CONNECTION_NAME_LENGTH && CONNECTION_NAME_PATTERN.test(text);
}

/**
 * `INFOBIP_CONNECTIONS`: `name=url` pairs separated by commas. Every problem is one issue (an empty part, a part
 * without `=`, a bad name or URL, a name given twice, more than MAX_CONNECTIONS), so the operator sees them all.
 */
export const connectionListVariable = z.string().transform((text, context): InfobipConnection[] => {
  const problem = (message: string): void => context.addIssue({ code: "custom", message });
  const parts = text.split(",").map((part) => part.trim());
  const connections: InfobipConnection[] = [];
  parts.forEach((part, index) => {
    const position = `entry ${index + 1}`;
    if (part === "") {
      problem(`has an empty ${position} (a stray comma?): write name=url pairs separated by single commas`);
      return;
    }
    const equals = part.indexOf("=");
    if (equals < 0) {
      problem(`${position} ("${part}") must be name=url, such as eu=https://xxxxx.api.infobip.com`);
      return;
    }
    const name = part.slice(0, equals).trim();
    const url = infobipBaseUrl.safeParse(part.slice(equals + 1));
    if (!isConnectionName(name)) problem(`${position}: the name "${name}" must be ${NAME_RULE}`);
    if (!url.success) problem(`${position} (${name}): the URL ${BASE_URL_RULE}`);
    if (isConnectionName(name) && url.success) {
      if (connections.some((connection) => connection.name === name)) {
        problem(`names the connection "${name}" twice: give each connection its own name`);
      } else {
        connections.push({ name, baseUrl: url.data });
      }
    }
  });
  if (parts.length > MAX_CONNECTIONS) {
    problem(`has ${parts.length} connections; a relay serves at most ${MAX_CONNECTIONS}`);
  }
  return connections;
});

/** The connection a caller named, or the default when it named none; undefined when no connection has that name. */
export function resolveConnection(
  connections: InfobipConnections,
  name: string | null | undefined
): InfobipConnection | undefined {
  return connections.list.find((connection) => connection.name === (name ?? connections.defaultName));
}

/** `GET /v1/connections`: names and the default flag only; base URLs stay with the operator. */
export function connectionList(connections: InfobipConnections): ConnectionList {
  return {
    connections: connections.list.map(({ name }) => ({ name, default: name === connections.defaultName })),
  };
}

/** The violation of a name that is well formed but not one of this relay's connections. */
export function unknownConnectionViolation(connections: InfobipConnections, name: string) {
  return {
    property: "connection",
    violation: `must be one of this relay's connections (${connections.list
      .map((connection) => connection.name)
      .join(", ")}; GET /v1/connections lists them); "${name}" is not one`,
  };
}

/** A host the relay reaches only on its own machine: what the emulator listens on (RELAY_NOW is for it only). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
