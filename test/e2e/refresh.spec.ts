/**
 * Short expiry + refresh tokens (issue 10), driven in the page as a teacher does, on its real clock:
 * Settings → Refresh tokens restarts the run with 15 s access tokens; the token store counts the
 * refresh tokens; a user's Journey shows the refresh (POST /api/refresh) and the node's call to the
 * store; banned, the access token You hold works until its short exp, its refresh is refused (400
 * invalid_grant), then 401; the lesson's ban step shows its numbers. At 1280×720, with and without projector mode.
 */
import { expect, test, type Page, openYou, apiResponse } from './fixtures';

async function metric(page: Page, name: string): Promise<number | null> {
  const text = await page.getByRole('region', { name: 'Metrics' }).innerText();
  const match = new RegExp(`${name}\\s*(\\d+)`).exec(text);
  return match === null ? null : Number(match[1]);
}

function journeyList(page: Page) {
  return page.getByRole('list', { name: /^Journey of/ });
}

function storeCard(page: Page) {
  return page.locator('.store-card');
}

test('Settings → Refresh tokens: the run restarts with a token store that counts refresh tokens', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#mode=stateless&nodes=3&clients=6&seed=3');
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  await expect(storeCard(page)).toHaveCount(0);
  await page.locator('summary', { hasText: 'Settings' }).click();
  const toggle = page.getByRole('checkbox', { name: 'Refresh tokens' });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/refresh=1/);
  await expect(storeCard(page)).toContainText('Token store');
  await expect(storeCard(page)).toContainText(/[1-6] refresh tokens?/, { timeout: 15_000 });
  await expect(storeCard(page)).toBeInViewport();
  // The top bar's store button names it too.
  await expect(page.getByRole('button', { name: 'Fail token store' })).toBeVisible();

  // Stateful mode has no tokens to refresh: the switch is off limits there.
  await page.getByRole('button', { name: /^Stateful/ }).click();
  await page.locator('summary', { hasText: 'Settings' }).click();
  await expect(page.getByRole('checkbox', { name: 'Refresh tokens' })).toBeDisabled();
});

test('a user refreshes through the token store in the Journey; a banned token works one short lifetime, its refresh is refused', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#mode=stateless&refresh=1&sticky=0&nodes=3&clients=4&seed=3&speed=4');
  await page.getByRole('button', { name: 'Journey' }).click();
  const picker = page.getByRole('combobox', { name: 'User' });
  // The first simulated user (the list starts with You).
  const name = (await picker.locator('option').nth(1).textContent())!;
  await picker.selectOption({ label: name });
  await expect(journeyList(page)).toHaveAccessibleName(new RegExp(`^Journey of ${name}: lanes .*Token store`));
  // The refresh: client → balancer → node, the node's call to the store, 200 back.
  const refreshes = journeyList(page).getByRole('button', { name: /POST \/api\/refresh/ });
  await expect(refreshes.first()).toBeVisible({ timeout: 30_000 });
  await expect(refreshes.first()).toHaveAccessibleName(/answered 200 OK/);
  await expect(refreshes.first().getByText('looks up the refresh token')).toBeVisible();
  await page.keyboard.press('Escape');

  // You log in as eve and are banned: the access token You hold still works, its refresh does not.
  let panel = await openYou(page);
  await panel.getByRole('textbox', { name: 'User name' }).fill('eve');
  const [login] = await Promise.all([
    apiResponse(page, '/api/login'),
    panel.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(login.status()).toBe(200);
  expect(await login.headerValue('cache-control')).toBe('no-store');
  expect(((await login.json()) as { refreshToken?: string }).refreshToken).toMatch(/^rt_/);
  await page.keyboard.press('Escape');
  await page.locator('summary', { hasText: 'Settings' }).click();
  const tokens = page.getByRole('group', { name: /Tokens/ });
  await tokens.getByRole('textbox', { name: 'User to ban' }).fill('eve');
  await tokens.getByRole('button', { name: 'Ban user' }).click();
  await page.keyboard.press('Escape');

  panel = await openYou(page);
  const [refused] = await Promise.all([
    apiResponse(page, '/api/refresh'),
    panel.getByRole('button', { name: 'Refresh token' }).click(),
  ]);
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  const [profile] = await Promise.all([
    apiResponse(page, '/api/profile'),
    panel.getByRole('button', { name: 'View profile' }).click(),
  ]);
  expect(profile.status()).toBe(200);
  await expect.poll(() => metric(page, 'Served after a ban')).toBeGreaterThan(0);
  // At 4× the 15 s access token runs out in under 4 s of wall time: then 401, and no way back in.
  await expect
    .poll(
      async () => {
        const [answer] = await Promise.all([
          apiResponse(page, '/api/profile'),
          panel.getByRole('button', { name: 'View profile' }).click(),
        ]);
        return answer.status();
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(401);
  expect(errors).toEqual([]);
});

for (const projector of [false, true]) {
  const view = projector ? '1280×720, projector mode' : '1280×720';
  test(`${view}: the lesson's refresh-token ban shows its numbers and the token store`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/#lesson=tokens-honestly&step=6');
    await expect(page.getByText('Step 6 of 8')).toBeVisible();
    await expect(page.getByText('Ban Bo, with refresh tokens')).toBeVisible();
    if (projector) {
      await page.keyboard.press('p');
      await expect(page.locator('html.projector')).toHaveCount(1);
    }
    await expect(storeCard(page)).toContainText(/\d+ refresh tokens/);
    await expect(storeCard(page)).toBeInViewport();
    // The room predicts, then the ban runs and the reveal gives the numbers.
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const answer = page.getByText(/Served after the ban: \d+, all within one 15 s access lifetime/);
    await expect(answer).toBeVisible({ timeout: 20_000 });
    await expect(answer).toBeInViewport();
  });
}
