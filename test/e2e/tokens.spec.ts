/**
 * "Tokens, honestly", driven in the page over real HTTP (Mock Service Worker): a lazy node lets
 * You's forged `role: admin` through and only it (Forgeries accepted 1); a ban does nothing to
 * the token You already hold (Served after a ban), only to a new login; a key rotation that
 * misses a node shows on the cards; the lesson opens on its lazy-node step. At 1280×720, with and
 * without projector mode.
 */
import { expect, test, type Page, openYou, apiResponse } from './fixtures';

async function metric(page: Page, name: string): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).innerText();
  const match = new RegExp(`${name}\\s*(\\d+)`).exec(text);
  if (match === null) throw new Error(`"${name}" not in Metrics: ${text}`);
  return Number(match[1]);
}

async function open(page: Page, hash: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${hash}`);
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
}

/** Projector mode hides You and Settings: the actions are taken first, then the room's view is checked. */
async function toProjector(page: Page, projector: boolean): Promise<void> {
  if (!projector) return;
  await page.keyboard.press('Escape');
  await page.keyboard.press('p');
  await expect(page.locator('html.projector')).toHaveCount(1);
}

/** Logs You in as `user`; returns the label of the node You are now pinned to ("Server 2"). */
async function logIn(page: Page, user: string): Promise<string> {
  const panel = await openYou(page);
  await panel.getByRole('textbox', { name: 'User name' }).fill(user);
  const [login] = await Promise.all([
    apiResponse(page, '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(login.status()).toBe(200);
  const servedBy = (await login.allHeaders())['x-served-by']!;
  expect(servedBy).toMatch(/^server-\d$/);
  return `Server ${servedBy.slice('server-'.length)}`;
}

async function openSettings(page: Page) {
  await page.locator('summary', { hasText: 'Settings' }).click();
  return page.getByRole('group', { name: /Tokens/ });
}

for (const projector of [false, true]) {
  const view = projector ? '1280×720, projector mode' : '1280×720';

  test(`${view}: a lazy node accepts a forged role: admin; the others refuse it`, async ({ page }) => {
    await open(page, '#mode=stateless&sticky=1&nodes=3&clients=6&seed=3');
    const pinned = await logIn(page, 'mallory');
    await page.keyboard.press('Escape');
    // Make the node You are pinned to lazy: its card says so, and Metrics starts counting forgeries.
    const lazy = page.getByRole('button', { name: `Lazy ${pinned}`, exact: true });
    await expect(lazy).toBeInViewport();
    await lazy.click();
    const card = page.getByRole('button', { name: new RegExp(`^${pinned}, up`) });
    await expect(card.getByText('no signature check')).toBeInViewport();
    expect(await metric(page, 'Forgeries accepted')).toBe(0);

    const panel = await openYou(page);
    await panel.getByRole('button', { name: 'View profile' }).click();
    await panel.getByRole('button', { name: 'Inspect this request' }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    const payload = inspector.getByRole('textbox', { name: /Token payload/ });
    const claims = JSON.parse(await payload.inputValue()) as Record<string, unknown>;
    await payload.fill(JSON.stringify({ ...claims, role: 'admin' }));
    await inspector.getByRole('button', { name: 'Send edited token' }).click();
    await expect(inspector.getByRole('status')).toContainText('Edited payload, original signature: 200');
    await expect.poll(() => metric(page, 'Forgeries accepted')).toBe(1);
    if (projector) {
      await toProjector(page, projector);
      await expect(card.getByText('no signature check')).toBeInViewport();
      await expect(page.getByRole('region', { name: 'Metrics' }).getByText('Forgeries accepted')).toBeInViewport();
      return;
    }

    // The same node checking signatures again refuses the very same forgery.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Verify ${pinned}`, exact: true }).click();
    await expect(card.getByText('no signature check')).toHaveCount(0);
    const again = await openYou(page);
    await again.getByRole('button', { name: 'View profile' }).click();
    await again.getByRole('button', { name: 'Inspect this request' }).click();
    await payload.fill(JSON.stringify({ ...claims, role: 'admin' }));
    await inspector.getByRole('button', { name: 'Send edited token' }).click();
    await expect(inspector.getByRole('status')).toContainText('Edited payload, original signature: 401');
    expect(await metric(page, 'Forgeries accepted')).toBe(1);
  });

  test(`${view}: a ban leaves the token You hold working; only a new login is refused`, async ({ page }) => {
    await open(page, '#mode=stateless&sticky=1&nodes=3&clients=6&seed=3');
    await logIn(page, 'eve');
    await page.keyboard.press('Escape');
    const tokens = await openSettings(page);
    await tokens.getByRole('textbox', { name: 'User to ban' }).fill('eve');
    await tokens.getByRole('button', { name: 'Ban user' }).click();
    await page.keyboard.press('Escape');

    const panel = await openYou(page);
    const [profile] = await Promise.all([
      apiResponse(page, '/api/profile'),
      panel.getByRole('button', { name: 'View profile' }).click(),
    ]);
    expect(profile.status()).toBe(200);
    await expect.poll(() => metric(page, 'Served after a ban')).toBe(1);
    if (projector) {
      await toProjector(page, projector);
      await expect(page.getByRole('region', { name: 'Metrics' }).getByText('Served after a ban')).toBeInViewport();
      return;
    }
    // The timeline marks the ban like any other command.
    await expect(page.getByText('user eve banned').first()).toBeAttached();

    await panel.getByRole('textbox', { name: 'User name' }).fill('eve');
    const [login] = await Promise.all([
      apiResponse(page, '/api/login'),
      panel.getByRole('button', { name: 'Log in' }).click(),
    ]);
    expect(login.status()).toBe(403);
  });

  test(`${view}: a key rotation that misses Server 3 shows on the cards`, async ({ page }) => {
    await open(page, '#mode=stateless&nodes=3&clients=6&seed=3');
    const tokens = await openSettings(page);
    await tokens.getByRole('button', { name: 'Rotate key, not on Server 3' }).click();
    await page.keyboard.press('Escape');
    await toProjector(page, projector);
    const keys = (n: number) =>
      page.getByRole('button', { name: new RegExp(`^Server ${n}, up`) }).locator('.node-keys');
    await expect(keys(1)).toHaveText('keys k1 k2');
    await expect(keys(2)).toHaveText('keys k1 k2');
    await expect(keys(3)).toHaveText('keys k1');
    await expect(keys(3)).toBeInViewport();
  });

  test(`${view}: the lesson opens on its lazy node`, async ({ page }) => {
    await open(page, '#lesson=tokens-honestly&step=8');
    await toProjector(page, projector);
    await expect(page.getByText('Step 8 of 8')).toBeVisible();
    const server2 = page.getByRole('button', { name: /^Server 2, up/ });
    await expect(server2.getByText('no signature check')).toBeInViewport();
    await expect(
      page.getByRole('button', { name: /^Server 3, up/ }).getByText('keys k1', { exact: true }),
    ).toBeVisible();
    expect(await metric(page, 'Forgeries accepted')).toBe(0);
  });
}
