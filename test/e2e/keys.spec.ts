/**
 * Every key in the help, pressed the way a teacher does in the real page (built dist, Chromium,
 * real clock running): after a click (the button keeps the focus), with a dialog open, after a
 * node was removed, in Compare with failures unlinked, in projector mode. Each test asserts what
 * the room sees: server button names, the Play / Pause button, the speed, the clock, dialogs.
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const server = (scope: Page | Locator, n: number, state: 'up' | 'down'): Locator =>
  scope.getByRole('button', { name: new RegExp(`^Server ${n}, ${state}`) });
const playButton = (page: Page): Locator => page.getByRole('button', { name: 'Play', exact: true });
const pauseButton = (page: Page): Locator => page.getByRole('button', { name: 'Pause', exact: true });
const pane = (page: Page, name: 'Stateless (JWT)' | 'Stateful (sessions)'): Locator =>
  page.getByRole('region', { name });
const modeButton = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true });

/** The simulated clock beside the timeline, in seconds ("12.3 s", or "12.3 s / 40.0 s" when rewound). */
async function clock(page: Page): Promise<number> {
  const text = await page.locator('.timeline-time').innerText();
  const match = /(\d+(?:\.\d+)?) s/.exec(text);
  if (match === null) throw new Error(`no clock in "${text}"`);
  return Number(match[1]);
}

/** The clock once a pause has landed (the last frame's numbers are published within 250 ms). */
async function settledClock(page: Page): Promise<number> {
  await page.waitForTimeout(500);
  return clock(page);
}

/** Opens the page and waits until the run is playing and its servers are drawn. */
async function open(page: Page, hash: string): Promise<void> {
  await page.goto(`/#${hash}`);
  await expect(page.getByRole('button', { name: /^Server 1, / }).first()).toBeVisible();
  await expect(pauseButton(page)).toBeVisible();
  await expect.poll(() => clock(page)).toBeGreaterThan(0.5);
}

test.describe('keys after a click: the focused control does not take them', () => {
  test('Space right after clicking a server pauses and plays; it never toggles the server again; Enter does', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    await server(page, 2, 'up').click();
    await expect(server(page, 2, 'down')).toBeVisible();
    await expect(server(page, 2, 'down')).toBeFocused();

    await page.keyboard.press(' ');
    await expect(playButton(page)).toBeVisible();
    await expect(server(page, 2, 'down')).toBeVisible();
    await page.keyboard.press(' ');
    await expect(pauseButton(page)).toBeVisible();
    await expect(server(page, 2, 'down')).toBeVisible();

    // A keyboard user activates the focused server with Enter, as the README says.
    await page.keyboard.press('Enter');
    await expect(server(page, 2, 'up')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('→ right after clicking a button pauses and steps one simulated second', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateless&seed=4');
    await server(page, 1, 'up').click();
    await expect(server(page, 1, 'down')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(playButton(page)).toBeVisible();
    const at = await settledClock(page);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => clock(page)).toBeCloseTo(at + 1, 5);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => clock(page)).toBeCloseTo(at + 2, 5);
    await expect(server(page, 1, 'down')).toBeVisible(); // → did not click it
    expect(errors).toEqual([]);
  });

  test('a Speed slider dragged with the mouse keeps neither → nor Page Down: they step and turn the lesson page', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4&lesson=failure&step=1');
    const bar = page.getByRole('region', { name: 'Lesson' });
    await expect(bar).toContainText('Step 1 of 4');
    const speed = page.getByRole('slider', { name: 'Speed' });
    await speed.fill('2');
    await speed.click({ position: { x: 2, y: 2 } }); // the teacher grabs the slider: it has the focus
    await expect(speed).toBeFocused();
    const value = await speed.inputValue();
    await page.keyboard.press('PageDown');
    await expect(bar).toContainText('Step 2 of 4');
    await expect(speed).toHaveValue(value);
    await page.keyboard.press('PageUp');
    await expect(bar).toContainText('Step 1 of 4');
    await expect(speed).toHaveValue(value);
    expect(errors).toEqual([]);
  });
});

