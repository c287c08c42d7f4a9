/**
 * Every lesson walked from its first step to its last in Chromium, as a teacher does it: the real
 * clock running, a presenter remote's Page Down (which reveals a prediction first), at 1280×720,
 * in projector mode at 1920×1080 (and a Compare lesson in projector mode at 1280×720), and the
 * Compare lessons at 1920×1080. At each step: the step counter, the step's text as the
 * caption's first line (kept there while engine events arrive on the second line), the ringed
 * look target on screen, and the numbers the step's words claim, read from the page.
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { LESSONS } from '../../src/lessons/lessons';
import type { Lesson, LessonStep, LookAt } from '../../src/lessons/types';

const RING = 'rgb(204, 121, 167)';
const PANES = { stateless: 'Stateless (JWT)', stateful: 'Stateful (sessions)' } as const;
type Pane = keyof typeof PANES;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

// --- reading the page -------------------------------------------------------------------------

/** Where a cluster's things are: the page (one cluster) or its pane (Compare). */
function scope(page: Page, pane?: Pane): Page | Locator {
  return pane === undefined ? page : page.getByRole('region', { name: PANES[pane] });
}

/** A number printed after its label in a Metrics region ("Sessions lost 17"). */
async function metric(page: Page, label: string, pane?: Pane): Promise<number> {
  const value = scope(page, pane)
    .getByRole('region', { name: 'Metrics' })
    .locator(`xpath=.//dt[normalize-space()="${label}"]/following-sibling::dd[1]`);
  return Number((await value.innerText()).trim());
}

/** A figure of the Compare summary table, by row and column header. */
async function summary(page: Page, row: Pane, column: string): Promise<number> {
  const table = page.getByRole('table', { name: 'Compare summary' });
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const index = headers.findIndex((h) => h.trim() === column);
  expect(index, `column ${column}`).toBeGreaterThan(0);
  const cell = table
    .getByRole('row', { name: new RegExp(`^${PANES[row].replace(/[()]/g, '\\$&')}`) })
    .getByRole('cell')
    .nth(index - 1);
  return Number.parseFloat(await cell.innerText());
}

/** A failed-by-status count ("503: 4"). */
async function failedWith(page: Page, status: number): Promise<number> {
  const chip = page.getByRole('region', { name: 'Metrics' }).getByText(new RegExp(`^${status}: \\d+$`));
  return Number((await chip.innerText()).split(':')[1]);
}

/** Requests per second of a node (the "Requests per node" table). */
async function rate(page: Page, server: string): Promise<number> {
  const row = page
    .getByRole('table', { name: 'Requests per node' })
    .getByRole('row', { name: new RegExp(`^${server}\\b`) });
  return Number.parseFloat(await row.getByRole('cell').first().innerText());
}

function server(page: Page, label: string, pane?: Pane): Locator {
  return scope(page, pane).getByRole('button', { name: new RegExp(`^${label},`) });
}

function sessionsOn(card: Locator): Promise<number> {
  return card.innerText().then((text) => Number(/(\d+) sessions?\b/.exec(text)?.[1] ?? Number.NaN));
}

const poll = (fn: () => Promise<number>, message: string) => expect.poll(fn, { message, timeout: 20_000 });

// --- the ring ---------------------------------------------------------------------------------

interface Ringed {
  id: string;
  width: number;
  height: number;
  inViewport: boolean;
  shownFraction: number;
  visible: boolean;
  coveredBy: string | null;
}

