/**
 * The picture of a real reply in the README: the bot's actual `/ask` payload for the README's
 * example question on the seed articles (the one scripts/readme-examples.ts shows as text), drawn
 * with Discord message web components (scripts/reply-html.ts) in headless Chromium:
 *
 *   npx tsx scripts/render-reply.ts        # writes docs/images/ask-reply.png
 *
 * Needs Chromium from the system (Debian: apt-get install chromium fonts-noto-color-emoji); the
 * page loads nothing from the network, and any request it tries fails the run.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { askReply, EXAMPLES, nonDefaultSettings, ROOT, withSeedIndex } from './readme-examples.js';
import { PAGE_WIDTH, replyHtml } from './reply-html.js';

export const PICTURE = path.join(ROOT, 'docs/images/ask-reply.png');
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** The system's Chromium (or Chrome) on PATH, or null when there is none. */
export function findChromium(searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const name of BROWSERS) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Draws the page in headless Chromium and saves the message column as a PNG. */
export async function screenshot(html: string, file: string, executablePath: string): Promise<void> {
  // --no-sandbox: Chromium refuses its sandbox as root (CI runs as root); the page is our own, offline.
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: PAGE_WIDTH, height: 400, deviceScaleFactor: 1 });
    const requested: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') return void request.continue();
      requested.push(url);
      void request.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(async () => {
      await customElements.whenDefined('discord-message');
      await document.fonts.ready;
    });
    if (requested.length > 0) throw new Error(`the page tried to load ${requested.join(', ')}: it must be self-contained`);
    const messages = await page.$('discord-messages');
    if (!messages) throw new Error('the page has no <discord-messages> element');
    mkdirSync(path.dirname(file), { recursive: true });
    await messages.screenshot({ path: file as `${string}.png`, type: 'png' });
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write('error: Chromium not found on PATH; install it (Debian: apt-get install chromium fonts-noto-color-emoji)\n');
    process.exit(2);
  }
  const settings = nonDefaultSettings();
  if (settings.length > 0)
    process.stderr.write(`note: not the default configuration (${settings.join(', ')}); run again with the defaults before publishing\n`);
  const question = EXAMPLES['discord-ask']!.questions[0]!;
  const { reply } = await withSeedIndex((env) => askReply(question, env));
  await screenshot(await replyHtml(reply), PICTURE, chromium);
  process.stderr.write(
    `wrote ${path.relative(ROOT, PICTURE)} (${Math.round(statSync(PICTURE).size / 1024)} KB): /ask question: ${question}\n`,
  );
}
