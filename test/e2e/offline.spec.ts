/**
 * A classroom with bad Wi-Fi: after one visit the page works with the network gone — the app from
 * the service worker's cache, the API from the engine in the page.
 */
import { expect, test } from '@playwright/test';

test('after the first visit, the page reloads and runs offline, API included', async ({ page, context }) => {
  await page.goto('/#mode=stateful&seed=5');
  await expect(page.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  // The one service worker is active and controls the page (it precached the build on install).
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.scriptURL.endsWith('/sw.js') && navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  await page.waitForFunction(async () => (await caches.match('/index.html', { ignoreVary: true })) !== undefined, undefined, { timeout: 20_000 });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();

  // Real fetch to the simulated cluster, still answered offline.
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'offline' }) });
    return { status: response.status, servedBy: response.headers.get('x-served-by') };
  });
  expect(status.status).toBe(200);
  expect(status.servedBy).toMatch(/^server-\d$/);
  await context.setOffline(false);
});
