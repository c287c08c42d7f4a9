/**
 * Teaching in the real page: Compare with one click, a lesson walked from first to last step with a
 * presenter remote's keys, keyboard shortcuts, and a copied link that reopens the same scenario.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function summaryCell(page: Page, row: string, column: number): Promise<number> {
  const cells = page.getByRole('table', { name: 'Compare summary' }).getByRole('row', { name: row }).getByRole('cell');
  return Number(await cells.nth(column).innerText());
}

test('Compare: one click fails Server 2 in both; only the stateful side loses sessions', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/#mode=compare&seed=3');
  await page.waitForTimeout(4_000);
  await page
    .getByRole('region', { name: 'Stateful (sessions)' })
    .getByRole('button', { name: /^Server 2, up/ })
    .click();
  for (const name of ['Stateless (JWT)', 'Stateful (sessions)']) {
    await expect(page.getByRole('region', { name }).getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  }
  await expect.poll(() => summaryCell(page, 'Stateful (sessions)', 0)).toBeGreaterThan(0);
  expect(await summaryCell(page, 'Stateless (JWT)', 0)).toBe(0);
  expect(await summaryCell(page, 'Stateless (JWT)', 4)).toBeGreaterThan(
    await summaryCell(page, 'Stateful (sessions)', 4),
  );
  expect(errors).toEqual([]);
});

test('a lesson is walked from its first step to its last with Page Down', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  await page.keyboard.press('l');
  await page
    .getByRole('dialog', { name: 'Guided lessons' })
    .getByRole('button', { name: /A node fails/ })
    .click();
  const bar = page.getByRole('region', { name: 'Lesson' });
  await expect(bar).toContainText('Step 1 of 4');
  await expect(page).toHaveURL(/lesson=failure&step=1/);
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText('Predict: Which side loses sessions');
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText(/Stateful lost [1-9]\d* sessions/);
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText('Step 4 of 4');
  await expect(page).toHaveURL(/step=4/);
  await bar.getByRole('button', { name: 'Finish' }).click();
  await expect(bar).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('keyboard: 2 fails Server 2, Space pauses, ? shows the shortcuts', async ({ page }) => {
  await page.goto('/#mode=stateful&seed=4');
  await expect(page.getByRole('button', { name: /^Server 1/ })).toBeVisible();
  await page.keyboard.press('2');
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await page.keyboard.press('2');
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('Copy link puts the scenario on the clipboard, and the link reopens it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/#mode=stateless&seed=9&nodes=4');
  await page.getByRole('button', { name: 'Stateful (sessions)' }).click();
  await page.bringToFront(); // the clipboard answers only the focused page
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/mode=stateful/);
  expect(link).toMatch(/seed=9/);
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole('button', { name: /^Server 4/ })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Stateful (sessions)' })).toHaveAttribute('aria-pressed', 'true');
});

test('failing the deny-list store is captioned as the deny-list store, and every request with a token is refused with 503', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/#mode=stateless&deny=1&seed=6');
  await expect(page.getByRole('button', { name: /^Deny-list store, up/ })).toBeVisible();
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Fail deny-list store' }).click();
  const caption = page.locator('.app-footer .caption');
  await expect(caption).toHaveText(
    /^The token deny-list store failed: no node can check a token against it, so every request with a token gets 503/,
  );
  await expect(caption).not.toContainText('session');
  // What the caption says is what happens.
  const metrics = page.getByRole('region', { name: 'Metrics' });
  await expect
    .poll(async () => Number((await metrics.getByText(/^503: \d+$/).innerText()).split(':')[1]), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await expect(metrics.locator('xpath=.//dt[normalize-space()="Sessions lost"]/following-sibling::dd[1]')).toHaveText(
    '0',
  );
  await page.getByRole('button', { name: 'Recover deny-list store' }).click();
  await expect(caption).toHaveText(
    'The token deny-list store is back — empty: tokens revoked before it failed are valid again until they expire',
  );
  expect(errors).toEqual([]);
});

test("the event log's client filter names You once", async ({ page }) => {
  await page.goto('/#mode=stateful&seed=3');
  await page.getByRole('button', { name: 'You', exact: true }).click();
  const you = page.getByRole('complementary', { name: 'You' });
  await expect(you.getByRole('button', { name: 'Log in' })).toBeEnabled({ timeout: 15_000 });
  // Logged in under the name "You": its requests and the session it creates name it two ways.
  await you.getByRole('textbox', { name: 'User name' }).fill('You');
  await you.getByRole('button', { name: 'Log in' }).click();
  await expect(you.getByText(/served by Server \d/)).toBeVisible();
  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const filter = page.getByRole('combobox', { name: 'Client' });
  await expect(filter.getByRole('option', { name: 'Ada' })).toHaveCount(1);
  const options = await filter.getByRole('option').allInnerTexts();
  expect(options.filter((o) => o === 'You')).toHaveLength(1);
  expect(options.slice(0, 2)).toEqual(['all', 'You']);
  await filter.selectOption('You');
  await expect(page.getByRole('list', { name: 'Events, newest first' })).toContainText('session for You created');
});