test('C twice returns to the mode you came from', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'mode=stateless&seed=4');
  await page.keyboard.press('c');
  await expect(modeButton(page, 'Compare')).toHaveAttribute('aria-pressed', 'true');
  await expect(pane(page, 'Stateless (JWT)')).toBeVisible();
  await expect(pane(page, 'Stateful (sessions)')).toBeVisible();
  await page.keyboard.press('c');
  await expect(modeButton(page, 'Stateless (JWT)')).toHaveAttribute('aria-pressed', 'true');

  await modeButton(page, 'Stateful (sessions)').click();
  await expect(modeButton(page, 'Stateful (sessions)')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('C');
  await expect(modeButton(page, 'Compare')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('C');
  await expect(modeButton(page, 'Stateful (sessions)')).toHaveAttribute('aria-pressed', 'true');
  expect(errors).toEqual([]);
});

test('digits do nothing behind an open dialog (help, lessons); the dialog keeps its own keys', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'mode=stateful&seed=4');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await page.keyboard.press('2');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(server(page, 2, 'up')).toBeVisible();

  await page.keyboard.press('l');
  const lessons = page.getByRole('dialog', { name: 'Guided lessons' });
  await expect(lessons).toBeVisible();
  await page.keyboard.press('3');
  await page.keyboard.press('1');
  await page.keyboard.press('l');
  await expect(lessons).toHaveCount(0);
  await expect(server(page, 3, 'up')).toBeVisible();
  await expect(server(page, 1, 'up')).toBeVisible();
  await expect(pauseButton(page)).toBeVisible();
  expect(errors).toEqual([]);
});

test('B then B (and . / Esc) leave the run as it was before blanking: paused stays paused', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'mode=stateful&seed=4');
  const blank = page.getByRole('status', { name: /Screen blanked/ });
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  const pausedAt = await settledClock(page);

  await page.keyboard.press('b');
  await expect(blank).toBeVisible();
  await page.keyboard.press('b');
  await expect(blank).toHaveCount(0);
  await expect(playButton(page)).toBeVisible();
  await page.keyboard.press('.');
  await expect(blank).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(blank).toHaveCount(0);
  await expect(playButton(page)).toBeVisible();
  await page.waitForTimeout(1_000); // a playing run would have moved on by now
  expect(await clock(page)).toBe(pausedAt);

  // Playing before: blanking pauses (the clock stops behind the black screen), leaving plays on.
  await page.keyboard.press(' ');
  await expect(pauseButton(page)).toBeVisible();
  await page.keyboard.press('.');
  await expect(blank).toBeVisible();
  await page.keyboard.press('2'); // nothing behind the black screen
  await page.keyboard.press('B');
  await expect(blank).toHaveCount(0);
  await expect(pauseButton(page)).toBeVisible();
  await expect(server(page, 2, 'up')).toBeVisible();
  const playingAt = await clock(page);
  await expect.poll(() => clock(page)).toBeGreaterThan(playingAt);
  expect(errors).toEqual([]);
});

