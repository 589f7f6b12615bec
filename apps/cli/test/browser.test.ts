/**
 * The HTML outputs in a real headless browser (Debian's chromium driven by playwright-core): the
 * replay timeline page and the compare report load with no console errors, and the sequence
 * diagram shows one lane per CPU and the watchdog line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './chromium-setup.js';
import { cli } from './helpers.js';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let ctx: BrowserContext;
let profile: string;
const dir = mkdtempSync(join(tmpdir(), 'naplab-browser-'));

beforeAll(async () => {
  const why = process.env.NAPLAB_CHROMIUM_ERROR;
  if (why) throw new Error(why);
  profile = mkdtempSync(join(tmpdir(), 'naplab-chromium-profile-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** Open a file; collect console errors and page errors while it loads. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  expect(res?.ok() ?? true).toBe(true);
  return { page, errors };
}

const WATCHDOG = 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 2';
const LANES = ['cpu0 ksmd', 'cpu1 offline', 'cpu2 primary', 'cpu3 secondary'];

async function checkDiagram(page: Page): Promise<void> {
  const svg = page.locator('svg.naplab-timeline').first();
  await expect(svg.isVisible()).resolves.toBe(true);
  const box = await svg.boundingBox();
  expect(box!.width).toBeGreaterThan(400);
  expect(box!.height).toBeGreaterThan(400);
  expect(await svg.locator('g.lane text').allTextContents()).toEqual(LANES);
  // the lanes are laid out left to right
  const xs = await svg.locator('g.lane text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().x));
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  const wd = svg.locator('text.watchdog');
  expect(await wd.textContent()).toBe(WATCHDOG);
  await expect(wd.isVisible()).resolves.toBe(true);
  // the primary's loss is drawn in its lane
  const lost = svg.locator('g.event[data-kind="lost"][data-cpu="2"]');
  expect(await lost.count()).toBe(1);
}

describe('HTML in a headless browser', () => {
  it('replay --format html: loads cleanly, shows the four lanes and the watchdog line', async () => {
    const check = JSON.parse((await cli('check', 'power8-cede-small', '--variant', 'buggy', '--json')).out);
    const file = join(dir, 'timeline.html');
    const r = await cli('replay', check.violation.token, '--format', 'html', '--out', file);
    expect(r.code).toBe(0);
    const { page, errors } = await open(file);
    await checkDiagram(page);
    expect(await page.locator('p.watchdog').textContent()).toBe(WATCHDOG);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the compare report embeds the diagram for the failing variant; its timeline page loads too', async () => {
    const out = join(dir, 'report');
    const r = await cli(
      'compare',
      'power8-cede-small',
      '--trials',
      '2000',
      '--workers',
      '1',
      '--shrink-runs',
      '3000',
      '--report',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const { page, errors } = await open(join(out, 'report.html'));
    const failures = page.locator('#failures article.failure');
    expect(await failures.count()).toBe(1); // only buggy fails on this scenario under sc
    await checkDiagram(page);
    expect(await page.locator('#failures').textContent()).toMatch(/Shrunk \(decisions removed/);
    expect(errors).toEqual([]);
    await page.close();
    const tl = await open(join(out, 'timeline-buggy.html'));
    await checkDiagram(tl.page);
    expect(tl.errors).toEqual([]);
    await tl.page.close();
  }, 240_000);
});
