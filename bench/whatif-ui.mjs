#!/usr/bin/env node
// What-if in the real page (headless Chromium, 1920×1080): after a lecture of 200 clients × 8 nodes ×
// 60 simulated minutes (Server 2 failed half-way), the teacher picks "…sessions were in a shared
// store?". Prints the time until the answer is on screen and the longest frame while it runs:
// once as the page does it (computed ahead), once with the precomputed runs dropped (full replay,
// in the engine's Web Worker). Aim: no frame longer than 100 ms, answer within 1 s.
//
//   npm run bench:whatif:ui      (builds with --mode bench into .bench/dist, which exposes the store)
//
// BENCH_CLIENTS=n sets the users (200 unless told), BENCH_WAIT_S=s how long the what-ifs may take to be
// computed ahead after the compressed lecture (30 unless told; at 1,000 users the worker needs more), BENCH_DIST=dir[,dir…] serves other builds (several: an old and a new one, measured back to back in
// turn), BENCH_RUNS=n repeats each case n times, BENCH_CASES=ahead,replay,fork picks the cases (fork: the
// teacher rewinds to minute 45 and adds a node there — a fork in the past — then asks; it also prints
// how long after the fork the what-ifs were computed ahead again), BENCH_LOAF=1 prints what each long animation frame was
// made of (Chromium's long-animation-frame entries: script, style and layout, render), and
// BENCH_TRACE=file.json records Chromium's performance trace of the last computed-ahead what-if (or of the
// last run of the one case BENCH_CASES names), and
// BENCH_PROFILE=1 prints where its main thread spent the time (a CPU profile's heaviest functions), and
// BENCH_MUTATIONS=1 counts the DOM changes the choice's own task makes and those of the second after
// it, by kind (a load-independent measure of the render work), and BENCH_DEBUG=1 prints the console
// of the page and its workers.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
const dists = (process.env.BENCH_DIST ?? '.bench/dist').split(',').map((dir) => resolve(dir));
const runs = Number(process.env.BENCH_RUNS ?? 1);
/** How long the page may take to compute the what-ifs ahead after the lecture before the choice is made anyway (BEHIND). */
const aheadWaitMs = Number(process.env.BENCH_WAIT_S ?? 30) * 1000;
/** Users in the lecture (the page allows up to 1,000). */
const clients = Number(process.env.BENCH_CLIENTS ?? 200);
/** 'ahead': the page as it is; 'replay': the precomputed runs dropped; 'fork': a rewind to minute 45 and a command there first. */
const cases = (process.env.BENCH_CASES ?? 'ahead,replay,fork').split(',');
const loaf = process.env.BENCH_LOAF === '1';
const tracePath = process.env.BENCH_TRACE;
const profile = process.env.BENCH_PROFILE === '1';
const mutations = process.env.BENCH_MUTATIONS === '1';