test.describe('digits act on a server by its label after a node was removed', () => {
  /** Add node, remove it (it drains and goes), add again: the servers are 1, 2, 3 and 5. */
  async function makeGap(page: Page, scope: Page | Locator): Promise<void> {
    await page.getByRole('button', { name: 'Add node' }).click();
    await expect(scope.getByRole('button', { name: /^Server 4, / }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Remove node' }).click();
    await expect(scope.getByRole('button', { name: /^Server 4, / })).toHaveCount(0, { timeout: 20_000 });
    await page.getByRole('button', { name: 'Add node' }).click();
    await expect(scope.getByRole('button', { name: /^Server 5, / }).first()).toBeVisible();
  }

  test('one cluster: 4 says there is no Server 4 and fails nothing; 5 fails Server 5', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4&nodes=3');
    await makeGap(page, page);
    await page.keyboard.press('4');
    await expect(page.getByRole('status').filter({ hasText: 'There is no Server 4' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Server \d, down/ })).toHaveCount(0);
    await page.keyboard.press('5');
    await expect(server(page, 5, 'down')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('Compare: the same, in both clusters', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=compare&seed=4&nodes=3');
    await makeGap(page, pane(page, 'Stateful (sessions)'));
    await expect(pane(page, 'Stateless (JWT)').getByRole('button', { name: /^Server 5, / })).toBeVisible();
    await page.keyboard.press('4');
    await expect(page.getByRole('status').filter({ hasText: 'There is no Server 4' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Server \d, down/ })).toHaveCount(0);
    await page.keyboard.press('5');
    for (const name of ['Stateless (JWT)', 'Stateful (sessions)'] as const)
      await expect(server(pane(page, name), 5, 'down')).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test('Compare with Link failures off: digits act on the cluster last clicked (Stateful first), as the help says', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await open(page, 'mode=compare&seed=3');
  const stateless = pane(page, 'Stateless (JWT)');
  const stateful = pane(page, 'Stateful (sessions)');
  // Linked (the default): one key, both clusters.
  await page.keyboard.press('3');
  await expect(server(stateless, 3, 'down')).toBeVisible();
  await expect(server(stateful, 3, 'down')).toBeVisible();
  await page.keyboard.press('3');
  await expect(server(stateless, 3, 'up')).toBeVisible();
  await expect(server(stateful, 3, 'up')).toBeVisible();

  // By keyboard: Enter ticks the focused checkbox; Space still plays and pauses.
  const link = page.getByRole('checkbox', { name: 'Link failures' });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(link).not.toBeChecked();
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  await expect(link).not.toBeChecked();
  await page.keyboard.press(' ');
  await expect(pauseButton(page)).toBeVisible();
  await page.keyboard.press('1');
  await expect(server(stateful, 1, 'down')).toBeVisible();
  await expect(server(stateless, 1, 'up')).toBeVisible();

  await server(stateless, 2, 'up').click(); // the teacher now works in the Stateless pane
  await expect(server(stateless, 2, 'down')).toBeVisible();
  await expect(server(stateful, 2, 'up')).toBeVisible();
  await page.keyboard.press('1');
  await expect(server(stateless, 1, 'down')).toBeVisible();
  await expect(server(stateful, 1, 'down')).toBeVisible(); // untouched, still down from before

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('with Link failures off, only on the one you last clicked');
  await expect(help).toContainText('Now: Stateless (JWT)');
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});

test.describe('every key in the help, with the real clock running (1280×720)', () => {
  test('1 – 9 fail and recover Server 1 … Server 9', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4&nodes=9');
    for (let n = 1; n <= 9; n++) {
      await page.keyboard.press(String(n));
      await expect(server(page, n, 'down')).toBeVisible();
    }
    for (let n = 9; n >= 1; n--) {
      await page.keyboard.press(String(n));
      await expect(server(page, n, 'up')).toBeVisible();
    }
    expect(errors).toEqual([]);
  });

  test('Space pauses (the clock stops) and plays (it moves again)', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateless&seed=4');
    await page.keyboard.press(' ');
    await expect(playButton(page)).toBeVisible();
    const at = await settledClock(page);
    await page.waitForTimeout(1_000);
    expect(await clock(page)).toBe(at);
    await page.keyboard.press(' ');
    await expect(pauseButton(page)).toBeVisible();
    await expect.poll(() => clock(page)).toBeGreaterThan(at);
    expect(errors).toEqual([]);
  });

  test('→ pauses and steps one simulated second per press', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    await page.keyboard.press('ArrowRight');
    await expect(playButton(page)).toBeVisible();
    const at = await settledClock(page);
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => clock(page)).toBeCloseTo(at + i, 5);
    }
    expect(errors).toEqual([]);
  });

  test('+ and − change the speed through its stops', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    const shown = page.locator('.speed-value');
    const slider = page.getByRole('slider', { name: 'Speed' });
    await expect(shown).toHaveText('1×');
    await page.keyboard.press('+');
    await expect(shown).toHaveText('2×');
    await page.keyboard.press('+');
    await expect(shown).toHaveText('5×');
    await expect(slider).toHaveAttribute('aria-valuetext', '5×');
    for (const expected of ['2×', '1×', '0.5×', '0.25×', '0.25×']) {
      await page.keyboard.press('-');
      await expect(shown).toHaveText(expected);
    }
    expect(errors).toEqual([]);
  });

  test('L opens and closes the lessons; Page Down / Page Up walk a lesson', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    const dialog = page.getByRole('dialog', { name: 'Guided lessons' });
    await page.keyboard.press('L');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('l');
    await expect(dialog).toHaveCount(0);
    await page.keyboard.press('l');
    await dialog.getByRole('button', { name: /A node fails/ }).click();
    await expect(dialog).toHaveCount(0);
    const bar = page.getByRole('region', { name: 'Lesson' });
    await expect(bar).toContainText('Step 1 of 4');
    await page.keyboard.press('PageDown'); // step 2 asks the room to predict first
    await expect(bar).toContainText('Step 2 of 4');
    await expect(bar).toContainText('Predict');
    await page.keyboard.press('PageDown'); // the reveal
    await expect(bar).toContainText(/Stateful lost \d+ sessions/);
    await page.keyboard.press('PageDown');
    await expect(bar).toContainText('Step 3 of 4');
    await page.keyboard.press('PageUp');
    await expect(bar).toContainText('Step 2 of 4');
    expect(errors).toEqual([]);
  });

  test('P turns projector mode on and off', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    const projector = page.getByRole('button', { name: 'Projector' });
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveClass(/\bprojector\b/);
    await expect(projector).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('button', { name: 'Copy link' })).toBeHidden();
    await page.keyboard.press('P');
    await expect(page.locator('html')).not.toHaveClass(/\bprojector\b/);
    await expect(projector).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('F asks for full screen (headless may refuse) without an error, and F again leaves it', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    await page.keyboard.press('f');
    await page.waitForTimeout(300);
    const full = await page.evaluate(() => document.fullscreenElement !== null);
    await page.keyboard.press('f');
    if (full) await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
    await expect(pauseButton(page)).toBeVisible();
    await expect(server(page, 1, 'up')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('? opens the help listing every key; ? or Esc closes it', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, 'mode=stateful&seed=4');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await page.keyboard.press('?');
    await expect(help).toBeVisible();
    for (const does of ['play / pause', 'faster / slower', 'projector mode', 'full screen', 'close what is open'])
      await expect(help).toContainText(does);
    await page.keyboard.press('?');
    await expect(help).toHaveCount(0);
    await page.keyboard.press('?');
    await expect(help).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
    await expect(pauseButton(page)).toBeVisible(); // Esc closed the help and nothing else
    expect(errors).toEqual([]);
  });
});

