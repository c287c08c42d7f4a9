/**
 * The e2e suite's `test`: Playwright's, plus an automatic fixture that fails a test when any request
 * leaves the page's origin (issue 11: "no request ever leaves the origin"). The page, its service
 * worker and everything they load must come from the one origin that served the page; data: and
 * blob: URLs are the page's own.
 *
 * @example
 * import { expect, test } from './fixtures';
 */
import { expect, test as base, type Page } from '@playwright/test';

export const test = base.extend<{ sameOriginOnly: void }>({
  sameOriginOnly: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
      const strays: string[] = [];
      // The context's events include requests made by the service worker.
      context.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
        if (url.origin !== origin) strays.push(`${request.method()} ${request.url()}`);
      });
      await use();
      expect(strays, `requests that left the page's origin (${origin})`).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from '@playwright/test';

/** Opens the You panel and waits until its buttons work (the service worker is registered: apiReady). */
export async function openYou(page: Page) {
  await page.getByRole('button', { name: 'You', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'You' });
  await expect(panel.getByRole('button', { name: 'Log in' })).toBeEnabled({ timeout: 15_000 });
  return panel;
}

/** The next answer the page gets from `path` (a real fetch, answered by the service worker). */
export function apiResponse(page: Page, path: string) {
  return page.waitForResponse((response) => new URL(response.url()).pathname === path);
}
