/**
 * The core claim of the page, in every view a teacher uses, with the real clock running: click
 * Server 2 and the room sees who lost what. Stateful (sessions in node memory): Server 2 goes down,
 * users are logged out, Sessions lost counts them, the caption names the crash. Stateless (JWT):
 * Server 2 goes down and nobody is logged out. Compare: one click does both, side by side.
 * At 1280×720 and 1920×1080, with and without projector mode (key P).
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

async function sessionsLost(scope: Locator): Promise<number> {
  const text = await scope.getByRole('region', { name: 'Metrics' }).innerText();
  const match = /Sessions lost\s*(\d+)/.exec(text);
  if (match === null) throw new Error(`"Sessions lost" not in Metrics: ${text}`);
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

async function open(
  page: Page,
  hash: string,
  viewport: { width: number; height: number },
  projector: boolean,
): Promise<void> {
  await page.setViewportSize(viewport);
  await page.goto(`/${hash}`);
  await expect(page.getByRole('button', { name: /^Server 2, up/ }).first()).toBeVisible();
  if (projector) {
    await page.keyboard.press('p');
    await expect(page.locator('html.projector')).toHaveCount(1);
  }
  // Let users log in on the real clock before anything fails.
  await page.waitForTimeout(3_000);
}

/** The stateful side of a failure, as the room reads it in `scope` (the page, or a Compare pane). */
async function expectLoss(scope: Locator): Promise<void> {
  await expect(scope.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await expect.poll(() => sessionsLost(scope), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(scope.getByRole('listitem', { name: /: logged out/ }).first()).toBeAttached();
  await expect(scope.getByRole('button', { name: /^Server 2, down/ })).toBeInViewport();
}

async function expectNoLoss(page: Page, scope: Locator): Promise<void> {
  await expect(scope.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await page.waitForTimeout(2_000);
  expect(await sessionsLost(scope)).toBe(0);
  await expect(scope.getByRole('listitem', { name: /: logged out/ })).toHaveCount(0);
}

for (const viewport of VIEWPORTS) {
  for (const projector of [false, true]) {
    const view = `${viewport.width}×${viewport.height}${projector ? ', projector mode' : ''}`;

    test(`stateful, ${view}: clicking Server 2 logs its users out and the room reads the count`, async ({ page }) => {
      const errors = watchErrors(page);
      await open(page, '#mode=stateful&seed=7&speed=2', viewport, projector);
      await page.getByRole('button', { name: /^Server 2, up/ }).click();
      await expectLoss(page.locator('body'));
      await expect(page.locator('.caption')).toContainText('Server 2');
      await expect(page.getByRole('region', { name: 'Metrics' }).getByText(/Sessions lost/)).toBeInViewport();
      expect(errors).toEqual([]);
    });

    test(`stateless, ${view}: clicking Server 2 logs nobody out`, async ({ page }) => {
      const errors = watchErrors(page);
      await open(page, '#mode=stateless&seed=7&speed=2', viewport, projector);
      await page.getByRole('button', { name: /^Server 2, up/ }).click();
      await expectNoLoss(page, page.locator('body'));
      expect(errors).toEqual([]);
    });

    test(`Compare, ${view}: one click fails Server 2 on both sides; only the stateful side loses sessions`, async ({
      page,
    }) => {
      const errors = watchErrors(page);
      await open(page, '#mode=compare&seed=7&speed=2', viewport, projector);
      const stateless = page.getByRole('region', { name: 'Stateless (JWT)' });
      const stateful = page.getByRole('region', { name: 'Stateful (sessions)' });
      await stateful.getByRole('button', { name: /^Server 2, up/ }).click();
      await expectLoss(stateful);
      await expectNoLoss(page, stateless);
      for (const pane of [stateless, stateful])
        await expect(pane.getByRole('region', { name: 'Metrics' }).getByText(/Sessions lost/)).toBeInViewport();
      expect(errors).toEqual([]);
    });
  }
}

test('sessions in a shared store: a node crash loses nothing; failing the store loses every session, and it comes back empty', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await open(page, '#mode=stateful&store=shared&seed=7&speed=2', VIEWPORTS[0], false);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expectNoLoss(page, page.locator('body'));
  await page.getByRole('button', { name: 'Fail session store' }).click();
  await expect.poll(() => sessionsLost(page.locator('body')), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByRole('listitem', { name: /: logged out/ }).first()).toBeAttached();
  await expect(page.locator('.caption')).toContainText(/session store/i);
  await page.getByRole('button', { name: 'Recover session store' }).click();
  await expect(page.getByRole('button', { name: 'Fail session store' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('scaling out and in, live: Add node puts Server 4 on the stage; Remove node takes it away', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '#mode=stateless&seed=7&speed=2', VIEWPORTS[0], false);
  await page.getByRole('button', { name: 'Add node' }).click();
  await expect(page.getByRole('button', { name: /^Server 4,/ })).toBeVisible();
  await expect(page.locator('.caption')).toContainText('Server 4');
  await page.getByRole('button', { name: 'Remove node' }).click();
  await expect(page.getByRole('button', { name: /^Server 4,/ })).toHaveCount(0, { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test('a moving packet, paused mid-flight, opens its request in the inspector when clicked', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '#mode=stateless&seed=7&speed=0.5', VIEWPORTS[1], false);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // The last frame's numbers are published within 250 ms of the pause; until then the picture may move a step.
  await page.waitForTimeout(500);
  // Packets stop where they are on Pause; find one the way a teacher does: the pointer turns into a hand.
  const stage = page.locator('.stage').first();
  // Scan the space between the clients and the nodes, where requests fly, in 16 px steps.
  const clients = (await page.locator('[data-look-id="clients"]').first().boundingBox())!;
  const firstNode = (await page.locator('[data-look-id^="node:"]').first().boundingBox())!;
  const lastNode = (await page.locator('[data-look-id^="node:"]').last().boundingBox())!;
  let found: { x: number; y: number } | null = null;
  for (let y = Math.min(clients.y, firstNode.y); y < lastNode.y + lastNode.height && found === null; y += 16) {
    for (let x = clients.x + clients.width + 8; x < firstNode.x - 8 && found === null; x += 16) {
      await page.mouse.move(x, y);
      if (await stage.evaluate((el) => el.style.cursor === 'pointer')) found = { x, y };
    }
  }
  expect(found, 'no packet under the pointer between the clients and the nodes').not.toBeNull();
  await page.mouse.click(found!.x, found!.y);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector).toBeVisible();
  await expect(inspector.getByText(/^(GET|POST) \/api\//).first()).toBeVisible();
  expect(errors).toEqual([]);
});
