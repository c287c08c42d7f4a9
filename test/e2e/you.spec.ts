/**
 * "You" over real HTTP in Chromium: the built page registers Mock Service Worker, the You panel's
 * buttons make real fetches (page.waitForResponse sees them, answered by the service worker), the
 * inspector shows their headers, and a crash of the node holding your session logs you out.
 */
import { expect, test, openYou, apiResponse } from './fixtures';

test('stateful: log in, see the cookie in the inspector, lose the session when its node fails', async ({
  page,
  context,
}) => {
  await page.goto('/#mode=stateful&seed=3');
  let panel = await openYou(page);

  const [login] = await Promise.all([
    apiResponse(page, '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(login.status()).toBe(200);
  expect(login.fromServiceWorker()).toBe(true);
  const servedBy = (await login.allHeaders())['x-served-by'];
  expect(servedBy).toMatch(/^server-\d$/);
  const holder = `Server ${servedBy!.slice('server-'.length)}`;
  await expect(panel.getByText(`served by ${holder}`)).toBeVisible();
  // You are drawn on the stage like the other users, your session chip on the node that holds it.
  await expect(page.locator('[data-client="you"]')).toHaveAttribute('aria-label', /^You: /);
  // A real browser cookie, written by msw from the mocked Set-Cookie.
  expect((await context.cookies()).map((c) => c.name)).toContain('sid');

  await panel.getByRole('button', { name: 'Inspect this request' }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByRole('rowheader', { name: 'set-cookie' })).toBeVisible();
  await expect(inspector.getByRole('cell', { name: /^sid=/ })).toBeVisible();

  panel = await openYou(page);
  const [profile] = await Promise.all([
    apiResponse(page, '/api/profile'),
    panel.getByRole('button', { name: 'View profile' }).click(),
  ]);
  expect(profile.status()).toBe(200);
  await panel.getByRole('button', { name: 'Inspect this request' }).click();
  await expect(inspector.getByRole('rowheader', { name: 'cookie', exact: true })).toBeVisible();

  // Fail the node holding the session with its button on the stage (contract §4).
  await page.keyboard.press('Escape');
  await page
    .getByRole('button', { name: new RegExp(`^${holder}\\b`) })
    .first()
    .click();

  panel = await openYou(page);
  const [rejected] = await Promise.all([
    apiResponse(page, '/api/profile'),
    panel.getByRole('button', { name: 'View profile' }).click(),
  ]);
  expect(rejected.status()).toBe(401);
  await expect(panel.getByText(`Your session lived only in ${holder}'s memory. ${holder} crashed`)).toBeVisible();
  await expect(page.locator('[data-client="you"]')).toHaveAttribute('aria-label', /^You: (?!logged in)/);
});

test('stateless: the token travels in Authorization: Bearer', async ({ page }) => {
  await page.goto('/#mode=stateless&seed=3');
  const panel = await openYou(page);
  const [login] = await Promise.all([
    apiResponse(page, '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(login.status()).toBe(200);
  expect(((await login.json()) as { token?: unknown }).token).toEqual(expect.any(String));

  const [profile] = await Promise.all([
    apiResponse(page, '/api/profile'),
    panel.getByRole('button', { name: 'View profile' }).click(),
  ]);
  expect(profile.status()).toBe(200);
  expect(profile.fromServiceWorker()).toBe(true);
  expect((await profile.request().allHeaders()).authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

  await panel.getByRole('button', { name: 'Inspect this request' }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByText('Signature verifies with the cluster’s secret; not expired.')).toBeVisible();
});

test('msw stays out of the first chunk: the page paints before the worker code loads', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  expect(entry).toBeDefined();
  const code = await (await request.get(entry!)).text();
  expect(code).not.toContain('[MSW]');
  await page.goto('/');
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 15_000 })
    .toMatch(/\/sw\.js$/);
});

test.describe('without service workers', () => {
  test.use({ serviceWorkers: 'block' });

  test('the You panel says real HTTP is unavailable, and the simulation still runs', async ({ page }) => {
    await page.goto('/#mode=stateful&seed=3');
    await page.getByRole('button', { name: 'You', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'You' });
    await expect(panel.getByRole('alert')).toContainText('Real HTTP is unavailable', { timeout: 15_000 });
    await expect(panel.getByRole('button', { name: 'Log in' })).toBeDisabled();
    await page.keyboard.press('Escape');
    await page
      .getByRole('button', { name: /^Server 2\b/ })
      .first()
      .click();
    await expect(page.getByRole('button', { name: /^Server 2, down/ }).first()).toBeVisible();
  });
});
