/**
 * A big lecture hall: 1,000 clients from the link. The stage draws the first 200 one by one and sums
 * up the other 800 in one block a back row can read; nothing is cut off, spills or overlaps, at
 * 1280×720 and 1920×1080, with and without projector mode, alone and in Compare; and failing a
 * server still shows the sessions lost in the Metrics and in the block.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { auditLayout, describe as describeOffences } from './layoutAudit';

const HALL = 'clients=1000&nodes=8&seed=7';

const projector = async (page: Page): Promise<void> => {
  await page.keyboard.press('p');
  await expect(page.locator('html')).toHaveClass(/projector/);
};

async function open(page: Page, hash: string): Promise<void> {
  await page.goto(`/#${hash}`);
  await expect(page.getByRole('button', { name: /^Server 3/ }).first()).toBeVisible();
  // Let the hall log in (the real clock runs).
  await page.waitForTimeout(3_000);
}

async function sessionsLost(page: Page, cluster = 'stateful'): Promise<number> {
  const text = await page.locator(`[role=region][aria-label="Metrics"][data-cluster="${cluster}"]`).innerText();
  const match = /Sessions lost\s*(\d+)/.exec(text);
  if (match === null) throw new Error(`"Sessions lost" not found in the Metrics region: ${text}`);
  return Number(match[1]);
}

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

const VIEWS = [
  { name: 'stateful', hash: `mode=stateful&${HALL}`, projector: false, panes: 1 },
  { name: 'stateless, projector', hash: `mode=stateless&${HALL}`, projector: true, panes: 1 },
  // Three nodes: Compare with 7–8 nodes and no projector mode cuts each card's session count at any
  // number of clients (a node card's height, not the hall's).
  { name: 'Compare', hash: 'mode=compare&clients=1000&nodes=3&seed=7', projector: false, panes: 2 },
  { name: 'Compare, projector', hash: `mode=compare&${HALL}`, projector: true, panes: 2 },
] as const;

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: size });
    for (const view of VIEWS) {
      test(`${view.name}: 200 clients drawn, 800 summed up; nothing clipped, spilling or overlapping`, async ({
        page,
      }) => {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await open(page, view.hash);
        if (view.projector) await projector(page);
        await page.waitForTimeout(1_000);

        await expect(page.getByRole('heading', { name: /^Clients 1000\b/ })).toHaveCount(view.panes);
        const summaries = page.getByRole('group', { name: /^800 more clients: / });
        await expect(summaries).toHaveCount(view.panes);
        for (const summary of await summaries.all()) {
          await expect(summary).toBeVisible();
          await expect(summary).toContainText('+800 more');
          // Its counts add up to the 800 it stands for.
          const label = (await summary.getAttribute('aria-label')) ?? '';
          const counts = [...label.split(';')[0]!.matchAll(/([\d,]+) (?:logged|logging)/g)].map((m) =>
            Number(m[1]!.replace(/,/g, '')),
          );
          expect(counts.reduce((a, b) => a + b, 0)).toBe(800);
        }
        const stage = page.locator('.stage').first();
        await expect(stage.locator('[data-client]')).toHaveCount(200);

        const offences = describeOffences(
          await page.evaluate(auditLayout, { contrast: true, contrastWithin: '.stage' }),
        );
        if (process.env.LAYOUT_SHOTS)
          await page.screenshot({
            path: `${process.env.LAYOUT_SHOTS}/1000-${size.width}-${view.name.replace(/\W+/g, '-')}.png`,
          });
        expect(offences).toEqual([]);
        expect(errors).toEqual([]);
      });
    }

    test('stateful: failing Server 2 shows the sessions lost in the Metrics and in the summary', async ({ page }) => {
      await open(page, `mode=stateful&${HALL}`);
      await page.getByRole('button', { name: /^Server 2, up/ }).click();
      await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
      await expect.poll(() => sessionsLost(page)).toBeGreaterThan(50);
      await expect(page.getByRole('group', { name: /^800 more clients: .*\d+ logged out/ })).toBeVisible();
      await expect(page.getByRole('group', { name: /^800 more clients: / })).toContainText(/\d+ logged out/);
      const offences = describeOffences(await page.evaluate(auditLayout, { contrast: true, contrastWithin: '.stage' }));
      expect(offences).toEqual([]);
    });
  });
}

test('Compare + projector: failing Server 2 shows sessions lost on the stateful side only', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await open(page, `mode=compare&${HALL}`);
  await projector(page);
  const stateful = page.getByRole('region', { name: 'Stateful (sessions)' });
  await stateful.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect.poll(() => sessionsLost(page)).toBeGreaterThan(50);
  await expect(stateful.getByRole('group', { name: /^800 more clients: .*\d+ logged out/ })).toBeVisible();
  const stateless = page.getByRole('region', { name: 'Stateless (JWT)' });
  await expect(stateless.getByRole('group', { name: /^800 more clients: / })).not.toContainText('logged out');
  expect(await sessionsLost(page, 'stateless')).toBe(0);
});
