/** Jest global teardown of the `postgresql` project: the private cluster is stopped and its directory removed. */
import "./postgres-global-setup";

export default async function stopTestCluster(): Promise<void> {
  globalThis.relayTestPostgresCluster?.stop();
  globalThis.relayTestPostgresCluster = undefined;
}
