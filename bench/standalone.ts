/**
 * What the bench files share when one is run on its own (`tsx bench/relay.ts [rows]`) rather than through
 * `npm run bench`: the optional row count from the command line, the figures printed, a failure in the exit status.
 */

/** Runs `bench` with the row count given as the first argument (its own default when none), then prints. */
export function runStandalone<R>(bench: (rows: number | undefined) => Promise<R>, print: (result: R) => void): void {
  const rows = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  bench(rows)
    .then(print)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

/** Bytes as MB, to one decimal. */
export const megabytes = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
