/**
 * A gray failure and retried orders, driven in the page with the real clock: cutting Server 2's
 * store link leaves it "up" (to the balancer it is) while its users' requests fail with 503, the
 * store card names the cut, and restoring the link ends the failures; the Idempotency keys checkbox
 * writes idem=1 to the link; the lesson's crash mid-checkout reveals orders placed twice, and the
 * same crash with keys none. At 1280×720, with and without projector mode.
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

  test(`${view}: a cut store link — Server 2 stays up, its users fail, the store card names it; restored, the failures stop`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await open(page, '#mode=stateful&store=shared&sticky=1&nodes=3&clients=12&seed=4&speed=4', projector);
    await page.waitForTimeout(2_000);
    expect(await metric(page, 'Failed requests')).toBe(0);
    const cut = page.getByRole('button', { name: 'Cut store link to Server 2', exact: true });
    await expect(cut).toBeInViewport();
    // The control is not part of the node's own button, and names no server first (contract §4).
    await expect(page.getByRole('button', { name: /^Server 2/ })).toHaveCount(1);
    await cut.click();
    const card = page.getByRole('button', { name: /^Server 2, up/ });
    await expect(card.getByText('store link cut')).toBeInViewport();
    await expect(page.getByRole('button', { name: /^Session store, up/ })).toContainText('no link to Server 2');
    await expect.poll(() => metric(page, 'Failed requests'), { timeout: 15_000 }).toBeGreaterThan(3);
    await expect(page.getByRole('region', { name: 'Metrics' }).getByText(/503: [1-9]/)).toBeVisible();
    // To the balancer nothing is wrong: every node is still up, none was sent to as dead.
    for (const label of ['Server 1', 'Server 2', 'Server 3'])
      await expect(page.getByRole('button', { name: new RegExp(`^${label}, up`) })).toBeVisible();
    expect(await metric(page, 'Sent to a dead node')).toBe(0);

    await page.getByRole('button', { name: 'Restore store link to Server 2', exact: true }).click();
    await expect(card.getByText('store link cut')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Cut store link to Server 2', exact: true })).toBeVisible();
    // Requests already on their way may still fail for a moment; then none does.
    await page.waitForTimeout(1_500);
    const settled = await metric(page, 'Failed requests');
    await page.waitForTimeout(3_000);
    expect(await metric(page, 'Failed requests')).toBe(settled);
    expect(errors).toEqual([]);
  });
}

test('the stateless deny-list store can be cut from a node too', async ({ page }) => {
  await open(page, '#mode=stateless&deny=1&sticky=0&nodes=3&clients=12&seed=4&speed=4');
  await page.getByRole('button', { name: 'Cut store link to Server 3', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Server 3, up/ }).getByText('store link cut')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Deny-list store, up/ })).toContainText('no link to Server 3');
  await expect.poll(() => metric(page, 'Failed requests'), { timeout: 15_000 }).toBeGreaterThan(0);
});

test('no store, no link to cut: memory sessions show no Cut link button', async ({ page }) => {
  await open(page, '#mode=stateful&store=memory&nodes=3&clients=12&seed=4');
  await expect(page.getByRole('button', { name: /^Drain Server 2/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /store link/ })).toHaveCount(0);
});

test('the Idempotency keys checkbox writes idem=1 to the link and shows Duplicate orders', async ({ page }) => {
  await open(page, '#mode=stateless&sticky=0&nodes=3&clients=12&seed=5&speed=4');
  await expect(page.getByRole('region', { name: 'Metrics' })).not.toContainText('Duplicate orders');
  await page.locator('summary', { hasText: 'Settings' }).click();
  const box = page.getByRole('checkbox', { name: 'Idempotency keys' });
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(page).toHaveURL(/idem=1/);
  expect(await metric(page, 'Duplicate orders')).toBe(0);
  await box.uncheck();
  await expect(page).not.toHaveURL(/idem=/);
});

test('the lesson: a crash mid-checkout places orders twice; the same crash with keys, none', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await open(page, '#lesson=gray-failure&step=5');
  const bar = page.getByRole('region', { name: 'Lesson' });
  await expect(bar).toContainText('Step 5 of 7');
  await expect(bar).toContainText('Predict: ');
  await page.keyboard.press('PageDown');
  // The revealed number follows the run: the users press Pay again a second or two after the crash.
  const twice = async (): Promise<number> => {
    const match = /(\d+) orders were placed twice/.exec(await bar.innerText());
    expect(match, 'the reveal says how many').not.toBeNull();
    return Number(match![1]);
  };
  await expect.poll(twice, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  expect(await metric(page, 'Duplicate orders')).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText('Step 6 of 7');
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText('Step 7 of 7');
  await expect(page).toHaveURL(/idem=1/);
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText(/\b0\. A little state on the server/);
  // The same crash: answers were lost (502) and retried, yet no order was placed twice.
  await expect(page.getByRole('region', { name: 'Metrics' }).getByText(/502: [1-9]/)).toBeVisible({ timeout: 10_000 });
  await page.waitForTimeout(6_000);
  expect(await metric(page, 'Duplicate orders')).toBe(0);
  expect(errors).toEqual([]);
});
