/**
 * The timeline as a teacher uses it, with the page's real clock running: the scrubber's head
 * follows live play, a failure is a mark on the track, rewinding shows the past (not its future),
 * playing on replays what happened, You's own requests come back after a rewind, and a what-if
 * replays the same run with one setting changed.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // 401s answered to the You panel are printed by Chromium as failed loads: expected here.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

/** "12.3 s of 45.6 s" from the scrubber, as numbers. */
async function scrubber(page: Page): Promise<{ atS: number; headS: number }> {
  const text = await page.getByRole('slider', { name: 'Timeline' }).getAttribute('aria-valuetext');
  const match = /^([\d.]+) s of ([\d.]+) s$/.exec(text ?? '');
  if (match === null) throw new Error(`unexpected scrubber text: ${text}`);
  return { atS: Number(match[1]), headS: Number(match[2]) };
}

async function metric(page: Page, label: string): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).first().innerText();
  const match = new RegExp(`${label}\\s*(\\d+)`).exec(text);
  if (match === null) throw new Error(`"${label}" not in Metrics: ${text}`);
  return Number(match[1]);
}

const loggedOutRows = (page: Page) => page.getByRole('listitem', { name: /: logged out/ });

test('live play moves the scrubber; a failure is a mark on the track; rewinding shows the past and playing on replays it', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&seed=3&speed=5');
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 10_000 }).toBeGreaterThan(10);
  const live = await scrubber(page);
  expect(live.atS).toBeCloseTo(live.headS, 0);

  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(loggedOutRows(page).first()).toBeVisible();
  await page.waitForTimeout(2_000);

  // The mark sits on the track, and focusing it does not throw the page sideways.
  const mark = page.getByRole('button', { name: /^Rewind to before Server 2 failed at [\d.]+ s$/ });
  await expect(mark).toHaveCount(1);
  const track = (await page.locator('.timeline-track').boundingBox())!;
  const markBox = (await mark.boundingBox())!;
  expect(markBox.x + markBox.width / 2).toBeGreaterThanOrEqual(track.x);
  expect(markBox.x + markBox.width / 2).toBeLessThanOrEqual(track.x + track.width);
  await mark.focus();
  expect(await page.evaluate(() => [window.scrollX, document.scrollingElement!.scrollLeft])).toEqual([0, 0]);
  // Only node buttons start with a server's label (contract §4).
  await expect(page.getByRole('button', { name: /^Server 2/ })).toHaveCount(1);

  await mark.click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  expect(await metric(page, 'Sessions lost')).toBe(0);
  await expect(loggedOutRows(page)).toHaveCount(0);
  await expect(page.locator('.caption')).not.toContainText('Server 2');
  const rewound = await scrubber(page);
  expect(rewound.headS).toBeGreaterThan(rewound.atS + 2);

  await page.getByRole('button', { name: 'Step back' }).click();
  await expect.poll(async () => (await scrubber(page)).atS).toBeCloseTo(rewound.atS - 1, 1);

  // Play on from the past: the recorded failure happens again, on the real clock.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(mark).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('Reset while paused clears the marks of the old run', async ({ page }) => {
  await page.goto('/#mode=stateless&seed=2&speed=5');
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 20_000 }).toBeGreaterThan(3);
  await page.getByRole('button', { name: /^Server 1, up/ }).click();
  await expect(page.getByRole('button', { name: /^Rewind to before Server 1 failed/ })).toHaveCount(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByRole('button', { name: /^Rewind to before/ })).toHaveCount(0);
  expect((await scrubber(page)).headS).toBe(0);
});

test("rewinding past You's login and playing on brings You back, logged in", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&seed=3&speed=4');
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 20_000 }).toBeGreaterThan(4);
  await page.getByRole('button', { name: 'You', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'You' });
  await expect(panel.getByRole('button', { name: 'Log in' })).toBeEnabled({ timeout: 15_000 });
  await panel.getByRole('button', { name: 'Log in' }).click();
  const you = page.locator('[data-client="you"]');
  await expect(you).toHaveAttribute('aria-label', /^You: logged in/);
  const loginAtS = (await scrubber(page)).atS;
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await scrubber(page)).atS, { timeout: 20_000 }).toBeGreaterThan(loginAtS + 3);

  // Back to the start: You had sent nothing yet.
  const slider = page.getByRole('slider', { name: 'Timeline' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(you).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(you).toHaveAttribute('aria-label', /^You: logged in/, { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test('What if… replays the run, then shows the same failure with sessions in a shared store', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&seed=3&speed=10');
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 20_000 }).toBeGreaterThan(20);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in a shared store?' });
  await expect(page.getByRole('button', { name: /^Server 2, (down|up, not yet)/ })).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('store'))).toBe('shared');
  expect(await metric(page, 'Sessions lost')).toBe(0);
  await expect(page.getByRole('button', { name: /^Rewind to before Server 2 failed/ })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('at 500 users the engine worker computes the what-ifs ahead: one answers at once, so does the one undoing it, and its past can be rewound', async ({
  page,
}) => {
  const errors = watchErrors(page);
  // 500 users: beyond what the page's own thread computes ahead; the engine worker does it.
  await page.goto('/#mode=stateful&seed=3&clients=500&speed=10');
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 20_000 }).toBeGreaterThan(15);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect.poll(() => metric(page, 'Sessions lost'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await scrubber(page)).headS, { timeout: 20_000 }).toBeGreaterThan(30);
  await expect(page.locator('select[aria-label="What if"][data-computed-ahead="true"]')).toHaveCount(1, {
    timeout: 20_000,
  });
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in a shared store?' });
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('store'))).toBe('shared');
  await expect(page.locator('progress[aria-label="What-if replay"]')).toHaveCount(0);
  expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringMatching(/engineWorker/));
  expect(await metric(page, 'Sessions lost')).toBe(0);

  // "And now back?": the what-if that undoes it is computed first, and brings the losses back.
  await expect(page.locator('select[aria-label="What if"][data-computed-ahead="true"]')).toHaveCount(1, {
    timeout: 20_000,
  });
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in node memory?' });
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('store'))).toBe('memory');
  await expect.poll(() => metric(page, 'Sessions lost')).toBeGreaterThan(0);
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in a shared store?' });
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('store'))).toBe('shared');
  expect(await metric(page, 'Sessions lost')).toBe(0);

  // The new run's past came with it: rewinding to before the failure and playing on replays it.
  await page.getByRole('button', { name: /^Rewind to before Server 2 failed/ }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 2, up/ })).toBeVisible();
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible({ timeout: 10_000 });
  await page.waitForTimeout(1_000);
  expect(await metric(page, 'Sessions lost')).toBe(0);
  expect(errors).toEqual([]);
});
