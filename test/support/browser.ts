/// <reference lib="dom" />
// The browser helpers run code inside the page (page.evaluate), where DOM types apply.
import { source as axeSource } from 'axe-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it with apt when missing). */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'pages');
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab that fails the test on any console error or CSP violation (see `problems`). */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** Console errors and failed requests seen so far, in every tab. */
  problems: string[];
  close(): Promise<void>;
}

/** Real headless Chromium with a fresh profile, closed (and its profile removed) by `close()`. */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tocsin-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
  const problems: string[] = [];
  return {
    context,
    problems,
    async page(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (WCAG 2.1 A/AA rules) and returns its serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (scripts from 'self' only) still holds for the app.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } })
      .axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * A screenshot for the test run (`test-artifacts/pages/`) and, with `docs` and
 * `UPDATE_SCREENSHOTS=1`, for the README: a plain test run leaves the tracked pictures alone.
 */
export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (options.docs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/** No horizontal scrolling at this width: the page reflows (phone widths). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Parses XML with the browser's own parser: a well-formedness check without another library. */
export async function parseXmlInPage(page: Page, xml: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    const ATOM = 'http://www.w3.org/2005/Atom';
    const child = (el: Element, name: string) => el.getElementsByTagNameNS(ATOM, name)[0];
    return {
      error: error ? error.textContent : null,
      root: doc.documentElement.localName,
      namespace: doc.documentElement.namespaceURI,
      feed: {
        id: child(doc.documentElement, 'id')?.textContent ?? null,
        title: child(doc.documentElement, 'title')?.textContent ?? null,
        updated: child(doc.documentElement, 'updated')?.textContent ?? null,
        selfLink: [...doc.documentElement.children]
          .filter((el) => el.localName === 'link' && el.getAttribute('rel') === 'self')
          .map((el) => el.getAttribute('href'))[0],
      },
      entries: [...doc.getElementsByTagNameNS(ATOM, 'entry')].map((entry) => ({
        id: child(entry, 'id')?.textContent ?? null,
        title: child(entry, 'title')?.textContent ?? null,
        updated: child(entry, 'updated')?.textContent ?? null,
        link: child(entry, 'link')?.getAttribute('href') ?? null,
        summary: child(entry, 'summary')?.textContent ?? null,
      })),
    };
  }, xml);
}
