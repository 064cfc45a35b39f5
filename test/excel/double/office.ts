/**
 * The `Office` (and `Excel`) globals around the Excel double, and the runtimes Excel runs an add-in's code in, as
 * the add-in's manifest configures them. Code under test reads `Office.context` (requirement sets, partition key,
 * platform, version), registers ribbon functions with `Office.actions.associate`, shows its pane with
 * `Office.addin.showAsTaskpane`, and calls `Excel.run`; all of it lands on the runtime the code was loaded in.
 *
 * Runtimes, as Microsoft documents them (https://learn.microsoft.com/office/dev/add-ins/testing/runtimes):
 * - without a shared runtime, "task panes, function commands, and Excel custom functions each run in their own
 *   runtime process": a ribbon button's function gets a fresh page (its own globals and module state) that "shuts
 *   down when the first of the following occurs: the function command calls the `completed` method of its event
 *   parameter; five minutes have elapsed since the triggering event". Code still running then is stopped: here,
 *   its next `context.sync()` never settles and nothing more reaches the workbook;
 * - with `<Runtime resid="…" lifetime="long">` naming the page of both the task pane and the `FunctionFile`, and
 *   SharedRuntime 1.1 supported, the ribbon's functions run in the pane's page, which lives until the workbook
 *   closes (https://learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime);
 *   a button pressed while the pane is closed loads the page without showing it;
 * - `Office.addin.showAsTaskpane()` works only in a shared runtime, and "As of February 23rd, 2026 ... no longer
 *   applies to add-ins published in the Microsoft Marketplace. Calls ... are ignored"
 *   (https://learn.microsoft.com/office/dev/add-ins/develop/show-hide-add-in): `marketplace: true` models that.
 *
 * Time is the host's: every sync takes `syncLatencyMs` (an Excel on the web round trip), and `advance` moves it.
 * Which runtime a piece of code belongs to follows it through promises and timers (AsyncLocalStorage).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import type { ExcelDouble } from "./index";
import type { RequestContextDouble } from "./context";

export const FUNCTION_COMMAND_LIFETIME_MS = 5 * 60 * 1000;

export type RuntimeKind = "taskpane" | "function-command" | "shared";

export interface RuntimeDouble {
  id: number;
  kind: RuntimeKind;
  /** The page the runtime loaded, e.g. "taskpane.html". */
  page: string;
  closed: boolean;
  /** Host time after which a function-command runtime is shut down. */
  deadline: number;
  /** Why it closed ("completed", "timed out", "workbook closed"). */
  closedBecause?: string;
  actions: Map<string, (event: CommandEventDouble) => unknown>;
  readyCallbacks: (() => void)[];
  office: OfficeGlobalDouble;
  excel: ExcelGlobalDouble;
}

export interface CommandEventDouble {
  completed(): void;
  source: { id: string };
}

export interface CommandRun {
  runtime: RuntimeDouble;
  /** Settles when the function calls `event.completed()` (never, if its runtime is cut first). */
  completed: Promise<void>;
  isCompleted(): boolean;
}

export interface OfficeGlobalDouble {
  HostType: { Excel: "Excel" };
  PlatformType: Record<string, string>;
  context: {
    host: "Excel";
    platform: string;
    partitionKey: string | undefined;
    requirements: { isSetSupported(name: string, minVersion?: string): boolean };
    diagnostics: { host: "Excel"; platform: string; version: string };
  };
  onReady(callback?: (info: { host: "Excel"; platform: string }) => void): Promise<{ host: "Excel"; platform: string }>;
  actions: { associate(name: string, handler: (event: CommandEventDouble) => unknown): void };
  addin: { showAsTaskpane(): Promise<void>; hide(): Promise<void> };
}