/** A static server for one build; resolves to its page's URL. */
async function serve(dist) {
  const server = createServer(async (req, res) => {
    let file = join(dist, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      file = join(dist, 'index.html');
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/#mode=stateful&store=memory&clients=${clients}&nodes=8&seed=1&speed=20`;
}
const servers = [];
const urls = await Promise.all(dists.map(serve));
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

async function run(url, kind, trace) {
  const ahead = kind !== 'replay';
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (process.env.BENCH_DEBUG) {
    page.on('worker', (worker) => worker.on('console', (message) => console.log('  worker:', message.text())));
    page.on('console', (message) => console.log('  page:', message.text()));
  }
  await page.goto(url);
  await page.waitForFunction(() => window.__simStore !== undefined);
  // The lecture, fast: 60 simulated minutes in 20×-sized frames, with the clock's what-if budget.
  const lectureMs = await page.evaluate(() => {
    const store = window.__simStore;
    store.getState().setPlaying(false);
    const started = performance.now();
    const frameSimMs = (1000 / 60) * 20;
    let failed = false,
      recovered = false;
    while (store.getState().runtime.timeline.headMs < 3_600_000) {
      store.getState().advance(frameSimMs);
      const head = store.getState().runtime.timeline.headMs;
      if (!failed && head >= 1_800_000) {
        failed = true;
        store.getState().toggleNode('server-2');
      }
      if (!recovered && head >= 1_920_000) {
        recovered = true;
        store.getState().toggleNode('server-2');
      }
      store.getState().prepareWhatIfs(3);
    }
    store.getState().publish();
    store.getState().setPlaying(true);
    return performance.now() - started;
  });
  // The loss receipt of the lecture's crash is computed (a worker replays 30 minutes in four setups):
  // in a real lecture it was done half an hour ago, not while the what-if is measured.
  const receiptReady = Date.now();
  await page.locator('.loss-receipt table').waitFor({ timeout: 180_000 });
  const receiptMs = Date.now() - receiptReady;
  await page.waitForTimeout(2_000);
  if (!ahead) await page.evaluate(() => window.__simStore.getState().forgetWhatIfs());
  // A fork in the past: rewind to minute 45, add a node there, play on; how long until every what-if
  // on offer is computed ahead again (the page's own frames keep them, 3 ms each).
  const forkReadyMs =
    kind !== 'fork'
      ? null
      : await page.evaluate(
          () =>
            new Promise((done) => {
              const store = window.__simStore;
              store.getState().seek(2_700_000);
              store.getState().apply({ type: 'addNode' });
              store.getState().setPlaying(true);
              const forkedAt = performance.now();
              const poll = () =>
                store.getState().whatIfsAhead || performance.now() - forkedAt > 60_000
                  ? done(performance.now() - forkedAt)
                  : requestAnimationFrame(poll);
              requestAnimationFrame(poll);
            }),
        );
  // Frames and the moment the answer lands, measured in the page.
  await page.evaluate(() => {
    window.__loaf = [];
    try {
      new PerformanceObserver((list) => window.__loaf.push(...list.getEntries())).observe({
        type: 'long-animation-frame',
      });
    } catch {
      // No long-animation-frame entries in this browser: the frame intervals still say it.
    }
    window.__frames = [];
    let last = null;
    const frame = (now) => {
      if (last !== null) window.__frames.push([now, now - last]);
      last = now;
      window.__raf = requestAnimationFrame(frame);
    };
    window.__raf = requestAnimationFrame(frame);
    window.__answeredAt = null;
    window.__simStore.subscribe((s) => {
      if (window.__answeredAt === null && s.scenario.store === 'shared' && s.whatIfProgress === null)
        window.__answeredAt = performance.now();
    });
  });
  const session = trace ? await page.context().newCDPSession(page) : null;
  const traceChunks = [];
  if (session !== null && tracePath !== undefined) {
    session.on('Tracing.dataCollected', ({ value }) => traceChunks.push(...value));
    await session.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: {
        includedCategories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.frame',
          // Which nodes made style and layout dirty, and why (LayoutInvalidationTracking, StyleInvalidatorInvalidationTracking).
          'disabled-by-default-devtools.timeline.invalidationTracking',
          'blink.user_timing',
          'v8.execute',
          'disabled-by-default-v8.cpu_profiler',
        ],
      },
    });
  }
  // The CPU profile covers the choice to 300 ms after the answer's frame (console.profile in the page).
  let profiled = null;
  if (profile && session !== null) {
    session.on('Profiler.consoleProfileFinished', ({ profile: cpuProfile }) => (profiled = cpuProfile));
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  // The teacher's choice, made in the page the moment the shadows are level with the live run (on a
  // loaded machine they fall behind it — 3 ms a frame buys less — and the choice would measure a
  // replay instead; "BEHIND" says when they never caught up within 30 s).
  await page.getByRole('combobox', { name: 'What if' }).waitFor();
  if (profile && session !== null) await page.evaluate(() => (window.__profiling = true));
  if (mutations)
    await page.evaluate(() => {
      // Each DOM change by kind: 'attributes aria-label on li.client-token', 'childList on div.node-card'…
      const kindOf = (record) => {
        const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        const where = `${target?.localName ?? '?'}${target?.classList?.length ? `.${target.classList[0]}` : ''}`;
        return record.type === 'attributes' ? `${record.attributeName} on ${where}` : `${record.type} on ${where}`;
      };
      const census = (records, into) => {
        for (const record of records) into.set(kindOf(record), (into.get(kindOf(record)) ?? 0) + 1);
      };
      window.__mutations = { choice: new Map(), after: new Map() };
      const observer = new MutationObserver((records) => census(records, window.__mutations.after));
      window.__mutationsStart = () => {
        observer.takeRecords();
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      };
      window.__mutationsChoice = () => census(observer.takeRecords(), window.__mutations.choice);
      window.__mutationsEnd = () => {
        census(observer.takeRecords(), window.__mutations.after);
        observer.disconnect();
        const top = (map) => [...map].sort((a, b) => b[1] - a[1]);
        return { choice: top(window.__mutations.choice), after: top(window.__mutations.after) };
      };
    });
  const { askedAt, ready, choiceMs } = await page.evaluate(
    ([ahead, waitMs]) =>
      new Promise((answer) => {
        const store = window.__simStore;
        const select = document.querySelector('select[aria-label="What if"]');
        const index = [...select.options].findIndex((o) => o.label === '…sessions were in a shared store?');
        const until = performance.now() + waitMs;
        // An input task of its own, as the teacher's click is (not inside an animation frame).
        const ask = (ready) => setTimeout(() => choose(ready), 0);
        const choose = (ready) => {
          if (window.__profiling) console.profile('what-if');
          window.__mutationsStart?.();
          const askedAt = performance.now();
          select.value = String(select.options[index].value);
          select.dispatchEvent(new Event('change', { bubbles: true }));
          // The choice's own task: the what-if, and React's render and commit when it answers at once.
          window.__mutationsChoice?.();
          setTimeout(() => (window.__mutationCensus = window.__mutationsEnd?.() ?? null), 1000);
          answer({ askedAt, ready, choiceMs: performance.now() - askedAt });
        };
        const poll = () => {
          if (!ahead) return ask(true);
          if (store.getState().prepareWhatIfs(3) === false) return ask(true);
          if (performance.now() > until) return ask(false);
          requestAnimationFrame(poll);
        };
        poll();
      }),
    [ahead, aheadWaitMs],
  );
  await page.waitForFunction(() => window.__answeredAt !== null, null, { timeout: 120_000 });
  // Until 2 s after the frame that painted the answer (the answer's past, its checkpoints, arrives then).
  await page.waitForFunction(
    () => {
      const painted = window.__frames.find(([at]) => at >= window.__answeredAt);
      return painted !== undefined && window.__frames.at(-1)[0] - window.__frames.at(-1)[1] >= painted[0] + 2_000;
    },
    null,
    { timeout: 120_000, polling: 'raf' },
  );
  const census = mutations
    ? await page.waitForFunction(() => window.__mutationCensus).then((h) => h.jsonValue())
    : null;
  const { answeredAt, frames, lost, longFrames } = await page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    if (window.__profiling) console.profileEnd('what-if');
    return {
      answeredAt: window.__answeredAt,
      frames: window.__frames,
      lost: window.__simStore.getState().clusters[0].metrics.sessionsLost,
      longFrames: window.__loaf.map((f) => ({
        start: f.startTime,
        duration: f.duration,
        blocking: f.blockingDuration,
        render: f.renderStart ? f.startTime + f.duration - f.renderStart : 0,
        styleLayout: f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0,
        scripts: f.scripts.map((s) => `${s.invoker || s.invokerType} ${s.duration.toFixed(0)} ms`),
      })),
    };
  });
  if (profile && session !== null) for (let i = 0; i < 50 && profiled === null; i++) await page.waitForTimeout(100);
  const heaviest = profiled === null ? [] : heaviestFunctions(profiled);
  if (session !== null && tracePath !== undefined) {
    const done = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
    await session.send('Tracing.end');
    await done;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(tracePath, JSON.stringify({ traceEvents: traceChunks }));
  }
  // The frame that paints the answer (its end follows the store's change) vs the frames before it.
  const answerFrame = frames.find(([at]) => at >= answeredAt);
  // Every frame that began before 300 ms after the answer's frame (a frame is known by its end).
  const during = frames.filter(
    ([at, interval]) => at >= askedAt && at - interval <= (answerFrame?.[0] ?? answeredAt) + 300,
  );
  const before = during.filter(([at]) => at < answeredAt).map(([, interval]) => interval);
  // The frames of the 2 s after those: the new run playing on while its past arrives.
  const settleFrom = (answerFrame?.[0] ?? answeredAt) + 300;
  const after = frames.filter(([at, interval]) => at - interval > settleFrom && at <= settleFrom + 1_700);
  await page.close();
  return {
    lectureMs,
    receiptMs,
    forkReadyMs,
    ready,
    choiceMs,
    answerMs: answeredAt - askedAt,
    longestFrameMs: Math.max(...during.map(([, i]) => i)),
    over100: during.filter(([, i]) => i > 100).length,
    longestBeforeMs: before.length ? Math.max(...before) : 0,
    answerFrameMs: answerFrame?.[1] ?? NaN,
    longestAfterMs: after.length ? Math.max(...after.map(([, i]) => i)) : NaN,
    over100After: after.filter(([, i]) => i > 100).length,
    frames: during.length,
    longFrames: longFrames.filter(
      (f) => f.start + f.duration >= askedAt && f.start <= (answerFrame?.[0] ?? answeredAt) + 300,
    ),
    lost,
    errors,
    heaviest,
    census,
  };
}

