/**
 * A rolling "deploy v2", driven in the page: the node column's Deploy menu rolls v2 over the nodes
 * one at a time — drained (nothing fails with a shared store) or restarted (memory sessions lost,
 * requests sent to a restarting node) — with each card showing its part and the timeline a mark; in
 * Compare one click deploys both clusters. The deploy lesson opens, and the replication lesson's
 * loss-receipt step shows the receipt, ringed. At 1280×720, with and without projector mode.
 */
import { expect, test, type Page } from './fixtures';
import type { Locator } from '@playwright/test';

async function metric(scope: Page | Locator, name: string): Promise<number> {
  const text = await scope.getByRole('region', { name: 'Metrics' }).first().innerText();
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
  await expect(page.getByRole('button', { name: /^Server 1, up/ }).first()).toBeVisible();
  if (projector) {
    await page.keyboard.press('p');
    await expect(page.locator('html.projector')).toHaveCount(1);
  }
}

/** Opens the node column's Deploy menu and picks one way. */
async function deploy(page: Page, how: 'drain' | 'restart', scope: Page | Locator = page): Promise<void> {
  await scope.locator('summary', { hasText: /^Deploy v2$/ }).click();
  await page.getByRole('button', { name: `Deploy v2 (${how})`, exact: true }).click();
}