export interface ExcelGlobalDouble {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

export interface OfficeHostOptions {
  excel: ExcelDouble;
  /** The add-in's pages: file name in the manifest's URLs → what loading it runs (its scripts). */
  pages: Record<string, () => void>;
  /** The manifest; default the repository's manifest.xml. */
  manifestXml?: string;
  platform?: "PC" | "Mac" | "OfficeOnline";
  version?: string;
  /** `Office.context.partitionKey`: set in Excel on the web, undefined on desktop. */
  partitionKey?: string;
  /** Host time each sync takes; default 0. */
  syncLatencyMs?: number;
  /** A Microsoft Marketplace add-in: showAsTaskpane is ignored. */
  marketplace?: boolean;
}

/** What the manifest says about runtimes and the ribbon. */
export interface ManifestModel {
  urls: Record<string, string>;
  longRuntimeResid: string | undefined;
  functionFileResid: string | undefined;
  taskpaneResid: string | undefined;
  sharedRuntimeRequired: boolean;
  controls: Record<
    string,
    { action: "ExecuteFunction"; functionName: string } | { action: "ShowTaskpane"; resid: string }
  >;
}

export function readManifest(xml: string): ManifestModel {
  const urls: Record<string, string> = {};
  for (const m of xml.matchAll(/<bt:Url id="([^"]+)" DefaultValue="([^"]+)"\s*\/>/g)) urls[m[1] ?? ""] = m[2] ?? "";
  const runtime = /<Runtime resid="([^"]+)"(?:\s+lifetime="(short|long)")?\s*\/>/.exec(xml);
  const controls: ManifestModel["controls"] = {};
  for (const m of xml.matchAll(/<Control xsi:type="Button" id="([^"]+)">([\s\S]*?)<\/Control>/g)) {
    const body = m[2] ?? "";
    const fn = /<FunctionName>([^<]+)<\/FunctionName>/.exec(body);
    const pane = /<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/.exec(body);
    if (fn) controls[m[1] ?? ""] = { action: "ExecuteFunction", functionName: fn[1] ?? "" };
    else if (pane) controls[m[1] ?? ""] = { action: "ShowTaskpane", resid: pane[1] ?? "" };
  }
  return {
    urls,
    longRuntimeResid: runtime && runtime[2] === "long" ? runtime[1] : undefined,
    functionFileResid: /<FunctionFile resid="([^"]+)"/.exec(xml)?.[1],
    taskpaneResid: /<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/.exec(xml)?.[1],
    sharedRuntimeRequired: /<(?:bt:)?Set Name="SharedRuntime"/.test(xml),
    controls,
  };
}

const pageOf = (url: string | undefined): string => (url ? path.posix.basename(new URL(url).pathname) : "");

export class OfficeHostDouble {
  /** Host time, in ms. */
  clock = 0;
  taskPaneVisible = false;
  readonly runtimes: RuntimeDouble[] = [];
  readonly manifest: ManifestModel;
  private readonly current = new AsyncLocalStorage<RuntimeDouble>();
  private saved: { Office?: unknown; Excel?: unknown } | undefined;
  /** The runtime for code that runs outside any (the test itself): the pane's, once there is one. */
  private testRuntime: RuntimeDouble;

  constructor(private readonly options: OfficeHostOptions) {
    this.manifest = readManifest(
      options.manifestXml ?? fs.readFileSync(path.resolve(__dirname, "../../../manifest.xml"), "utf8")
    );
    this.testRuntime = this.createRuntime("taskpane", "(test)");
  }

  /** True when the ribbon's functions run in the pane's page (the manifest's long runtime, and the host has it). */
  get sharedRuntime(): boolean {
    const resid = this.manifest.longRuntimeResid;
    return (
      resid !== undefined &&
      resid === this.manifest.functionFileResid &&
      this.options.excel.requirements.isSetSupported("SharedRuntime", "1.1")
    );
  }

  /** Sets the `Office` and `Excel` globals (each call lands on the runtime of the code that makes it). */
  install(): this {
    const globals = globalThis as { Office?: unknown; Excel?: unknown };
    this.saved = { Office: globals.Office, Excel: globals.Excel };
    const forward = <T extends object>(pick: (runtime: RuntimeDouble) => T): T =>
      new Proxy({} as T, { get: (_, key) => Reflect.get(pick(this.runtimeNow()), key) });
    globals.Office = forward((runtime) => runtime.office);
    globals.Excel = forward((runtime) => runtime.excel);
    return this;
  }

  uninstall(): void {
    const globals = globalThis as { Office?: unknown; Excel?: unknown };
    if (this.saved?.Office === undefined) delete globals.Office;
    else globals.Office = this.saved.Office;
    if (this.saved?.Excel === undefined) delete globals.Excel;
    else globals.Excel = this.saved.Excel;
  }

  /** Moves host time on (a user waiting). */
  advance(ms: number): void {
    this.clock += ms;
  }

  /** The task pane runtime (the shared one when configured), started on first use. */
  paneRuntime(): RuntimeDouble | undefined {
    return this.runtimes.find(
      (r) => !r.closed && (r.kind === "shared" || r.kind === "taskpane") && r.page !== "(test)"
    );
  }

  /** The user opens the pane (the ribbon's ShowTaskpane button, or Home > Add-ins). */
  async openTaskPane(): Promise<RuntimeDouble> {
    const runtime =
      this.paneRuntime() ?? (await this.startPage(this.sharedRuntime ? "shared" : "taskpane", this.taskpanePage()));
    this.taskPaneVisible = true;
    return runtime;
  }

