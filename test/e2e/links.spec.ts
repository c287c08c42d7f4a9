/**
 * Shareable links, the way a teacher uses them: a link pasted into the open tab does what opening it
 * fresh does; a number out of range is clamped to the limit with a notice; the address bar (and
 * Copy link) shows the corrected link, never the bad value; a wrong lesson or step says so; and a
 * hand-edited hash full of markup or emoji gives notices as plain text while the page keeps working.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

function hashParams(page: Page): URLSearchParams {
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}

const notices = (page: Page) => page.getByRole('status').locator('.notice');
/**
 * Every notice, read the way a teacher reads them: the strip shows a few at a time, so read the
 * first and dismiss it until none is left.
 */
async function readAndDismissNotices(page: Page): Promise<string[]> {
  await expect(notices(page).first()).toBeVisible();
  const texts: string[] = [];
  while ((await notices(page).count()) > 0 && texts.length < 10) {
    texts.push(await notices(page).first().locator('p').innerText());
    await page
      .getByRole('button', { name: /^Dismiss notice/ })
      .first()
      .click();
  }
  return texts;
}

const lessonStep = (page: Page) => page.getByRole('region', { name: 'Lesson' }).locator('.lesson-step');

const FAILURE_LINK =
  '#mode=compare&store=memory&sticky=1&lb=round-robin&nodes=3&clients=12&seed=3&speed=1&lesson=failure&step=2';

