#!/usr/bin/env node
// What-if in the real page (headless Chromium, 1920×1080): after a lecture of 200 clients × 8 nodes ×
// 60 simulated minutes (Server 2 failed half-way), the teacher picks "…sessions were in a shared
// store?". Prints the time until the answer is on screen and the longest frame while it runs:
// once as the page does it (computed ahead), once with the precomputed runs dropped (full replay
// in slices). Aim: no frame longer than 100 ms, answer within 1 s.
//
//   npm run bench:whatif:ui      (builds with --mode bench into .bench/dist, which exposes the store)
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
const dist = resolve('.bench/dist');
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
const url = `http://127.0.0.1:${server.address().port}/#mode=stateful&store=memory&clients=200&nodes=8&seed=1&speed=20`;
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

async function run(ahead) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
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
  await page.waitForTimeout(2_000);
  if (!ahead) await page.evaluate(() => window.__simStore.getState().runtime.shadows.clear());
  // Frames and the moment the answer lands, measured in the page.
  await page.evaluate(() => {
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
  const askedAt = await page.evaluate(() => performance.now());
  await page.getByRole('combobox', { name: 'What if' }).selectOption({ label: '…sessions were in a shared store?' });
  await page.waitForFunction(() => window.__answeredAt !== null, null, { timeout: 120_000 });
  await page.waitForTimeout(300);
  const { answeredAt, frames, lost } = await page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    return {
      answeredAt: window.__answeredAt,
      frames: window.__frames,
      lost: window.__simStore.getState().clusters[0].metrics.sessionsLost,
    };
  });
  const during = frames.filter(([at]) => at >= askedAt && at <= answeredAt + 300);
  // The frame that paints the answer (its end follows the store's change) vs the frames before it.
  const answerFrame = during.find(([at]) => at >= answeredAt);
  const before = during.filter(([at]) => at < answeredAt).map(([, interval]) => interval);
  await page.close();
  return {
    lectureMs,
    answerMs: answeredAt - askedAt,
    longestFrameMs: Math.max(...during.map(([, i]) => i)),
    longestBeforeMs: before.length ? Math.max(...before) : 0,
    answerFrameMs: answerFrame?.[1] ?? NaN,
    frames: during.length,
    lost,
    errors,
  };
}

try {
  console.log('what-if in the page: 200 clients × 8 nodes × 60 simulated minutes, 1920×1080, Debian Chromium');
  for (const ahead of [true, false]) {
    const r = await run(ahead);
    console.log(
      `  ${ahead ? 'computed ahead' : 'full replay   '}: answer on screen after ${r.answerMs.toFixed(0)} ms; longest frame meanwhile ${r.longestFrameMs.toFixed(0)} ms over ${r.frames} frames (while computing ${r.longestBeforeMs.toFixed(0)} ms, the frame that paints the new run ${r.answerFrameMs.toFixed(0)} ms); sessions lost with a shared store: ${r.lost} (lecture set-up ${(r.lectureMs / 1000).toFixed(1)} s; load ${loadavg()[0].toFixed(1)})${r.errors.length ? ` errors: ${r.errors.join(' | ')}` : ''}`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
