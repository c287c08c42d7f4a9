/**
 * The stage in the real page (Chromium, built dist): fail Server 2 and the room sees who lost their
 * session — in stateful mode some users are logged out, in stateless mode nobody is. No console
 * errors, and the page never talks to anything but its own origin.
 */
import { expect, test, type Page } from '@playwright/test';

/** The preview server's origin, as playwright.config.ts sets it (E2E_PORT moves it off 4317). */
const PAGE_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4317}`;

function watch(page: Page): { errors: string[]; foreign: string[] } {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== PAGE_ORIGIN) foreign.push(request.url());
  });
  return { errors, foreign };
}

async function sessionsLost(page: Page): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).first().innerText();
  const match = /Sessions lost\s*(\d+)/.exec(text);
  if (match === null) throw new Error(`"Sessions lost" not found in the Metrics region: ${text}`);
  return Number(match[1]);
}

test('stateful: failing Server 2 logs users out, and the Metrics count the lost sessions', async ({ page }) => {
  const { errors, foreign } = watch(page);
  await page.goto('/#mode=stateful&seed=7');
  await page.waitForTimeout(4_000);
  const server2 = page.getByRole('button', { name: /^Server 2, up/ });
  await server2.click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await expect(page.getByText('logged out', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/^\d+ logged out$/)).toBeVisible();
  await expect.poll(() => sessionsLost(page)).toBeGreaterThan(0);
  await page.getByRole('button', { name: /^Server 2, down/ }).press('Enter');
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});

test('stateless: failing Server 2 logs nobody out', async ({ page }) => {
  const { errors, foreign } = watch(page);
  await page.goto('/#mode=stateless&seed=7');
  await page.waitForTimeout(4_000);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await page.waitForTimeout(3_000);
  await expect(page.getByText('logged out', { exact: true })).toHaveCount(0);
  expect(await sessionsLost(page)).toBe(0);
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});

test('200 clients on 8 nodes: the stage draws them all and still answers a click', async ({ page }) => {
  const { errors } = watch(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/#mode=stateful&clients=200&nodes=8&seed=7');
  await page.waitForTimeout(3_000);
  await expect(page.locator('.client-token')).toHaveCount(200);
  await page.getByRole('button', { name: /^Server 3, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 3, down/ })).toBeVisible();
  expect(errors).toEqual([]);
});
