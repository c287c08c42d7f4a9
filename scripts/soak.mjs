/**
 * Soak (issue 11): the built page in headless Chromium, 200 clients at 20×, for 10 wall minutes; a
 * node failed and recovered every 15 s, a what-if and a rewind every few minutes (each what-if undone
 * before the next, so the last minute runs the setup the first did). Reports the JS heap
 * (after a forced GC) after the first minute and at the end, the p95 frame interval of the first and
 * the last minute, and console errors; exits 1 when an aim is missed.
 *
 *   npm run soak                       # builds nothing: run `npm run build` first (uses dist/)
 *   npm run soak -- --minutes 1        # or SOAK_MINUTES=1
 *   SOAK_URL=http://127.0.0.1:4336/ npm run soak   # a page already served
 *   npm run soak -- --heap-profile /tmp/soak       # sampling heap profiles at the heap's start and end
 *   npm run soak -- --heap-snapshot /tmp/soak      # full heap snapshots (.heapsnapshot) at the heap's start and end
 *   npm run soak -- --no-whatif                    # only the node toggles: no what-if, no rewind
 *
 * Aims: heap growth ≤ 20 MB after the first minute; last-minute p95 within 10 % of the first; no errors.
 * With a run shorter than 4 minutes the "minute" is a quarter of the run and the heap's start is
 * measured half-way (the 60-second CI version).
 * `runSoak(page, options)` is exported for test/e2e/soak.spec.ts.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const AIMS = { heapGrowthMB: 20, p95Tolerance: 0.1 };

/**
 * The what-ifs the soak asks in turn from the starting setup (stateful, sessions in node memory,
 * sticky), each with the what-if that undoes it (src/state/whatIfChoices.ts words them).
 */
