/**
 * The loss receipt in the page: a crash opens a table saying what each user lost, beside what the
 * same users would have lost with a shared store, replication or JWTs; its numbers agree with the
 * run's own metrics and client column; it closes and comes back; a rewind to before the crash hides it.
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';

async function metric(page: Page, label: string): Promise<number> {
  const text = await page.getByRole('region', { name: 'Metrics' }).first().innerText();
  const match = new RegExp(`${label}\\s*(\\d+)`).exec(text);
  if (match === null) throw new Error(`"${label}" not in Metrics: ${text}`);
  return Number(match[1]);
}

/** The totals row's cell under the column whose heading starts with `heading`. */
async function total(receipt: Locator, heading: string): Promise<string> {
  const headings = await receipt.getByRole('columnheader').allInnerTexts();
  const index = headings.findIndex((text) => text.startsWith(heading));
  expect(index, `column "${heading}" in ${headings.join(' | ')}`).toBeGreaterThan(0);
  return receipt.locator('tfoot tr').locator('th, td').nth(index).innerText();
}

function count(text: string, what: RegExp): number {
  const match = what.exec(text);
  return match === null ? 0 : Number(match[1]);
}

test('a crash opens a receipt whose numbers are the run’s own, beside what the other setups would have lost', async ({
  page,
}) => {
  await page.goto('/#mode=stateful&seed=7&clients=12&speed=4');
  // Let the users log in and fill their carts first.
  await expect
    .poll(
      async () =>
        Number.parseFloat((await page.getByRole('slider', { name: 'Timeline' }).getAttribute('aria-valuetext')) ?? '0'),
      {
        timeout: 15_000,
      },
    )
    .toBeGreaterThan(12);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: /^Server 2, up/ }).click();

  const receipt = page.getByRole('dialog', { name: /^Loss receipt — Server 2 crashed at [\d.]+ s$/ });
  await expect(receipt).toBeVisible();
  await expect(receipt.getByRole('table')).toBeVisible({ timeout: 15_000 });
  await expect(receipt.getByRole('columnheader', { name: /Node memory.*this run/ })).toBeVisible();
  // Computed off the page's thread: the replays never take time from the frames the room watches.
  expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringMatching(/engineWorker/));

  // This run: the receipt counts what the metrics and the client column show.
  const memory = await total(receipt, 'Node memory');
  const loggedOut = count(memory, /(\d+) users? logged out/);
  expect(loggedOut).toBeGreaterThan(0);
  await expect(page.getByRole('listitem', { name: /: logged out/ })).toHaveCount(loggedOut);
  expect(count(memory, /(\d+) cart items? lost/)).toBe(await metric(page, 'Cart items lost'));
  // One row per user who lost something, with their name.
  const rows = receipt.locator('tbody tr');
  await expect(rows).toHaveCount(loggedOut);
  await expect(rows.first().getByRole('rowheader')).toHaveText(/^\w+$/);

  // The same users, the same crash, replayed elsewhere: nothing lost.
  for (const heading of ['Shared store', 'Replicated', 'JWTs'])
    expect(await total(receipt, heading)).toBe('Nothing lost');

  // Closed, it waits behind a button; opened again, it is the same receipt.
  await receipt.getByRole('button', { name: 'Close loss receipt' }).click();
  await expect(receipt).toBeHidden();
  // The button that brings it back waits among the teaching buttons, with the keyboard's focus.
  const reopen = page.getByRole('navigation', { name: 'Teaching' }).getByRole('button', { name: 'Loss receipt' });
  await expect(reopen).toBeFocused();
  // Once: played on with the focus elsewhere, it does not take the focus back.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.waitForTimeout(1_000);
  await expect(reopen).not.toBeFocused();
  await page.keyboard.press('Space');
  await reopen.focus();
  await page.keyboard.press('Enter');
  expect(await total(receipt, 'Node memory')).toBe(memory);

  // Rewound to before the crash, there is nothing to account for.
  await page.getByRole('button', { name: /^Rewind to before Server 2 failed at [\d.]+ s$/ }).click();
  await expect(receipt).toBeHidden();
  await expect(page.getByRole('button', { name: 'Loss receipt' })).toHaveCount(0);
});