/** The functions with the most self time in a CPU profile, and with the most time inside them (idle left out). */
function heaviestFunctions(cpuProfile) {
  const byId = new Map(cpuProfile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of cpuProfile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nameOf = ({ functionName, url, lineNumber }) =>
    `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
  const self = new Map();
  const total = new Map();
  for (let i = 0; i < cpuProfile.samples.length; i++) {
    const node = byId.get(cpuProfile.samples[i]);
    const ms = (cpuProfile.timeDeltas[i + 1] ?? 0) / 1000;
    if (node.callFrame.functionName === '(idle)') continue;
    const key = nameOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const name = nameOf(byId.get(id).callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [...top(self, 20).map(([k, v]) => [`self  ${k}`, v]), ...top(total, 40).map(([k, v]) => [`total ${k}`, v])];
}

try {
  console.log(`what-if in the page: ${clients} clients × 8 nodes × 60 simulated minutes, 1920×1080, Debian Chromium`);
  for (let i = 0; i < runs; i++)
    for (const kind of cases)
      for (const [d, url] of urls.entries()) {
        const traced =
          (kind === 'ahead' || cases.length === 1) && i === runs - 1 && (tracePath !== undefined || profile);
        const r = await run(url, kind, traced);
        const label = {
          ahead: r.ready ? 'computed ahead' : 'ahead, BEHIND',
          replay: 'full replay   ',
          fork: `after a fork (computed ahead again ${(r.forkReadyMs / 1000).toFixed(1)} s after it)${r.ready ? '' : ', BEHIND'}`,
        }[kind];
        console.log(
          `  ${dists.length > 1 ? `${dists[d]} ` : ''}${label}: answer on screen after ${r.answerMs.toFixed(0)} ms (the choice's task ${r.choiceMs.toFixed(0)} ms); longest frame meanwhile ${r.longestFrameMs.toFixed(0)} ms over ${r.frames} frames (${r.over100} over 100 ms) (while computing ${r.longestBeforeMs.toFixed(0)} ms, the frame that paints the new run ${r.answerFrameMs.toFixed(0)} ms; in the next 1.7 s up to ${r.longestAfterMs.toFixed(0)} ms, ${r.over100After} over 100 ms); sessions lost with a shared store: ${r.lost} (lecture set-up ${(r.lectureMs / 1000).toFixed(1)} s, then ${(r.receiptMs / 1000).toFixed(1)} s until its crash's loss receipt was computed; load ${loadavg()[0].toFixed(1)})${r.errors.length ? ` errors: ${r.errors.join(' | ')}` : ''}`,
        );
        if (loaf)
          for (const f of r.longFrames)
            console.log(
              `    long frame ${f.duration.toFixed(0)} ms (style and layout ${f.styleLayout.toFixed(0)} ms, render ${f.render.toFixed(0)} ms): ${f.scripts.join('; ')}`,
            );
        if (r.census !== null)
          for (const [when, kinds] of [
            ["the choice's task", r.census.choice],
            ['the second after', r.census.after],
          ]) {
            const total = kinds.reduce((sum, [, n]) => sum + n, 0);
            console.log(`    DOM changes in ${when}: ${total}`);
            for (const [kind, n] of kinds.slice(0, 15)) console.log(`      ${String(n).padStart(6)}  ${kind}`);
          }
        for (const [name, ms] of r.heaviest) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
      }
} finally {
  await browser.close();
  for (const server of servers) server.close();
}
