/**
 * A classroom with bad Wi-Fi: after one visit the page works with the network gone — the app from
 * the service worker's cache, the API from the engine in the page — on a reload, and also the next
 * day, after every tab of the page was closed.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

async function waitForPrecache(page: Page): Promise<void> {
  // The one service worker is active and controls the page (it precached the build on install).
  await page.waitForFunction(
    async () =>
      (await navigator.serviceWorker.ready).active?.scriptURL.endsWith('/sw.js') &&
      navigator.serviceWorker.controller !== null,
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForFunction(
    async () => (await caches.match('/index.html', { ignoreVary: true })) !== undefined,
    undefined,
    { timeout: 20_000 },
  );
}

/**
 * A real fetch to the simulated cluster, as the You panel makes it. Status 0 when it did not get
 * through (msw's part of the worker is not started yet, right after the page opened): a thrown
 * error would end expect.poll at once instead of asking again.
 */
async function login(page: Page): Promise<{ status: number; servedBy: string | null }> {
  return page.evaluate(async () => {
    try {
      const response = await fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'offline' }),
      });
      return { status: response.status, servedBy: response.headers.get('x-served-by') };
    } catch {
      return { status: 0, servedBy: null };
    }
  });
}

test('after the first visit, the page reloads and runs offline, API included', async ({ page, context }) => {
  await page.goto('/#mode=stateful&seed=5');
  await expect(page.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  await waitForPrecache(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();

  // Still answered offline.
  await expect.poll(async () => (await login(page)).status, { timeout: 10_000 }).toBe(200);
  expect((await login(page)).servedBy).toMatch(/^server-\d$/);
  await context.setOffline(false);
});

test('closing every tab and coming back with the network off still opens the page and its API', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/#mode=stateless&seed=4');
  await expect(first.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  await waitForPrecache(first);
  // The API answered once online, so msw's part of the worker is running too.
  await expect.poll(async () => (await login(first)).status, { timeout: 10_000 }).toBe(200);

  // Leave: close every page of this browser context (service workers belong to the context).
  // runBeforeUnload: as a person closing a tab, so the page says goodbye to its worker.
  for (const open of context.pages()) {
    const closed = open.waitForEvent('close');
    await open.close({ runBeforeUnload: true });
    await closed;
  }
  expect(context.pages()).toHaveLength(0);
  // The worker hears "client closed" only after the page is gone; give it the time a teacher would.
  const helper = await context.newPage();
  await helper.goto('about:blank');
  await helper.waitForTimeout(1_500);
  await helper.close();

  await context.setOffline(true);
  const again = await context.newPage();
  await again.goto('/#mode=stateless&seed=4');
  await expect(again.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeVisible();
  await expect(again.getByRole('button', { name: /^Server 1, up/ })).toBeVisible();
  await expect.poll(async () => (await login(again)).status, { timeout: 15_000 }).toBe(200);
  expect((await login(again)).servedBy).toMatch(/^server-\d$/);
  // The registration survived: the worker still controls the page.
  expect(await again.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(1);
  await context.setOffline(false);
});
