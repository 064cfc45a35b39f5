/**
 * One workbook action at a time. Two writes that run side by side would both read the names in use and
 * then pick the same "free" sheet name, and two saves of the custom XML part would lose one another's
 * records; queuing them (fetches still run concurrently) avoids both without extra syncs.
 */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
