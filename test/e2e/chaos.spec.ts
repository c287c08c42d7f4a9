/**
 * Chaos in the browser (issue 11): a seeded monkey clicks and types at random on the built page for
 * about a minute — server buttons, modes, Settings, Add / Remove node, the store, Reset, Speed,
 * lessons, the timeline, What if…, You's requests, the keyboard — and every few actions checks that
 * nothing broke: no page or console error, no NaN / undefined / negative number in any Metrics
 * region, failed requests equal to the sum of their statuses, a sane timeline label.
 *
 * A failure prints the seed and the actions that led to it. Replay one with CHAOS_SEED=<seed>;
 * CHAOS_SECONDS sets the length.
 */
import type { Locator } from '@playwright/test';
import { expect, test, type Page } from './fixtures';

const SEED = Number(process.env.CHAOS_SEED ?? 20_260_611);
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 60);

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Act = (page: Page, pick: (n: number) => number) => Promise<unknown>;

const QUICK = { timeout: 1_500 };

/** Clicks the pick'th of what `name` finds, if any is there and enabled now. */
async function clickSome(
  page: Page | Locator,
  role: 'button' | 'link',
  name: RegExp | string,
  pick: (n: number) => number,
) {
  const found = page.getByRole(role, typeof name === 'string' ? { name, exact: true } : { name });
  const count = await found.count();
  if (count === 0) return;
  const target = found.nth(pick(count));
  if ((await target.isVisible()) && (await target.isEnabled())) await target.click(QUICK);
}

async function openSettings(page: Page) {
  const summary = page.locator('summary', { hasText: 'Settings' }).first();
  if ((await summary.count()) === 0) return null;
  const details = summary.locator('xpath=..');
  if ((await details.getAttribute('open')) === null) await summary.click(QUICK);
  return details;
}

async function openYou(page: Page) {
  const panel = page.getByRole('complementary', { name: 'You' });
  if (!(await panel.isVisible())) await clickSome(page, 'button', 'You', () => 0);
  return panel;
}

/** Every user action on the page, one line each. */
const ACTS: Record<string, Act> = {
  server: (page, pick) => clickSome(page, 'button', /^Server \d+\b/, pick),
  stateless: (page) => clickSome(page, 'button', 'Stateless (JWT)', () => 0),
  stateful: (page) => clickSome(page, 'button', 'Stateful (sessions)', () => 0),
  compare: (page) => clickSome(page, 'button', 'Compare', () => 0),
  addNode: (page) => clickSome(page, 'button', /Add node/, () => 0),
  removeNode: (page) => clickSome(page, 'button', /Remove node/, () => 0),
  store: (page, pick) => clickSome(page, 'button', /(session|deny-list) store/i, pick),
  reset: (page) => clickSome(page, 'button', 'Reset', () => 0),
  play: (page) => clickSome(page, 'button', /^(Play|Pause)$/, () => 0),
  speed: async (page, pick) => {
    const slider = page.getByRole('slider', { name: 'Speed' });
    if (await slider.isVisible()) await slider.focus().then(() => page.keyboard.press(pick(2) ? 'ArrowRight' : 'End'));
  },
  scrub: async (page, pick) => {
    const slider = page.getByRole('slider', { name: 'Timeline' });
    if (!(await slider.isVisible())) return;
    const max = Number(await slider.getAttribute('max'));
    await slider.fill(String(Math.round(((pick(1000) / 1000) * max) / 100) * 100), QUICK);
  },
  backToLive: (page) => clickSome(page, 'button', 'Back to live', () => 0),
  stepBack: (page) => clickSome(page, 'button', 'Step back', () => 0),
  rewindMark: (page, pick) => clickSome(page, 'button', /^Rewind to before/, pick),
  whatIf: async (page, pick) => {
    const choice = page.getByRole('combobox', { name: 'What if' });
    if (await choice.isVisible()) await choice.selectOption({ index: 1 + pick(2) }, QUICK).catch(() => {});
  },
  settingsStore: async (page, pick) => {
    const settings = await openSettings(page);
    await settings?.getByLabel('Session store').selectOption({ index: pick(2) }, QUICK);
  },
  settingsBalancer: async (page, pick) => {
    const settings = await openSettings(page);
    await settings?.getByLabel('Balancer', { exact: true }).selectOption({ index: pick(3) }, QUICK);
  },
  settingsSticky: async (page) => (await openSettings(page))?.getByLabel('Sticky sessions').click(QUICK),
  settingsClients: async (page, pick) => {
    const settings = await openSettings(page);
    const field = settings?.getByLabel('Clients').first();
    if (field !== undefined && (await field.isVisible())) {
      await field.fill(String([1, 12, 60, 200, 5_000, -4][pick(6)]), QUICK);
      await field.press('Enter');
    }
  },
  lessons: (page) => page.keyboard.press('l'),
  lessonPick: (page, pick) => clickSome(page.getByRole('dialog', { name: 'Guided lessons' }), 'button', /\w/, pick),
  lessonNext: (page) =>
    clickSome(page.getByRole('region', { name: 'Lesson' }), 'button', /^(Next|Reveal|Finish)$/, () => 0),
  lessonBack: (page) => clickSome(page.getByRole('region', { name: 'Lesson' }), 'button', 'Back', () => 0),
  lessonKeys: (page, pick) => page.keyboard.press(pick(2) ? 'PageDown' : 'PageUp'),
  freePlay: (page) => clickSome(page, 'button', 'Free play', () => 0),
  youLogin: async (page) => {
    const panel = await openYou(page);
    await clickSome(panel, 'button', 'Log in', () => 0);
  },
  youCart: async (page, pick) => {
    const panel = await openYou(page);
    await clickSome(panel, 'button', ['Add to cart', 'View cart', 'View profile'][pick(3)]!, () => 0);
  },
  youCheckout: async (page) => clickSome(await openYou(page), 'button', /^Checkout step/, () => 0),
  key: (page, pick) => page.keyboard.press(['1', '2', '3', ' ', 'ArrowRight', '+', '-', 'c', 'p', '?', 'b'][pick(11)]!),
  escape: (page) => page.keyboard.press('Escape'),
};

