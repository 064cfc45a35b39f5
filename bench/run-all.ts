/**
 * `npm run bench`: every bench in turn, each printing its own figures. Add a bench by adding one entry.
 */
import { benchEmulator, printEmulatorBench } from "./emulator";
import { benchExcel, printExcelBench } from "./excel";
import { benchPane, printPaneBench } from "./pane";
import { benchPipeline, printPipelineBench } from "./pipeline";
import { benchRelay, benchRelayEdge, benchRelayOnPostgres, printRelayBench, printRelayEdgeBench } from "./relay";

const benches: { name: string; run: () => Promise<void> }[] = [
  { name: "emulator", run: async () => printEmulatorBench(await benchEmulator()) },
  { name: "excel", run: async () => printExcelBench(await benchExcel()) },
  { name: "relay", run: async () => printRelayBench(await benchRelay()) },
  { name: "relay edge", run: async () => printRelayEdgeBench(await benchRelayEdge()) },
  { name: "relay on PostgreSQL", run: async () => printRelayBench(await benchRelayOnPostgres()) },
  { name: "pipeline", run: async () => printPipelineBench(await benchPipeline()) },
  { name: "pane in Chromium", run: async () => printPaneBench(await benchPane()) },
];

async function main(): Promise<void> {
  for (const bench of benches) {
    console.log(`== ${bench.name}`);
    await bench.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