test('a lesson link pasted into the open tab opens that lesson at that step, as opening it fresh does', async ({
  page,
  context,
}) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&seed=5');
  await expect(page.getByRole('button', { name: /^Server 1, up/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lesson' })).toHaveCount(0);

  // Pasting into the address bar of the open tab: only the hash changes, the page is not reloaded.
  await page.goto(`/${FAILURE_LINK}`);
  await expect(lessonStep(page)).toHaveText('Step 2 of 4: Server 2 fails in both');
  await expect(page.getByText('Predict: Which side loses sessions, and how many?')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Compare', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('region', { name: 'Stateful (sessions)' })).toBeVisible();
  expect(hashParams(page).get('lesson')).toBe('failure');
  expect(hashParams(page).get('step')).toBe('2');

  // The same link opened fresh in another tab shows the same step.
  const fresh = await context.newPage();
  await fresh.goto(`/${FAILURE_LINK}`);
  await expect(lessonStep(fresh)).toHaveText('Step 2 of 4: Server 2 fails in both');
  await fresh.close();

  // Another step of the same lesson, pasted: the lesson moves there.
  await page.goto(`/${FAILURE_LINK.replace('step=2', 'step=4')}`);
  await expect(lessonStep(page)).toHaveText('Step 4 of 4: Server 2 comes back empty');
  // A link without a lesson: free play with that scenario.
  await page.goto('/#mode=stateless&seed=9');
  await expect(page.getByRole('region', { name: 'Lesson' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stateless (JWT)', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  expect(hashParams(page).has('lesson')).toBe(false);
  expect(errors).toEqual([]);
});

test('numbers out of range are clamped to the limits with a notice, and the address bar shows the limits', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&clients=5000&nodes=0&seed=7');
  await expect(page.getByRole('heading', { name: /^Clients 1000\b/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 1, up/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 2\b/ })).toHaveCount(0);
  expect(hashParams(page).get('clients')).toBe('1000');
  expect(hashParams(page).get('nodes')).toBe('1');
  expect(hashParams(page).get('seed')).toBe('7');
  expect(await readAndDismissNotices(page)).toEqual([
    '"nodes=0" is below the minimum; using nodes=1 (nodes goes from 1 to 12).',
    '"clients=5000" is above the maximum; using clients=1000 (clients goes from 1 to 1000).',
  ]);

  // Pasted into the open tab: a number too big for JavaScript, and a negative one.
  await page.goto(`/#mode=stateful&clients=-5&nodes=${'9'.repeat(400)}&seed=7`);
  await expect(page.getByRole('button', { name: /^Server 12\b/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Server 13\b/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Clients 1\b/ })).toBeVisible();
  expect(await readAndDismissNotices(page)).toEqual([
    `"nodes=${'9'.repeat(40)}…" is above the maximum; using nodes=12 (nodes goes from 1 to 12).`,
    '"clients=-5" is below the minimum; using clients=1 (clients goes from 1 to 1000).',
  ]);
  await expect.poll(() => hashParams(page).get('nodes')).toBe('12');
  expect(hashParams(page).get('clients')).toBe('1');
  // The page did not hang on the huge number: a click still fails a server.
  await page.getByRole('button', { name: /^Server 12, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 12, down/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test('Copy link after a bad link copies the corrected link, which opens without a notice', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchErrors(page);
  await page.goto('/#mode=stateless&clients=5000&lb=fastest&speed=fast&seed=4&colour=red');
  await expect(notices(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Link copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const params = new URLSearchParams(new URL(copied).hash.slice(1));
  expect(params.get('clients')).toBe('1000');
  expect(params.get('lb')).toBe('round-robin');
  expect(params.get('speed')).toBe('1');
  expect(params.get('mode')).toBe('stateless');
  expect(params.get('seed')).toBe('4');
  expect(params.get('colour')).toBe('red'); // not ours: carried along untouched

  const friend = await context.newPage();
  const friendErrors = watchErrors(friend);
  await friend.goto(copied);
  await expect(friend.getByRole('heading', { name: /^Clients 1000\b/ })).toBeVisible();
  await expect(friend.getByRole('button', { name: 'Stateless (JWT)', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(notices(friend)).toHaveCount(0);
  expect([...errors, ...friendErrors]).toEqual([]);
});

test('a link to a lesson that does not exist, or to a step past its end, says so and is corrected', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/#mode=stateful&seed=2&lesson=nope&step=2');
  await expect(notices(page).filter({ hasText: 'There is no lesson "nope".' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lesson' })).toHaveCount(0);
  await expect.poll(() => hashParams(page).has('lesson')).toBe(false);
  expect(hashParams(page).has('step')).toBe(false);
  expect(hashParams(page).get('seed')).toBe('2');
  await expect(page.getByRole('button', { name: /^Server 1, up/ })).toBeVisible();

  // Pasted into the open tab: a step past the end, then one that is not a number.
  await page.goto('/#mode=compare&seed=3&lesson=failure&step=99');
  await expect(
    notices(page).filter({ hasText: '"step=99" is past the last step of lesson "failure"; opening step 4 of 4.' }),
  ).toBeVisible();
  await expect(lessonStep(page)).toHaveText('Step 4 of 4: Server 2 comes back empty');
  await expect.poll(() => hashParams(page).get('step')).toBe('4');
  await page.goto('/#mode=compare&seed=3&lesson=failure&step=two');
  await expect(
    notices(page).filter({
      hasText: '"step=two" is not a step number (lesson "failure" has steps 1 to 4); opening step 1.',
    }),
  ).toBeVisible();
  await expect(lessonStep(page)).toHaveText('Step 1 of 4: Two clusters, same users');
  await expect.poll(() => hashParams(page).get('step')).toBe('1');
  expect(errors).toEqual([]);
});

test('a hand-edited hash with markup, emoji and wrong types gives plain-text notices and the page works', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    (window as unknown as { pwned: number }).pwned = 0;
  });
  const hash = new URLSearchParams({
    lb: '<script>window.pwned = 1</script>',
    nodes: '💥💥',
    clients: '9'.repeat(400),
    speed: '1e999',
    mode: 'stateful',
    lesson: '<img src=x onerror="window.pwned=2">',
    note: 'ünïcödé \u202e right-to-left',
  });
  await page.goto(`/#${hash.toString()}`);
  // The corrected link is in the address bar; the unknown key rides along unchanged.
  await expect.poll(() => hashParams(page).has('lesson')).toBe(false);
  expect(hashParams(page).get('lb')).toBe('round-robin');
  expect(hashParams(page).get('nodes')).toBe('3');
  expect(hashParams(page).get('clients')).toBe('1000');
  expect(hashParams(page).get('speed')).toBe('20');
  expect(hashParams(page).get('note')).toBe('ünïcödé \u202e right-to-left');

  // Text, not HTML: no element was made from what was typed, and nothing ran.
  await expect(notices(page)).toHaveCount(3);
  await expect(page.locator('.notices img, .notices script')).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0);
  expect(await readAndDismissNotices(page)).toEqual([
    '"lb=<script>window.pwned = 1</script>" is not valid (lb takes round-robin, least-connections or random); using lb=round-robin.',
    '"nodes=💥💥" is not valid (nodes takes a whole number from 1 to 12); using nodes=3.',
    `"clients=${'9'.repeat(40)}…" is above the maximum; using clients=1000 (clients goes from 1 to 1000).`,
    '"speed=1e999" is above the maximum; using speed=20 (speed goes from 0.25 to 20).',
    'There is no lesson "<img src=x onerror="window.pwned=2">".',
  ]);
  expect(await page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(0);

  // And the page works.
  await expect(notices(page)).toHaveCount(0);
  await page.getByRole('button', { name: /^Server 2, up/ }).click();
  await expect(page.getByRole('button', { name: /^Server 2, down/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Clients 1000\b/ })).toBeVisible();
  expect(errors).toEqual([]);
});