const NUMBER = /(^|[^\w.–-])([−-])?\d+(\.\d+)?/g;

/** What the room reads must make sense: checked every few actions. */
async function checkPage(page: Page, errors: string[]) {
  expect(errors, 'no page or console error').toEqual([]);
  const regions = page.getByRole('region', { name: 'Metrics' });
  for (let i = 0; i < (await regions.count()); i++) {
    const text = await regions.nth(i).innerText();
    expect(text, 'no NaN / undefined / Infinity in Metrics').not.toMatch(/NaN|undefined|Infinity|null/);
    for (const match of text.matchAll(NUMBER))
      expect(match[2], `negative number in Metrics: ${match[0]}`).toBeUndefined();
    // Failed requests = the sum of "Failed by status" (a Compare pane's compact Metrics shows no breakdown).
    const failed = /Failed requests\s*(\d+)/.exec(text);
    const statuses = [...text.matchAll(/\b[45]\d\d:\s*(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    if (failed !== null && text.includes('Failed by status'))
      expect(statuses, 'failed requests add up by status').toBe(Number(failed[1]));
  }
  const slider = page.getByRole('slider', { name: 'Timeline' });
  if (await slider.isVisible()) {
    const label = (await slider.getAttribute('aria-valuetext')) ?? '';
    expect(label, 'timeline label').toMatch(/^\d[\d:.,]* ?\S* of \d[\d:.,]* ?\S*$/);
    const value = Number(await slider.inputValue());
    const max = Number(await slider.getAttribute('max'));
    expect(value, 'the time shown is within the run').toBeLessThanOrEqual(max);
    expect(value).toBeGreaterThanOrEqual(0);
  }
}

test(`monkey: seeded random clicks and keys for ${SECONDS} s (seed ${SEED})`, async ({ page }) => {
  test.setTimeout((SECONDS + 60) * 1_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    // The browser logs refused requests' 4xx/5xx by itself; the page must log nothing else.
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of/.test(message.text())
    )
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  const random = prng(SEED);
  const pick = (n: number) => Math.floor(random() * n);
  const names = Object.keys(ACTS);
  const done: string[] = [];
  await page.goto('/#mode=stateful&seed=7&speed=5&clients=40');
  await expect(page.getByRole('region', { name: 'Metrics' }).first()).toBeVisible();
  const end = Date.now() + SECONDS * 1_000;
  try {
    while (Date.now() < end) {
      const name = names[pick(names.length)]!;
      done.push(name);
      const started = Date.now();
      await ACTS[name]!(page, pick).catch((error: Error) => {
        // An element that moved or closed between finding and clicking is the monkey's problem, not the page's.
        if (!/Timeout|not attached|detached|intercepts pointer|not visible|not an? |disabled/i.test(error.message))
          throw error;
      });
      if (process.env.CHAOS_VERBOSE) console.log(`${name} ${Date.now() - started} ms`);
      if (done.length % 4 === 0) await checkPage(page, errors);
    }
    await checkPage(page, errors);
  } catch (error) {
    console.log(`chaos seed ${SEED} failed after ${done.length} actions; the last ones: ${done.slice(-12).join(', ')}`);
    throw error;
  }
  console.log(`chaos seed ${SEED}: ${done.length} actions`);
});
