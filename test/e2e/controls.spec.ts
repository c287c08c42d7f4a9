/**
 * The controls, the URL and the Metrics region in the real page (Chromium, built dist):
 * a teacher's link survives a reload, a typo in it never blanks the page, and failing Server 2
 * loses sessions only when they live on the server.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/** Console errors and uncaught exceptions of the page; each test ends expecting none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A number printed after its label in a Metrics region ("Sessions lost 17"). */
async function metric(page: Page, label: string): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).first().innerText();
  const match = new RegExp(`${label}\\s*(\\d+)`).exec(text);
  if (match === null) throw new Error(`"${label}" not found in the Metrics region: ${text}`);
  return Number(match[1]);
}

function hashParams(page: Page): URLSearchParams {
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}

test('the mode controls write the scenario into the URL, and a reload keeps it', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== new URL(baseURL!).origin) foreign.push(request.url());
  });
  await page.goto('/#seed=7&ref=crash');
  await page.getByRole('button', { name: 'Stateless (JWT)' }).click();
  await expect.poll(() => hashParams(page).get('mode')).toBe('stateless');
  expect(hashParams(page).get('seed')).toBe('7');
  expect(hashParams(page).get('ref')).toBe('crash');

  await page.getByRole('button', { name: 'Compare' }).click();
  await expect.poll(() => hashParams(page).get('mode')).toBe('compare');
  await page.getByRole('slider', { name: 'Speed' }).fill('4');
  await expect.poll(() => hashParams(page).get('speed')).toBe('4');

  await page.reload();
  // Exact names: the tick drawn on the pressed mode must not leak into its accessible name.
  await expect(page.getByRole('button', { name: 'Compare', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Stateful (sessions)', exact: true })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(page.getByRole('slider', { name: 'Speed' })).toHaveValue('4');
  await expect(page.getByRole('region', { name: 'Metrics' })).toHaveCount(2);
  expect(hashParams(page).get('ref')).toBe('crash');
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});

test('editing the hash by hand applies it without a reload', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful');
  await page.evaluate(() => {
    window.location.hash = '#mode=stateless&seed=3';
  });
  await expect(page.getByRole('button', { name: 'Stateless (JWT)' })).toHaveAttribute('aria-pressed', 'true');
  expect(errors).toEqual([]);
});

test('a bad value in the link shows a notice and the page still works', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#nodes=banana');
  await expect(page.getByRole('status').filter({ hasText: 'nodes=banana' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Metrics' })).toBeVisible();
  for (const n of [1, 2, 3])
    await expect(page.getByRole('button', { name: new RegExp(`^Server ${n}\\b`) }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 4\b/ })).toHaveCount(0);
  await page.getByRole('button', { name: /Dismiss notice/ }).click();
  await expect(page.getByText(/nodes=banana/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('in stateful mode, failing Server 2 loses sessions', async ({ page }) => {
  const errors = watchErrors(page);
  // Fast enough that every user has logged in (and so holds a session) before the click.
  await page.goto('/#mode=stateful&seed=7&speed=5');
  await expect.poll(() => page.evaluate(() => document.body.innerText.includes('Sessions lost'))).toBe(true);
  await page.waitForTimeout(2_500);
  expect(await metric(page, 'Sessions lost')).toBe(0);
  await page
    .getByRole('button', { name: /^Server 2\b/ })
    .first()
    .click();
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('in stateless mode, failing Server 2 loses no session', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateless&seed=7&speed=5');
  await page.waitForTimeout(2_500);
  await page
    .getByRole('button', { name: /^Server 2\b/ })
    .first()
    .click();
  await page.waitForTimeout(3_000);
  expect(await metric(page, 'Sessions lost')).toBe(0);
  expect(errors).toEqual([]);
});

test('the controls work from the keyboard', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful');
  const pause = page.getByRole('button', { name: 'Pause' });
  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Play' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeFocused();
  const compare = page.getByRole('button', { name: 'Compare' });
  await compare.focus();
  // Enter activates a focused button; Space is play / pause everywhere (the help says so).
  await page.keyboard.press('Enter');
  await expect.poll(() => hashParams(page).get('mode')).toBe('compare');
  const settings = page.locator('summary', { hasText: 'Settings' });
  await settings.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('checkbox', { name: 'Sticky sessions' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('checkbox', { name: 'Sticky sessions' })).toBeHidden();
  expect(errors).toEqual([]);
});
