/**
 * Replicated sessions and graceful drain, driven in the page: copies show on the node cards, a
 * crash with replicated sessions logs nobody out, a drained node leaves without a failed request,
 * the session store select writes `store=replicated&replication=…` to the link, and the lesson
 * opens. At 1280×720, with and without projector mode.
 */
import { expect, test, type Page } from './fixtures';

async function metric(page: Page, name: string): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).innerText();
  const match = new RegExp(`${name}\\s*(\\d+)`).exec(text);
  if (match === null) throw new Error(`"${name}" not in Metrics: ${text}`);
  return Number(match[1]);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function open(page: Page, hash: string, projector = false): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/${hash}`);
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  if (projector) {
    await page.keyboard.press('p');
    await expect(page.locator('html.projector')).toHaveCount(1);
  }
}

for (const projector of [false, true]) {
  const view = projector ? '1280×720, projector mode' : '1280×720';

  test(`${view}: with one backup per session, each node shows its copies and a crash logs nobody out`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await open(page, '#mode=stateful&store=replicated&replication=backup&nodes=3&clients=12&seed=3&speed=4', projector);
    const card = page.getByRole('button', { name: /^Server 2, up/ });
    await expect(card.getByText(/\+ \d+ cop(y|ies)/)).toBeVisible({ timeout: 15_000 });
    await expect(card.getByText(/\+ \d+ cop(y|ies)/)).toBeInViewport();
    await card.click();
    await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
    await page.waitForTimeout(4_000);
    expect(await metric(page, 'Sessions lost')).toBe(0);
    await expect(page.getByRole('listitem', { name: /: logged out/ })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test(`${view}: draining a node takes it out with no failed request; replicated sessions stay`, async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, '#mode=stateful&store=replicated&replication=all&nodes=3&clients=12&seed=3&speed=4', projector);
    await page.waitForTimeout(3_000);
    const drain = page.getByRole('button', { name: 'Drain Server 2', exact: true });
    await expect(drain).toBeInViewport();
    // The drain button is not part of the node's own button, and names no server first.
    await expect(page.getByRole('button', { name: /^Server 2/ })).toHaveCount(1);
    await drain.click();
    await expect(page.getByRole('button', { name: /^Server 2/ })).toHaveCount(0);
    await page.waitForTimeout(4_000);
    expect(await metric(page, 'Failed requests')).toBe(0);
    expect(await metric(page, 'Sessions lost')).toBe(0);
    // The last node in the pool cannot be drained: its button goes once one node is left.
    await page.getByRole('button', { name: 'Drain Server 1', exact: true }).click();
    await expect(page.getByRole('button', { name: /^Drain Server/ })).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('draining with sessions in memory still loses them — but no request dies inside the node', async ({ page }) => {
  await open(page, '#mode=stateful&store=memory&nodes=3&clients=12&seed=3&speed=4');
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Drain Server 2', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Server 2/ })).toHaveCount(0);
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByRole('region', { name: 'Metrics' }).getByText('502: 0')).toBeVisible();
});

test('the session store select offers replication and writes it to the link', async ({ page }) => {
  await open(page, '#mode=stateful&store=memory&seed=3&speed=4');
  await page.locator('summary', { hasText: 'Settings' }).click();
  await page.getByLabel('Session store').selectOption({ label: 'Replicated (backup)' });
  await expect(page).toHaveURL(/store=replicated&replication=backup/);
  await expect(page.getByRole('button', { name: /^Server 1, up/ }).getByText(/\+ \d+ cop(y|ies)/)).toBeVisible({
    timeout: 15_000,
  });
  await page.getByLabel('Session store').selectOption({ label: 'Replicated (all)' });
  await expect(page).toHaveURL(/store=replicated&replication=all/);
});

test('the replication lesson opens at its first step', async ({ page }) => {
  await open(page, '#mode=stateful&seed=3');
  await page.keyboard.press('l');
  const picker = page.getByRole('dialog', { name: 'Guided lessons' });
  await picker.getByRole('button', { name: 'Replicated sessions, and draining a node' }).click();
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Step 1 of');
  await expect(page).toHaveURL(/lesson=replication&step=1\b/);
});
