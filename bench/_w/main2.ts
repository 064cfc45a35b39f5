import { Worker } from "node:worker_threads";
import path from "node:path";
const t = Date.now();
const entry = path.join(__dirname, "entry.ts");
const w = new Worker(`require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(entry)});`, {
  eval: true,
});
w.on("message", (m) => {
  console.log("got", m, Date.now() - t, "ms");
  void w.terminate();
});
w.on("error", (e) => console.log("err", e));
