#!/usr/bin/env node
// UI smoothness benchmark: the built page in headless Chromium (software rendering, as on a
// classroom PC without a GPU) at 1920×1080. By default it measures the page's biggest hall — 1,000
// clients on 8 nodes — stateful, stateless and Compare, one after the other, then 200 clients
// stateful (the figure earlier READMEs gave). For each it prints the p50 / p95 interval between
// animation frames over 10 s, React commits per second and the main thread's busy time, then one
// table. Targets: p95 ≤ 17 ms (60 fps), ≤ 10 commits/s.
//
//   npm run bench:ui                        (builds first; all cases)
//   node bench/ui.mjs [HASH] [SECONDS]      (one case; '' for all cases)
//   BENCH_DIST=/tmp/dist node bench/ui.mjs  (a build somewhere other than dist/)
//
// Commits are counted through React's DevTools hook (a stub installed before the page loads), which
// the production build calls once per commit: nothing benchmark-only ships in the page.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { chromium } from 'playwright-core';

const CASES = [
  '#mode=stateful&clients=1000&nodes=8&seed=7',
  '#mode=stateless&clients=1000&nodes=8&seed=7',
  '#mode=compare&clients=1000&nodes=8&seed=7',
  '#mode=stateful&clients=200&nodes=8&seed=7',
];
const [hashArgument, seconds = '10'] = process.argv.slice(2);
const hashes = hashArgument === undefined || hashArgument === '' ? CASES : [hashArgument];
const WARM_UP_MS = 3_000;
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

const dist = resolve(process.env.BENCH_DIST ?? 'dist');
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
const address = server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;

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
async function measure(hash) {
  const url = `${origin}${hash}`;
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    window.__reactCommits = 0;
    window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject(renderer) {
        this.renderers.set(1, renderer);
        return 1;
      },
      onCommitFiberRoot() {
        window.__reactCommits++;
      },
      onCommitFiberUnmount() {},
      onPostCommitFiberRoot() {},
      onScheduleFiberRoot() {},
      checkDCE() {},
    };
  });
  await page.goto(url);
  await page.waitForTimeout(WARM_UP_MS);
  // Main-thread busy time, to read the frame figures against: on a loaded machine frames stretch
  // while the page's own work per frame stays the same.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await busy();
  const result = await page.evaluate(
    (durationMs) =>
      new Promise((done) => {
        const intervals = [];
        const commitsAtStart = window.__reactCommits;
        let last = null;
        let start = null;
        const frame = (now) => {
          if (start === null) start = now;
          if (last !== null) intervals.push(now - last);
          last = now;
          if (now - start < durationMs) requestAnimationFrame(frame);
          else done({ intervals, commits: window.__reactCommits - commitsAtStart, elapsedMs: now - start });
        };
        requestAnimationFrame(frame);
      }),
    Number(seconds) * 1_000,
  );
  const after = await busy();
  const perSecond = (name) => ((after[name] - before[name]) / (result.elapsedMs / 1_000)) * 1_000;
  const sorted = [...result.intervals].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const commitsPerSecond = result.commits / (result.elapsedMs / 1_000);
  console.log(`page        ${url}`);
  console.log(`frames      ${result.intervals.length} in ${(result.elapsedMs / 1_000).toFixed(1)} s`);
  console.log(`frame p50   ${pick(0.5).toFixed(1)} ms`);
  console.log(`frame p95   ${pick(0.95).toFixed(1)} ms   (target ≤ 17 ms)`);
  console.log(`frame max   ${sorted[sorted.length - 1]?.toFixed(1)} ms`);
  console.log(`commits/s   ${commitsPerSecond.toFixed(1)}        (target ≤ 10)`);
  console.log(
    `main thread ${perSecond('TaskDuration').toFixed(0)} ms busy per s (script ${perSecond('ScriptDuration').toFixed(0)}, layout ${perSecond('LayoutDuration').toFixed(0)}, style ${perSecond('RecalcStyleDuration').toFixed(0)})`,
  );
  console.log(
    `machine     ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (figures stretch under load)`,
  );
  if (errors.length > 0) console.log(`page errors ${errors.join(' | ')}`);
  console.log('');
  await page.close();
  return { hash, p50: pick(0.5), p95: pick(0.95), max: sorted[sorted.length - 1] ?? NaN, commitsPerSecond };
}

try {
  const rows = [];
  for (const hash of hashes) rows.push(await measure(hash));
  if (rows.length > 1) {
    console.log('case                                           p50 ms  p95 ms  max ms  commits/s');
    for (const row of rows)
      console.log(
        `${row.hash.padEnd(46)} ${row.p50.toFixed(1).padStart(6)}  ${row.p95.toFixed(1).padStart(6)}  ${row.max.toFixed(0).padStart(6)}  ${row.commitsPerSecond.toFixed(1).padStart(9)}${row.p95 > 17 ? '   p95 over 17 ms' : ''}`,
      );
  }
} finally {
  await browser.close();
  server.close();
}