test('projector mode at 1920×1080: digits, Space, → and + work as in the normal view', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await open(page, 'mode=stateful&seed=4');
  await page.keyboard.press('p');
  await expect(page.locator('html')).toHaveClass(/\bprojector\b/);
  await server(page, 2, 'up').click();
  await expect(server(page, 2, 'down')).toBeVisible();
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  await expect(server(page, 2, 'down')).toBeVisible();
  await page.keyboard.press('3');
  await expect(server(page, 3, 'down')).toBeVisible();
  const at = await clock(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => clock(page)).toBeCloseTo(at + 1, 5);
  await page.keyboard.press('+');
  await expect(page.getByRole('slider', { name: 'Speed' })).toHaveAttribute('aria-valuetext', '2×');
  await page.keyboard.press('b');
  await expect(page.getByRole('status', { name: /Screen blanked/ })).toBeVisible();
  await page.keyboard.press('b');
  await expect(playButton(page)).toBeVisible();
  expect(errors).toEqual([]);
});

test('Compare at 1280×720: Space, →, digits in both panes, C back out', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, 'mode=stateful&seed=4');
  await page.keyboard.press('c');
  await expect(modeButton(page, 'Compare')).toHaveAttribute('aria-pressed', 'true');
  await expect(pauseButton(page)).toBeVisible();
  await server(pane(page, 'Stateful (sessions)'), 1, 'up').click();
  for (const name of ['Stateless (JWT)', 'Stateful (sessions)'] as const)
    await expect(server(pane(page, name), 1, 'down')).toBeVisible();
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  for (const name of ['Stateless (JWT)', 'Stateful (sessions)'] as const)
    await expect(server(pane(page, name), 1, 'down')).toBeVisible();
  await page.keyboard.press('2');
  for (const name of ['Stateless (JWT)', 'Stateful (sessions)'] as const)
    await expect(server(pane(page, name), 2, 'down')).toBeVisible();
  const at = await clock(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => clock(page)).toBeCloseTo(at + 1, 5);
  await page.keyboard.press('c');
  await expect(modeButton(page, 'Stateful (sessions)')).toHaveAttribute('aria-pressed', 'true');
  expect(errors).toEqual([]);
});