/** Every element wearing the lesson ring, with how much of it the room can see. */
function ringed(page: Page): Promise<Ringed[]> {
  return page.evaluate((ring) => {
    const found: Ringed[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('[data-look-id]')) {
      const style = getComputedStyle(element);
      const worn =
        (style.outlineStyle !== 'none' && style.outlineColor === ring && Number.parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow.includes(ring);
      if (!worn) continue;
      const rect = element.getBoundingClientRect();
      let left = rect.left,
        top = rect.top,
        right = rect.right,
        bottom = rect.bottom;
      // What a scrolling or clipping ancestor cuts off is not on screen either.
      for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) {
        const s = getComputedStyle(parent);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const clip = parent.getBoundingClientRect();
        left = Math.max(left, clip.left);
        top = Math.max(top, clip.top);
        right = Math.min(right, clip.right);
        bottom = Math.min(bottom, clip.bottom);
      }
      left = Math.max(left, 0);
      top = Math.max(top, 0);
      right = Math.min(right, window.innerWidth);
      bottom = Math.min(bottom, window.innerHeight);
      const area = rect.width * rect.height;
      // Nothing else drawn over its middle (a moving packet's canvas aside).
      const hit = document.elementFromPoint((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);
      const covered = hit !== null && !element.contains(hit) && !hit.contains(element) && hit.tagName !== 'CANVAS';
      found.push({
        coveredBy: covered ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}` : null,
        id: element.dataset.lookId!,
        width: rect.width,
        height: rect.height,
        inViewport:
          rect.left >= -1 &&
          rect.top >= -1 &&
          rect.right <= window.innerWidth + 1 &&
          rect.bottom <= window.innerHeight + 1,
        shownFraction: area === 0 ? 0 : (Math.max(0, right - left) * Math.max(0, bottom - top)) / area,
        visible: element.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
      });
    }
    return found;
  }, RING);
}

/** The look-id(s) a step's words point at: Compare shows detail numbers in its summary table. */
function expectedLook(look: LookAt, compare: boolean): RegExp {
  switch (look.kind) {
    case 'node':
      return new RegExp(`^node:${look.node}$`);
    case 'metric':
      return compare && !['sessionsLost', 'failed'].includes(look.metric)
        ? new RegExp(`^summary:${look.metric}$`)
        : new RegExp(`^metric:${look.metric}$`);
    default:
      return new RegExp(`^${look.kind}$`);
  }
}

async function expectRingOnScreen(
  page: Page,
  look: LookAt | undefined,
  compare: boolean,
  where: string,
): Promise<void> {
  if (look === undefined) return;
  const pattern = expectedLook(look, compare);
  await expect
    .poll(async () => (await ringed(page)).filter((r) => pattern.test(r.id)).length, {
      message: `${where}: something wears the ring (${pattern})`,
    })
    .toBeGreaterThan(0);
  const all = await ringed(page);
  for (const target of all) {
    expect(target.id, `${where}: only the step's target is ringed`).toMatch(pattern);
    expect(target.visible, `${where}: ${target.id} is shown`).toBe(true);
    expect(target.width * target.height, `${where}: ${target.id} has a size`).toBeGreaterThan(0);
    expect(target.inViewport, `${where}: ${target.id} lies inside the viewport`).toBe(true);
    expect(target.shownFraction, `${where}: ${target.id} is not cut off`).toBeGreaterThan(0.95);
    expect(target.coveredBy, `${where}: nothing covers ${target.id}`).toBeNull();
  }
}

// --- the caption ------------------------------------------------------------------------------

function captionLines(page: Page) {
  const caption = page.getByRole('group', { name: 'Caption' });
  return { step: caption.locator('p').nth(0), event: caption.locator('p').nth(1) };
}

async function expectCaption(page: Page, step: LessonStep, where: string): Promise<void> {
  const { step: line } = captionLines(page);
  await expect(line, `${where}: the caption shows the step's text`).toHaveText(step.caption);
  const cut = await line.evaluate(
    (element) => element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1,
  );
  expect(cut, `${where}: the step's text is not cut off`).toBe(false);
  const box = await line.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box !== null && box.y + box.height <= viewport.height + 1, `${where}: the step's text is on screen`).toBe(
    true,
  );
}

// --- what each step claims --------------------------------------------------------------------

type Claim = (page: Page) => Promise<void>;

const revealNumbers = async (page: Page, pattern: RegExp): Promise<number[]> => {
  const text = await page.getByRole('region', { name: 'Lesson' }).innerText();
  const match = pattern.exec(text);
  expect(match, `the revealed answer matches ${pattern}`).not.toBeNull();
  return match!.slice(1).map(Number);
};

/** Checked after the step is shown (and, for a prediction, revealed), with the clock running. */
const CLAIMS: Record<string, Claim> = {
  'stateless:0': async (page) => {
    await expect(page.getByRole('button', { name: 'Stateless (JWT)' })).toHaveAttribute('aria-pressed', 'true');
    expect(await metric(page, 'Failed requests')).toBe(0);
  },
  'stateless:1': async (page) => {
    // Round-robin: every node answers its share.
    for (const label of ['Server 1', 'Server 2', 'Server 3'])
      await poll(() => rate(page, label), `${label} gets requests`).toBeGreaterThan(0);
  },
  'stateless:2': async (page) => {
    await expect(server(page, 'Server 2')).toHaveAccessibleName(/^Server 2, down/);
    const [relogins, lost] = await revealNumbers(page, /(\d+) users had to log in again; (\d+) sessions were lost\./);
    expect([relogins, lost]).toEqual([0, 0]);
    await page.waitForTimeout(2_000);
    expect(await metric(page, 'Sessions lost')).toBe(0);
    expect(await metric(page, 'Sent back to login')).toBe(0);
  },
  'sticky:0': async (page) => {
    await poll(() => sessionsOn(server(page, 'Server 1')), 'Server 1 holds sessions in its memory').toBeGreaterThan(0);
  },
  'sticky:1': async (page) => {
    await expect(page.getByText('sticky routing', { exact: true })).toBeVisible();
    expect(await metric(page, 'Sent back to login')).toBe(0);
  },
  'sticky:2': async (page) => {
    await poll(() => metric(page, 'Sent back to login'), 'users are sent back to login').toBeGreaterThan(0);
    expect(await metric(page, 'Sessions lost'), 'with no failure at all').toBe(0);
    const [times] = await revealNumbers(page, /(\d+) times a user was sent back to login/);
    expect(times).toBeGreaterThan(0);
  },
  'failure:0': async (page) => {
    for (const pane of ['stateless', 'stateful'] as const)
      await expect(server(page, 'Server 2', pane)).toHaveAccessibleName(/^Server 2, up/);
  },
  'failure:1': async (page) => {
    for (const pane of ['stateless', 'stateful'] as const)
      await expect(server(page, 'Server 2', pane)).toHaveAccessibleName(/^Server 2, down/);
    const [sessions] = await revealNumbers(page, /Stateful lost (\d+) sessions and (\d+) cart items\./);
    expect(sessions).toBeGreaterThan(0);
    await poll(() => summary(page, 'stateful', 'Sessions lost'), 'the summary shows what the answer says').toBe(
      sessions,
    );
    expect(await summary(page, 'stateless', 'Sessions lost')).toBe(0);
    expect(await metric(page, 'Sessions lost', 'stateful')).toBe(sessions);
    // The engine's own line arrives below the step's text, which stays.
    await expect(captionLines(page).event).toHaveText(
      /^Server 2 went down: \d+ sessions? lost — .+ must log in again$/,
    );
  },
  'failure:2': async (page) => {
    for (const pane of ['stateless', 'stateful'] as const) {
      await expect(server(page, 'Server 2', pane), 'the balancer marks it down').toHaveAccessibleName(
        /^Server 2, down — click to recover$/,
        { timeout: 20_000 },
      );
    }
  },
  'failure:3': async (page) => {
    await expect(server(page, 'Server 2', 'stateful')).toHaveAccessibleName(/^Server 2, up/);
    expect(await sessionsOn(server(page, 'Server 2', 'stateful')), 'a restarted node has no sessions').toBe(0);
  },
  'store:0': async (page) => {
    const store = page.getByRole('button', { name: /^Session store, up/ });
    await expect(store).toBeVisible();
    await poll(() => sessionsOn(store), 'the store holds the sessions').toBeGreaterThan(0);
  },
  'store:1': async (page) => {
    await expect(server(page, 'Server 2')).toHaveAccessibleName(/^Server 2, down/);
    await page.waitForTimeout(2_000);
    expect(await metric(page, 'Sessions lost'), 'nothing lost').toBe(0);
  },
  'store:2': async (page) => {
    await expect(page.getByRole('button', { name: /^Session store, down/ })).toBeVisible();
    const [lost] = await revealNumbers(page, /Every session is gone: (\d+) lost\./);
    expect(lost).toBeGreaterThan(0);
    expect(await metric(page, 'Sessions lost')).toBe(lost);
    await poll(() => failedWith(page, 503), 'every node answers 503').toBeGreaterThan(0);
    await expect(captionLines(page).event).toHaveText(/^The session store failed/);
  },
  'store:3': async (page) => {
    await expect(page.getByRole('button', { name: /^Session store, up/ })).toBeVisible();
    await poll(() => metric(page, 'Sent back to login'), 'everyone has to log in again').toBeGreaterThan(0);
  },
  'scaling:0': async (page) => {
    await expect(page.getByRole('heading', { name: /^Clients 24\b/ })).toBeVisible();
  },
  'scaling:1': async (page) => {
    const added = server(page, 'Server 4');
    await expect(added, 'in the pool after two passing health checks').toHaveAccessibleName(
      /^Server 4, up — click to fail$/,
      { timeout: 20_000 },
    );
    await page.waitForTimeout(3_000);
    expect(await rate(page, 'Server 4'), 'almost no traffic: sticky users stay').toBeLessThan(1);
  },
  'scaling:2': async (page) => {
    await expect(server(page, 'Server 1')).toHaveCount(0);
    await poll(() => metric(page, 'Sessions lost'), 'its sessions go with it').toBeGreaterThan(0);
  },
  'scaling:3': async (page) => {
    await expect(page.getByRole('button', { name: 'Stateless (JWT)' })).toHaveAttribute('aria-pressed', 'true');
    await poll(() => rate(page, 'Server 4'), 'the new node gets its share at once').toBeGreaterThan(0);
    expect(await metric(page, 'Sessions lost')).toBe(0);
  },
  'tokens:0': async (page) => {
    const jwt = await summary(page, 'stateless', 'Bytes per request');
    const cookie = await summary(page, 'stateful', 'Bytes per request');
    expect(jwt - cookie, 'a token costs a few hundred bytes more than a cookie').toBeGreaterThan(150);
  },
  'tokens:1': async (page) => {
    expect(await summary(page, 'stateless', 'Failed requests'), 'renewal keeps every token valid').toBe(0);
  },
  'tokens:4': async (page) => {
    await expect(page.getByRole('button', { name: 'Stateless (JWT)' })).toHaveAttribute('aria-pressed', 'true');
    const store = page.getByRole('button', { name: /^Deny-list store, up/ });
    await expect(store).toContainText(/[1-9]\d* revoked tokens?/);
  },
  'tokens:5': async (page) => {
    await expect(page.getByRole('button', { name: /^Deny-list store, down/ })).toBeVisible();
    await poll(() => metric(page, 'Failed requests'), 'every request is refused').toBeGreaterThan(0);
    await poll(() => failedWith(page, 503), 'with 503').toBeGreaterThan(0);
    const [failed] = await revealNumbers(page, /(\d+) requests failed/);
    expect(failed).toBeGreaterThan(0);
    await expect(captionLines(page).event).toHaveText(/^The token deny-list store failed: no node can check a token/);
  },
};

// --- the walk ---------------------------------------------------------------------------------

async function walk(page: Page, lesson: Lesson, view: string): Promise<void> {
  const bar = page.getByRole('region', { name: 'Lesson' });
  await page.keyboard.press('l');
  const picker = page.getByRole('dialog', { name: 'Guided lessons' });
  // Every lesson is in view in the picker, none scrolled out of the dialog.
  for (const each of LESSONS) {
    const shown = await picker.getByRole('button', { name: each.title }).evaluate((button) => {
      const rect = button.getBoundingClientRect();
      const dialog = button.closest('[role="dialog"]')!.getBoundingClientRect();
      return (
        rect.top >= dialog.top - 1 &&
        rect.bottom <= dialog.bottom + 1 &&
        rect.bottom <= window.innerHeight &&
        rect.height > 0
      );
    });
    expect(shown, `${view}: lesson "${each.title}" is in view in the picker`).toBe(true);
  }
  await picker.getByRole('button', { name: lesson.title }).click();
  // The pointer leaves the picker's spot (over the stage now, where a hover card would open) as a
  // teacher's does when the lesson starts.
  await page.mouse.move(1, 1);
  for (let index = 0; index < lesson.steps.length; index++) {
    const step = lesson.steps[index]!;
    const where = `${view} ${lesson.id} step ${index + 1}`;
    if (index > 0) await page.keyboard.press('PageDown');
    await expect(bar).toContainText(`Step ${index + 1} of ${lesson.steps.length}`);
    await expect(page).toHaveURL(new RegExp(`lesson=${lesson.id}&step=${index + 1}\\b`));
    const compare = (await page.getByRole('button', { name: 'Compare' }).getAttribute('aria-pressed')) === 'true';
    await expectCaption(page, step, where);
    if (step.predict !== undefined) {
      await expect(bar).toContainText(`Predict: ${step.predict.question}`);
      await expect(
        page.getByRole('button', { name: 'Play', exact: true }),
        `${where}: paused while the room predicts`,
      ).toBeVisible();
      await expectRingOnScreen(page, step.predict.lookAt ?? step.lookAt, compare, `${where} (predicting)`);
      await page.keyboard.press('PageDown');
      await expect(
        bar.getByRole('button', { name: lesson.steps.length === index + 1 ? 'Finish' : 'Next' }),
      ).toBeVisible();
    }
    await expect(page.getByRole('button', { name: 'Pause', exact: true }), `${where}: the clock runs`).toBeVisible();
    await expectRingOnScreen(page, step.lookAt, compare, where);
    await CLAIMS[`${lesson.id}:${index}`]?.(page);
    // Engine events have come and gone meanwhile: the step's text is still the caption's first line.
    await expectCaption(page, step, `${where}, later`);
    await expectRingOnScreen(page, step.lookAt, compare, `${where}, later`);
  }
  await bar.getByRole('button', { name: 'Finish' }).click();
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Caption' })).toHaveCount(0);
}

async function start(page: Page, projector: boolean): Promise<string[]> {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: /^Server 1,/ })).toBeVisible();
  if (projector) {
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveClass(/\bprojector\b/);
  }
  return errors;
}