const WHAT_IFS = [
  ['…it were stateless (JWT)?', '…it used server sessions?'],
  ['…sessions were in a shared store?', '…sessions were in node memory?'],
  ['…the balancer were not sticky?', '…the balancer were sticky?'],
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Counts every animation frame's interval in the page, drained by the soak every few seconds. */
function frameProbe() {
  const intervals = [];
  let last = null;
  const loop = (t) => {
    if (last !== null) intervals.push(t - last);
    last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  Object.defineProperty(window, '__soakFrames', { value: () => intervals.splice(0, intervals.length) });
}

/**
 * Drives `page` (a Playwright page, not yet navigated) through a soak and returns its figures.
 * @param {import('playwright-core').Page} page
 * @param {{ baseURL: string, minutes?: number, clients?: number, speed?: number, heapProfile?: string | null, heapSnapshot?: string | null, whatIf?: boolean, log?: (line: string) => void }} options
 */
export async function runSoak(page, options) {
  const totalMs = (options.minutes ?? 10) * 60_000;
  const windowMs = Math.min(60_000, totalMs / 4);
  // The heap is measured once the run's bounded stores are full: after the first minute (half-way
  // through a short run), once the simulated clock has passed what the rewind checkpoints cover when
  // full (their cap × spacing: 600 s for 200 clients, 2,480 s for 1,000) and 15 s after the last what-if or rewind (whose
  // shadows catch up in the background). A short run is extended, up to twice its length, so that at
  // least half of it is measured.
  const heapStartMs = Math.min(60_000, totalMs / 2);
  const clients = options.clients ?? 200;
  // As src/state/timeline.ts sizes them: spacing (checkpointSpacingFor) × cap (checkpointCapFor), plus a minute.
  const spacingMs = 5_000 * Math.max(1, 2 ** Math.ceil(Math.log2(clients / 200)));
  const cap = Math.max(30, Math.min(120, Math.floor((160 * 2 ** 20) / (2_700 * clients))));
  const storesFullSimMs = spacingMs * cap + 60_000;
  const measuredMs = totalMs / 2;
  const speed = options.speed ?? 20;
  const log = options.log ?? (() => {});
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  await page.addInitScript(frameProbe);
  const cdp = await page.context().newCDPSession(page);
  // SOAK_HEAP_PROFILE=prefix: a sampling heap profile of what is alive when the heap's start and end
  // are read (prefix-start.heapprofile, prefix-end.heapprofile; diff them to see what grew).
  const profilePrefix = options.heapProfile ?? null;
  if (profilePrefix !== null) await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16_384 });
  const saveProfile = async (name) => {
    if (profilePrefix === null) return;
    const { profile } = await cdp.send('HeapProfiler.getSamplingProfile');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${profilePrefix}-${name}.heapprofile`, JSON.stringify(profile));
  };
  // --heap-snapshot prefix: full heap snapshots (prefix-start.heapsnapshot, prefix-end.heapsnapshot;
  // open them in DevTools' Memory tab, or compare them with scripts/heapsnapshot-diff.mjs).
  const snapshotPrefix = options.heapSnapshot ?? null;
  const saveSnapshot = async (name) => {
    if (snapshotPrefix === null) return;
    const { createWriteStream } = await import('node:fs');
    const file = createWriteStream(`${snapshotPrefix}-${name}.heapsnapshot`);
    const onChunk = ({ chunk }) => file.write(chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await new Promise((resolve) => file.end(resolve));
  };
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return page.evaluate(() => performance.memory.usedJSHeapSize / 2 ** 20);
  };

  await page.goto(new URL(`/#mode=stateful&nodes=4&clients=${clients}&speed=${speed}&seed=11`, options.baseURL).href);
  await page.getByRole('region', { name: 'Metrics' }).first().waitFor();

  const frames = []; // [wall ms since start, interval ms]
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const drain = async () => {
    const now = elapsed();
    for (const interval of await page.evaluate(() => window.__soakFrames())) frames.push([now, interval]);
  };

  // The schedule: a node toggled every 15 s; a what-if and a rewind every few minutes (twice in a short run).
  const everyMs = totalMs >= 4 * 60_000 ? 3 * 60_000 : totalMs / 2;
  // A what-if or a rewind rebuilds the bounded stores (the new run's checkpoints and the shadows of
  // the what-ifs on offer refill to their caps): a short run does them before it measures, so what it
  // measures is growth, not a refill; a long run ends its schedule half a window before the end.
  const short = totalMs < 4 * 60_000;
  const whatIfOn = options.whatIf ?? true;
  const mayChange = (t) => whatIfOn && (short ? heapStart === null : t < totalMs - windowMs / 2);
  let nextToggle = 15_000;
  let nextWhatIf = everyMs / 2;
  let nextRewind = everyMs / 2 + everyMs / 4;
  // Each what-if is undone a third of a slot later (after the rewind), so the run is back in the
  // setup it started in before the last minute: the first and last minutes' frames then measure
  // the same workload, and a slowdown between them is the page's, not a different setup's (a
  // stateful run left non-sticky re-logs in most users every few seconds).
  let nextUndo = Infinity;
  let undo = null;
  let heapStart = null;
  let heapStartAt = null;
  let lastChangeAt = 0;
  const timelineSlider = page.getByRole('slider', { name: 'Timeline' });
  // Whether the what-ifs on offer are computed ahead again (their shadow runs caught up with the
  // live run after a what-if or a rewind; the What if menu says so in data-computed-ahead). The
  // heap is read only then: those runs' checkpoints are part of the page's steady memory. Beyond
  // 400 clients none are computed ahead.
  const computesAhead = clients <= 400 && !short;
  const ahead = async () =>
    !computesAhead ||
    (await page
      .getByRole('combobox', { name: 'What if' })
      .getAttribute('data-computed-ahead', { timeout: 1_000 })
      .catch(() => null)) === 'true';
  let aheadSince = null;
  const simMs = async () => Number(await timelineSlider.inputValue());
  let toggles = 0;
  let whatIfs = 0;
  let rewinds = 0;
  const server = page.getByRole('button', { name: /^Server 2\b/ }).first();
  const endMs = () =>
    heapStartAt === null ? 2 * totalMs : Math.min(2 * totalMs, Math.max(totalMs, heapStartAt + measuredMs));
  while (elapsed() < endMs()) {
    await sleep(Math.min(5_000, Math.max(0, endMs() - elapsed())));
    await drain();
    const t = elapsed();
    if (computesAhead && lastChangeAt > 0 && aheadSince !== lastChangeAt && (await ahead())) {
      aheadSince = lastChangeAt;
      log(`  what-ifs computed ahead again ${Math.round((t - lastChangeAt) / 1000)} s after the change`);
    }
    if (
      heapStart === null &&
      t >= heapStartMs &&
      t - lastChangeAt >= 15_000 &&
      (await simMs()) >= storesFullSimMs &&
      (await ahead())
    ) {
      heapStart = await heapMB();
      await saveProfile('start');
      await saveSnapshot('start');
      heapStartAt = elapsed();
      log(
        `heap after ${Math.round(t / 1000)} s (simulated ${Math.round((await simMs()) / 1000)} s): ${heapStart.toFixed(1)} MB`,
      );
    }
    if (t >= nextToggle) {
      nextToggle += 15_000;
      await server.click();
      toggles++;
    }
    const choice = page.getByRole('combobox', { name: 'What if' });
    if (t >= nextWhatIf && mayChange(t)) {
      nextWhatIf += everyMs;
      const [wanted, inverse] = WHAT_IFS[whatIfs % WHAT_IFS.length];
      if (await choice.isVisible()) {
        // From another setup than the start's (a short run's second what-if), the first one on offer.
        const offered = await choice.locator('option:not([disabled])').allTextContents();
        const label = offered.includes(wanted) ? wanted : offered[0];
        await choice.selectOption({ label });
        whatIfs++;
        // A short run changes the setup before it measures and not after: nothing to undo.
        if (!short && label === wanted) {
          undo = inverse;
          nextUndo = t + everyMs / 3;
        }
        lastChangeAt = t;
        log(`what-if at ${Math.round(t / 1000)} s: ${label}`);
      }
    }
    if (t >= nextUndo && undo !== null) {
      await choice.selectOption({ label: undo });
      whatIfs++;
      lastChangeAt = t;
      log(`what-if at ${Math.round(t / 1000)} s: ${undo} (back to the start's setup)`);
      undo = null;
      nextUndo = Infinity;
    }
    if (t >= nextRewind && mayChange(t)) {
      nextRewind += everyMs;
      // 30 s back on the scrubber, then play on from there (the recorded commands replay).
      const slider = page.getByRole('slider', { name: 'Timeline' });
      const now = Number(await slider.inputValue());
      await slider.fill(String(Math.max(0, Math.round((now - 30_000) / 100) * 100)));
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      rewinds++;
      lastChangeAt = t;
      log(`rewind at ${Math.round(t / 1000)} s`);
    }
  }
  // The end is read in the same steady state as the start: what-ifs computed ahead (up to 90 s more).
  for (const until = elapsed() + 90_000; !(await ahead()) && elapsed() < until;) {
    await sleep(2_000);
    await drain();
  }
  await drain();
  const end = elapsed();
  const heapEnd = await heapMB();
  await saveProfile('end');
  await saveSnapshot('end');
  const first = frames.filter(([t]) => t <= windowMs).map(([, interval]) => interval);
  const last = frames.filter(([t]) => t > end - windowMs).map(([, interval]) => interval);
  const figures = {
    minutes: totalMs / 60_000,
    wallSeconds: Math.round(end / 1000),
    simulatedSeconds: Math.round((await simMs()) / 1000),
    measuredSeconds: heapStartAt === null ? 0 : Math.round((end - heapStartAt) / 1000),
    windowSeconds: windowMs / 1000,
    clients,
    speed,
    heapStartMB: Number((heapStart ?? NaN).toFixed(1)),
    heapEndMB: Number(heapEnd.toFixed(1)),
    heapGrowthMB: Number((heapEnd - (heapStart ?? NaN)).toFixed(1)),
    p95FirstMs: Number(percentile(first, 0.95).toFixed(1)),
    p95LastMs: Number(percentile(last, 0.95).toFixed(1)),
    framesFirst: first.length,
    framesLast: last.length,
    toggles,
    whatIfs,
    rewinds,
    errors,
  };
  const p95Change = figures.p95LastMs / figures.p95FirstMs - 1;
  const missed = [];
  if (heapStart === null)
    missed.push(
      `the run's bounded stores never filled: simulated ${Math.round(figures.simulatedSeconds)} s in ${Math.round(end / 1000)} s (needs ${storesFullSimMs / 1000} s; is the machine too busy for ${speed}×?)`,
    );
  else if (!(figures.heapGrowthMB <= AIMS.heapGrowthMB))
    missed.push(`heap grew ${figures.heapGrowthMB} MB (aim ≤ ${AIMS.heapGrowthMB})`);
  if (!(p95Change <= AIMS.p95Tolerance))
    missed.push(
      `last p95 ${figures.p95LastMs} ms vs first ${figures.p95FirstMs} ms: ${(p95Change * 100).toFixed(0)} % (aim ≤ 10 %)`,
    );
  if (errors.length > 0) missed.push(`${errors.length} console error(s): ${errors.slice(0, 3).join(' | ')}`);
  return { figures, missed };
}

function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index !== -1 ? process.argv[index + 1] : (process.env[`SOAK_${name.toUpperCase()}`] ?? fallback);
}

async function main() {
  const { chromium } = await import('playwright-core');
  const minutes = Number(argument('minutes', 10));
  let url = argument('url', null);
  let server = null;
  if (url === null) {
    const port = Number(argument('port', 4391));
    server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--strictPort', '--port', String(port)], {
      stdio: 'ignore',
      detached: true,
    });
    url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 60; i++) {
      if (
        await fetch(url).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(500);
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    console.log(
      `soak: ${minutes} min, ${url}, load average ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const { figures, missed } = await runSoak(page, {
      baseURL: url,
      minutes,
      clients: Number(argument('clients', 200)),
      speed: Number(argument('speed', 20)),
      heapProfile: argument('heap-profile', null),
      heapSnapshot: argument('heap-snapshot', null),
      whatIf: !process.argv.includes('--no-whatif') && process.env.SOAK_NO_WHATIF === undefined,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(JSON.stringify({ ...figures, errors: figures.errors.length }, null, 2));
    console.log(
      `load average at the end: ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (missed.length > 0) {
      console.log(`AIMS MISSED:\n- ${missed.join('\n- ')}`);
      process.exitCode = 1;
    } else {
      console.log('all aims met');
    }
  } finally {
    await browser.close();
    if (server !== null) process.kill(-server.pid);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