/** Whether `a` and `b` overlap on screen. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const x = (await a.boundingBox())!;
  const y = (await b.boundingBox())!;
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

const serverButtons = (page: Page) => page.getByRole('button', { name: /^Server \d/ });

for (const projector of [false, true]) {
  const view = projector ? '1280×720, projector mode' : '1280×720';

  test(`${view}: a drained deploy with a shared store rolls v2 over every node, one at a time, and nothing fails`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await open(page, '#mode=stateful&store=shared&nodes=3&clients=12&seed=11&speed=4', projector);
    await page.waitForTimeout(3_000);
    await deploy(page, 'drain');
    // The menu gives way to the roll's progress; the next node waits its turn, its card says so.
    await expect(page.getByRole('status').filter({ hasText: /^Deploying v2: \d\/3$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Server 3, up.*\(v1 · waiting\)$/ })).toBeVisible();
    // One mark on the timeline.
    await expect(
      page.getByRole('button', { name: /^Rewind to before deploy of v2 \(drain\) at [\d.]+ s$/ }),
    ).toHaveCount(1);
    // Never more than one node out of the pool while it rolls.
    for (let i = 0; i < 12; i++) {
      const names = await serverButtons(page).evaluateAll((buttons) =>
        buttons.map((b) => b.getAttribute('aria-label')!),
      );
      expect(
        names.filter((name) => /draining|waiting for health checks|starting/.test(name)).length,
      ).toBeLessThanOrEqual(1);
      expect(names).toHaveLength(3);
      await page.waitForTimeout(250);
    }
    // Done: every node runs v2 under its own name, and the menu offers v3.
    await expect(page.locator('summary', { hasText: /^Deploy v3$/ })).toBeVisible({ timeout: 20_000 });
    for (const n of [1, 2, 3])
      await expect(page.getByRole('button', { name: new RegExp(`^Server ${n}, up.*\\(v2\\)$`) })).toBeVisible();
    expect(await metric(page, 'Failed requests')).toBe(0);
    expect(await metric(page, 'Sessions lost')).toBe(0);
    // The version shows under each card, beside Drain, on screen and over nothing.
    const tags = page.locator('.node-release');
    await expect(tags).toHaveCount(3);
    for (const tag of await tags.all()) {
      await expect(tag).toHaveText('v2');
      await expect(tag).toBeInViewport({ ratio: 1 });
    }
    const drains = await page.getByRole('button', { name: /^Drain Server/ }).all();
    for (const drain of drains) for (const tag of await tags.all()) expect(await overlap(drain, tag)).toBe(false);
    for (const card of await serverButtons(page).all())
      for (const tag of await tags.all()) expect(await overlap(card, tag)).toBe(false);
    expect(errors).toEqual([]);
  });

  test(`${view}: a deploy by restarts with memory sessions loses them, and the balancer keeps sending to the restarting node`, async ({
    page,
  }) => {
    await open(page, '#mode=stateful&store=memory&nodes=3&clients=12&seed=11&speed=6', projector);
    await page.waitForTimeout(3_000);
    expect(await metric(page, 'Sessions lost')).toBe(0);
    await deploy(page, 'restart');
    await expect(page.getByRole('button', { name: /^Server 1, down.*\(v1 · restarting\)$/ })).toBeVisible();
    await expect(
      page.getByRole('button', { name: /^Rewind to before deploy of v2 \(restart\) at [\d.]+ s$/ }),
    ).toHaveCount(1);
    // Back on v2, it waits for its health checks before Server 2 goes.
    await expect(page.getByRole('button', { name: /^Server 1, up.*\(v2 · starting\)$/ })).toBeVisible({
      timeout: 15_000,
    });
    await expect(page.locator('.node-release', { hasText: 'v2 · starting' })).toBeInViewport();
    await expect(page.locator('summary', { hasText: /^Deploy v3$/ })).toBeVisible({ timeout: 30_000 });
    expect(await metric(page, 'Sessions lost')).toBeGreaterThan(5);
    expect(await metric(page, 'Sent to a dead node')).toBeGreaterThan(0);
    expect(await metric(page, 'Failed requests')).toBeGreaterThan(0);
  });
}

test('in Compare with Link failures on, one click deploys both clusters', async ({ page }) => {
  await open(page, '#mode=compare&store=memory&nodes=3&clients=12&seed=11&speed=4');
  await page.waitForTimeout(2_000);
  await expect(page.locator('summary', { hasText: /^Deploy v2$/ })).toHaveCount(2);
  await page
    .locator('summary', { hasText: /^Deploy v2$/ })
    .first()
    .click();
  await expect(page.getByText('In both clusters: Link failures is on.')).toBeVisible();
  await page.getByRole('button', { name: 'Deploy v2 (drain)', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Deploying v2/ })).toHaveCount(2);
  await expect(page.locator('summary', { hasText: /^Deploy v3$/ })).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByRole('button', { name: /^Server \d, up.*\(v2\)$/ })).toHaveCount(6);
  // One mark: the same command for both clusters.
  await expect(page.getByRole('button', { name: /^Rewind to before deploy of v2/ })).toHaveCount(1);
  // The version sits beside each name on Compare's cards, inside the card.
  for (const card of await serverButtons(page).all()) {
    const tag = card.locator('.node-version');
    await expect(tag).toHaveText('v2');
    const [a, b] = [(await tag.boundingBox())!, (await card.boundingBox())!];
    expect(a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height).toBe(true);
  }
});

test('the menu closes with Escape, and a drain is offered only with another node to take the users', async ({
  page,
}) => {
  await open(page, '#mode=stateful&store=memory&nodes=1&clients=4&seed=11&speed=4');
  const summary = page.locator('summary', { hasText: /^Deploy v2$/ });
  await summary.click();
  await expect(page.getByRole('button', { name: 'Deploy v2 (drain)', exact: true })).toBeDisabled();
  await expect(page.getByText('A drain needs another node to take the users.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Deploy v2 (drain)', exact: true })).toHaveCount(0);
  await expect(summary).toBeFocused();
});

test('the deploy lesson: predict, then the roll starts and the reveal gives its numbers', async ({ page }) => {
  await open(page, '#mode=stateful&seed=1');
  await page.keyboard.press('l');
  await page
    .getByRole('dialog', { name: 'Guided lessons' })
    .getByRole('button', { name: 'Deploying without losing anyone' })
    .click();
  const bar = page.getByRole('region', { name: 'Lesson' });
  await expect(bar).toContainText('Step 1 of 8');
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText('Predict: Each node restarts in turn');
  await page.keyboard.press('PageDown');
  await expect(bar).toContainText(
    /\d+ times a user was sent back to login, \d+ sessions lost; \d+ requests went to a restarting node\./,
  );
  await expect(page.getByRole('status').filter({ hasText: /^Deploying v2/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Rewind to before deploy of v2 \(restart\)/ })).toHaveCount(1);
});

for (const projector of [false, true]) {
  test(`${projector ? 'projector mode: ' : ''}the replication lesson's loss-receipt step shows the receipt after the crash, ringed`, async ({
    page,
  }) => {
    await open(page, '#mode=stateful&seed=3', projector);
    await page.keyboard.press('l');
    await page
      .getByRole('dialog', { name: 'Guided lessons' })
      .getByRole('button', { name: 'Replicated sessions, and draining a node' })
      .click();
    const bar = page.getByRole('region', { name: 'Lesson' });
    await page.keyboard.press('PageDown'); // the crash: predict
    await page.keyboard.press('PageDown'); // reveal
    await page.keyboard.press('PageDown');
    await expect(bar).toContainText('Step 3 of 11: Read the loss receipt');
    await expect(page.getByRole('group', { name: 'Caption' }).locator('p').first()).toHaveText(
      /^The loss receipt by the users/,
    );
    const receipt = page.getByRole('dialog', { name: /^Loss receipt — Server 2 crashed at [\d.]+ s$/ });
    await expect(receipt.getByRole('table')).toBeVisible({ timeout: 15_000 });
    await expect(receipt).toBeInViewport({ ratio: 1 });
    // The ring is on the receipt.
    const outline = await receipt.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    // It says what the same crash cost here, and that the other setups would have lost nothing.
    const totals = await receipt.locator('tfoot').innerText();
    expect(totals).toMatch(/\d+ users? logged out/);
    expect(totals).toMatch(/Nothing lost/);
  });
}
