/**
 * What every end-to-end run starts and stops: Chromium first (when it is missing, say so before spending a
 * minute on webpack), then the real `npm start` stack. `useStackAndBrowser` wires that into a jest file's
 * beforeAll/afterAll, with the one pane its tests share; `startBrowserAndStack` serves scripts outside jest.
 */
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser";
import { openPane, type PaneSession } from "./pane";
import { startStack, type RunningStack, type StackOptions } from "./stack";

export interface BrowserAndStack {
  browser: Browser;
  stack: RunningStack;
  /** Closes Chromium and stops the stack. */
  stop(): Promise<void>;
}

/** Launches Chromium, then starts the stack; when the stack fails to start, Chromium is closed again. */
export async function startBrowserAndStack(options: StackOptions): Promise<BrowserAndStack> {
  const browser = await launchChromium();
  const closeBrowser = () => browser.close().catch(() => undefined);
  let stack: RunningStack;
  try {
    stack = await startStack(options);
  } catch (err) {
    await closeBrowser();
    throw err;
  }
  return {
    browser,
    stack,
    stop: async () => {
      await closeBrowser();
      await stack.stop();
    },
  };
}

export interface EndToEndSuite {
  /** The stack and Chromium; throws when beforeAll could not start them. */
  running(): { stack: RunningStack; browser: Browser };
  /** Opens the pane (clock at `now`) that the file's later tests share; afterAll closes it. */
  openSharedPane(now: Date): Promise<PaneSession>;
  /** The pane opened by `openSharedPane`; throws when no earlier test opened it. */
  sharedPane(): PaneSession;
}

/** Registers the file's beforeAll/afterAll: Chromium and the stack for all its tests, stopped at the end. */
export function useStackAndBrowser(options: StackOptions): EndToEndSuite {
  jest.setTimeout(120_000);
  let started: BrowserAndStack | undefined;
  let pane: PaneSession | undefined;

  beforeAll(async () => {
    started = await startBrowserAndStack(options);
  }, 300_000);

  afterAll(async () => {
    await pane?.context.close().catch(() => undefined);
    await started?.stop();
  }, 60_000);

  const running = (): { stack: RunningStack; browser: Browser } => {
    if (!started) throw new Error("the stack or Chromium did not start (see beforeAll)");
    return { stack: started.stack, browser: started.browser };
  };
  return {
    running,
    openSharedPane: async (now) => {
      const { stack, browser } = running();
      pane = await openPane(browser, stack.paneUrl, now);
      return pane;
    },
    sharedPane: () => {
      if (!pane) throw new Error("no earlier test opened the pane (see the first test that failed)");
      return pane;
    },
  };
}
