import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

/**
 * Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol, for tests that
 * need a real browser: one page at a time, navigated as a user would (so text fragments apply).
 */

/** Why no browser test can run here, or null when Chromium is installed. */
export function chromiumUnavailable(): string | null {
  const found = spawnSync('chromium', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? null : 'chromium is not installed (apt-get install chromium; .ci/run installs it)';
}

export interface BrowserPage {
  /** Navigate and wait for the load event, then `settleMs` more (a text fragment scrolls and highlights after load). */
  open(url: string, settleMs?: number): Promise<void>;
  /** Evaluate an expression in the page (awaiting a promise) and return its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the viewport, base64. */
  screenshot(): Promise<string>;
  close(): Promise<void>;
}

/** Start Chromium with a window of `width` × `height` and one page in it. */
export async function openBrowser(width: number, height: number): Promise<BrowserPage> {
  const profile = mkdtempSync(path.join(tmpdir(), 'chromium-profile-'));
  const browser = spawn(
    'chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--window-size=${width},${height}`,
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group, so that close can end the helpers (zygote, crashpad) with it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const endpoint = await devtoolsEndpoint(browser);
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 0;
  const waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  const listeners: Array<(method: string) => void> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.id !== undefined) {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    } else listeners.forEach((listener) => listener(message.method));
  });
  const send = (method: string, params: object = {}, sessionId?: string): Promise<any> => {
    const id = ++nextId;
    socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
  };
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Page.enable', {}, sessionId);
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  return {
    async open(url, settleMs = 1500) {
      const loaded = new Promise<void>((resolve) => listeners.push((method) => method === 'Page.loadEventFired' && resolve()));
      await send('Page.navigate', { url, transitionType: 'typed' }, sessionId);
      await loaded;
      await new Promise((resolve) => setTimeout(resolve, settleMs));
    },
    async evaluate(expression) {
      const { result, exceptionDetails } = await send(
        'Runtime.evaluate',
        { expression, awaitPromise: true, returnByValue: true },
        sessionId,
      );
      if (exceptionDetails) throw new Error(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    async screenshot() {
      return (await send('Page.captureScreenshot', { format: 'png' }, sessionId)).data as string;
    },
    async close() {
      const exited = new Promise((resolve) =>
        browser.exitCode !== null || browser.signalCode !== null ? resolve(null) : browser.once('exit', resolve),
      );
      // Asked to close, Chromium ends its helpers and stops writing into its profile; SIGTERM
      // left helpers writing there (ENOTEMPTY removing it, twice in CI), so it is the fallback.
      await Promise.race([send('Browser.close').catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      socket.close();
      const timer = setTimeout(() => browser.kill('SIGTERM'), 5_000);
      await exited;
      clearTimeout(timer);
      try {
        process.kill(-browser.pid!, 'SIGKILL'); // any helper still in its group
      } catch {
        // none left
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** The browser's DevTools WebSocket address, from the line Chromium prints when it listens. */
function devtoolsEndpoint(browser: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${output.slice(-500)}`)), 30_000);
    browser.stderr!.on('data', (chunk) => {
      output += String(chunk);
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    browser.once('exit', (code) => reject(new Error(`chromium exited with ${code}: ${output.slice(-500)}`)));
  });
}