/** Whether `a` and `b` overlap on screen. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const x = (await a.boundingBox())!;
  const y = (await b.boundingBox())!;
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

/** The smallest type in the receipt, in px. */
function smallestType(receipt: Locator): Promise<number> {
  return receipt.evaluate((root) =>
    Math.min(
      ...[...root.querySelectorAll('h2, th, td, span, button')].map((el) => parseFloat(getComputedStyle(el).fontSize)),
    ),
  );
}

test('in projector mode the receipt is readable from the back row and covers no node or metric', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#mode=stateful&seed=7&clients=12&speed=4');
  await page.getByRole('button', { name: 'Projector' }).click();
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  const receipt = page.getByRole('dialog', { name: /^Loss receipt — Server 2 crashed/ });
  await expect(receipt.getByRole('table')).toBeVisible({ timeout: 15_000 });
  // Where the room settles: the receipt is placed again in the frame after the nodes move (it
  // failed once in a local run of three specs, reading the boxes in between).
  for (const other of [
    ...(await page.getByRole('button', { name: /^Server \d/ }).all()),
    page.getByRole('region', { name: 'Metrics' }),
  ])
    await expect
      .poll(() => overlap(receipt, other), { message: `the receipt covers ${await other.getAttribute('aria-label')}` })
      .toBe(false);
  expect(await smallestType(receipt)).toBeGreaterThanOrEqual(14);
});

test('in Compare, where the stage has no room beside the nodes, the receipt opens when asked', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#mode=compare&seed=7&clients=12&speed=4');
  await page.waitForTimeout(3_000);
  await page
    .getByRole('button', { name: /^Server 2, up/ })
    .first()
    .click();
  const receipt = page.getByRole('dialog', { name: /^Loss receipt — Server 2 crashed/ });
  await expect(receipt).toHaveCount(0);
  for (const node of await page.getByRole('button', { name: /^Server \d/ }).all())
    expect(await overlap(page.getByRole('button', { name: 'Loss receipt' }), node)).toBe(false);
  await page.getByRole('button', { name: 'Loss receipt' }).click();
  await expect(receipt.getByRole('table')).toBeVisible({ timeout: 15_000 });
  // Both clusters are this run: sessions in node memory, and JWTs.
  await expect(receipt.getByRole('columnheader', { name: /this run/ })).toHaveCount(2);
  expect(await total(receipt, 'JWTs')).toBe('Nothing lost');
  expect(await smallestType(receipt)).toBeGreaterThanOrEqual(14);
});

test('a what-if that moves the sessions keeps the receipt: the same numbers, "this run" moves to the new column', async ({
  page,
}) => {
  await page.goto('/#mode=stateful&seed=7&clients=12&speed=4');
  await expect
    .poll(async () =>
      Number.parseFloat((await page.getByRole('slider', { name: 'Timeline' }).getAttribute('aria-valuetext')) ?? '0'),
    )
    .toBeGreaterThan(12);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  const receipt = page.getByRole('dialog', { name: /^Loss receipt — Server 2 crashed at [\d.]+ s$/ });
  await expect(receipt.getByRole('table')).toBeVisible({ timeout: 15_000 });
  await expect(receipt.getByRole('columnheader', { name: /Node memory.*this run/ })).toBeVisible();
  const memory = await total(receipt, 'Node memory');

  // Closed, then the what-if: the same crash in the same run, so the receipt stays closed and is not replayed.
  await receipt.getByRole('button', { name: 'Close loss receipt' }).click();
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in a shared store?' });
  await expect.poll(() => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('store'))).toBe('shared');
  await page.waitForTimeout(1_000);
  await expect(receipt).toBeHidden();
  await page.getByRole('navigation', { name: 'Teaching' }).getByRole('button', { name: 'Loss receipt' }).click();
  await expect(receipt.getByRole('table')).toBeVisible();
  await expect(receipt.getByText(/Replaying the same users/)).toHaveCount(0);
  await expect(receipt.getByRole('columnheader', { name: /Shared store.*this run/ })).toBeVisible();
  await expect(receipt.getByRole('columnheader', { name: /Node memory.*this run/ })).toHaveCount(0);
  expect(await total(receipt, 'Node memory')).toBe(memory);
  expect(await total(receipt, 'Shared store')).toBe('Nothing lost');
});