test.describe('every lesson at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });
  for (const lesson of LESSONS) {
    test(`${lesson.title}: first step to last`, async ({ page }) => {
      test.setTimeout(120_000);
      const errors = await start(page, false);
      await walk(page, lesson, '1280×720');
      expect(errors).toEqual([]);
    });
  }
});

test.describe('projector mode at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });
  for (const lesson of LESSONS) {
    test(`${lesson.title}: first step to last`, async ({ page }) => {
      test.setTimeout(120_000);
      const errors = await start(page, true);
      await walk(page, lesson, 'projector 1920×1080');
      expect(errors).toEqual([]);
    });
  }
});

test.describe('Compare lessons at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });
  for (const id of ['failure', 'tokens']) {
    const lesson = LESSONS.find((l) => l.id === id)!;
    test(`${lesson.title}: first step to last`, async ({ page }) => {
      test.setTimeout(120_000);
      const errors = await start(page, false);
      await walk(page, lesson, '1920×1080');
      expect(errors).toEqual([]);
    });
  }
});

test('projector mode at 1280×720: a Compare lesson rings what is on screen', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const errors = await start(page, true);
  await walk(
    page,
    LESSONS.find((l) => l.id === 'tokens')!,
    'projector 1280×720',
  );
  expect(errors).toEqual([]);
});
