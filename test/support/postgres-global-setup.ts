/**
 * Jest global setup of the `postgresql` project: one private PostgreSQL cluster for the whole run (each test
 * file makes its own databases in it). Its URL reaches the test workers through the environment.
 */
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from "./postgres-cluster";

declare global {
  var relayTestPostgresCluster: PostgresCluster | undefined;
}

export default async function startTestCluster(): Promise<void> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    throw new Error(
      "The relay's PostgreSQL tests need PostgreSQL's server binaries (initdb, pg_ctl): install Debian's postgresql, as .ci/run does, or set POSTGRES_BIN_DIR."
    );
  }
  const cluster = await startPostgresCluster({ binDir });
  globalThis.relayTestPostgresCluster = cluster;
  process.env.RELAY_TEST_POSTGRES_URL = cluster.url();
  process.env.RELAY_TEST_POSTGRES_DATA_DIR = cluster.dataDir;
}