  /** The user presses a ribbon button of the manifest. */
  async pressButton(controlId: string): Promise<CommandRun> {
    const control = this.manifest.controls[controlId];
    if (!control) throw new Error(`the manifest has no ribbon button ${controlId}`);
    if (control.action === "ShowTaskpane") {
      const runtime = await this.openTaskPane();
      return { runtime, completed: Promise.resolve(), isCompleted: () => true };
    }
    let runtime: RuntimeDouble;
    if (this.sharedRuntime) {
      runtime = this.paneRuntime() ?? (await this.startPage("shared", this.taskpanePage()));
    } else {
      runtime = await this.startPage(
        "function-command",
        pageOf(this.manifest.urls[this.manifest.functionFileResid ?? ""])
      );
      runtime.deadline = this.clock + FUNCTION_COMMAND_LIFETIME_MS;
    }
    const handler = runtime.actions.get(control.functionName);
    if (!handler) throw new Error(`no function associated as ${control.functionName} in ${runtime.page}`);
    let done = false;
    let resolve: () => void = () => undefined;
    const completed = new Promise<void>((r) => (resolve = r));
    const event: CommandEventDouble = {
      source: { id: controlId },
      completed: () => {
        if (done) return;
        done = true;
        if (runtime.kind === "function-command") this.close(runtime, "completed");
        resolve();
      },
    };
    void this.current.run(runtime, () => Promise.resolve().then(() => handler(event)));
    return { runtime, completed, isCompleted: () => done };
  }

  /** Runs test code as if it were code of a runtime (the pane's, by default). */
  inRuntime<T>(runtime: RuntimeDouble, run: () => T): T {
    return this.current.run(runtime, run);
  }

  private taskpanePage(): string {
    return pageOf(this.manifest.urls[this.manifest.taskpaneResid ?? ""]);
  }

  private runtimeNow(): RuntimeDouble {
    return this.current.getStore() ?? this.paneRuntime() ?? this.testRuntime;
  }

  private async startPage(kind: RuntimeKind, page: string): Promise<RuntimeDouble> {
    const load = this.options.pages[page];
    if (!load) throw new Error(`the add-in has no page ${page} (the manifest points there)`);
    const runtime = this.createRuntime(kind, page);
    this.runtimes.push(runtime);
    this.current.run(runtime, load);
    await this.current.run(runtime, async () => {
      await Promise.resolve();
      for (const callback of runtime.readyCallbacks.splice(0)) callback();
    });
    return runtime;
  }

  private close(runtime: RuntimeDouble, because: string): void {
    if (runtime.closed) return;
    runtime.closed = true;
    runtime.closedBecause = because;
  }

  private createRuntime(kind: RuntimeKind, page: string): RuntimeDouble {
    const excel = this.options.excel;
    const platform = this.options.platform ?? "OfficeOnline";
    const info = { host: "Excel" as const, platform };
    const runtime: RuntimeDouble = {
      id: this.runtimes.length + 1,
      kind,
      page,
      closed: false,
      deadline: Number.POSITIVE_INFINITY,
      actions: new Map(),
      readyCallbacks: [],
      office: {
        HostType: { Excel: "Excel" },
        PlatformType: { PC: "PC", Mac: "Mac", OfficeOnline: "OfficeOnline", iOS: "iOS" },
        context: {
          host: "Excel",
          platform,
          partitionKey: this.options.partitionKey,
          requirements: excel.requirements,
          diagnostics: { host: "Excel", platform, version: this.options.version ?? "16.0.18526.20168" },
        },
        onReady: (callback) => {
          return new Promise((resolve) => {
            runtime.readyCallbacks.push(() => {
              callback?.(info);
              resolve(info);
            });
            if (!this.runtimes.includes(runtime))
              queueMicrotask(() => runtime.readyCallbacks.splice(0).forEach((c) => c()));
          });
        },
        actions: {
          associate: (name, handler) => {
            runtime.actions.set(name, handler);
          },
        },
        addin: {
          showAsTaskpane: async () => {
            if (runtime.kind !== "shared") {
              throw Object.assign(new Error("Office.addin.showAsTaskpane needs a shared runtime."), {
                code: "GenericException",
              });
            }
            if (!this.options.marketplace) this.taskPaneVisible = true;
          },
          hide: async () => {
            if (runtime.kind === "shared") this.taskPaneVisible = false;
          },
        },
      },
      excel: {
        run: async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
          const context = this.contextFor(runtime);
          const result = await batch(context);
          if ((context as unknown as RequestContextDouble).pendingOperations > 0) await context.sync();
          return result;
        },
      },
    };
    return runtime;
  }

  /** A request context whose syncs take host time, and stop for good once the runtime is shut down. */
  private contextFor(runtime: RuntimeDouble): Excel.RequestContext {
    const context = this.options.excel.newContext();
    const sync = context.sync.bind(context);
    const never = new Promise<never>(() => undefined);
    context.sync = (async <T>(passThrough?: T) => {
      if (!runtime.closed && this.clock >= runtime.deadline) this.close(runtime, "timed out");
      if (runtime.closed) return never;
      this.clock += this.options.syncLatencyMs ?? 0;
      return sync(passThrough);
    }) as typeof context.sync;
    return context;
  }
}

export function createOfficeHost(options: OfficeHostOptions): OfficeHostDouble {
  return new OfficeHostDouble(options);
}
