/**
 * A private PostgreSQL cluster for tests and the benchmark: `initdb` into a temp directory, `pg_ctl -w start` on a
 * free loopback port with the socket in that directory too, and everything removed at `stop()`. A real server,
 * the one Debian's `postgresql` package installs (`.ci/run` installs it).
 *
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (which the package
 * creates) and its commands run through `runuser`; as anyone else they run as that user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface PostgresCluster {
  /** Superuser connection URL to a database of this cluster (default `postgres`). */
  url(database?: string): string;
  /** The cluster's data directory (tests scan its files for secrets). */
  dataDir: string;
  port: number;
  stop(): void;
}

/** Where `initdb` and `pg_ctl` are: POSTGRES_BIN_DIR, Debian's newest /usr/lib/postgresql/N/bin, or the PATH. */
export function findPostgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debian, version, "bin")));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
  return candidates.find((dir) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const SERVER_USER = "postgres";

/** Runs a PostgreSQL program as the cluster's owner; throws with its output when it fails. */
function runAsOwner(program: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ["runuser", ["-u", SERVER_USER, "--", program, ...args]] : [program, args];
  const result = spawnSync(command, commandArgs, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(program)} failed (${result.error?.message ?? `exit ${String(result.status)}`}):\n${result.stdout}${result.stderr}`
    );
  }
}

export async function startPostgresCluster(
  options: { binDir?: string; settings?: Record<string, string> } = {}
): Promise<PostgresCluster> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (binDir === undefined) throw new Error("No PostgreSQL server binaries (initdb, pg_ctl) on this machine");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "relay-pg-"));
  const dataDir = path.join(root, "data");
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", SERVER_USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", SERVER_USER], { encoding: "utf8" }).trim());
    fs.chownSync(root, uid, gid);
  }
  fs.chmodSync(root, 0o700);
  runAsOwner(path.join(binDir, "initdb"), [
    "-D",
    dataDir,
    "-A",
    "trust",
    "-U",
    SERVER_USER,
    "-E",
    "UTF8",
    "--locale=C",
    // initdb's own fsync only; the server below runs with PostgreSQL's durable defaults.
    "--no-sync",
  ]);

  const settings = { listen_addresses: "127.0.0.1", unix_socket_directories: root, ...options.settings };
  let lastError: unknown;
  // The free port may be taken between the probe and the start: try another.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`)];
    try {
      runAsOwner(path.join(binDir, "pg_ctl"), [
        "-D",
        dataDir,
        "-l",
        path.join(root, "server.log"),
        "-w",
        "-t",
        "60",
        "-o",
        serverOptions.join(" "),
        "start",
      ]);
    } catch (error) {
      lastError = error;
      continue;
    }
    let stopped = false;
    return {
      dataDir,
      port,
      url: (database = "postgres") => `postgres://${SERVER_USER}@127.0.0.1:${port}/${database}`,
      stop: () => {
        if (stopped) return;
        stopped = true;
        try {
          runAsOwner(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      },
    };
  }
  fs.rmSync(root, { recursive: true, force: true });
  throw lastError;
}
