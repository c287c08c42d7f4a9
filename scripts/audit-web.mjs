#!/usr/bin/env node
// Lighthouse budgets for the built page, in Debian's Chromium: performance, accessibility and best
// practices ≥ 95 (desktop preset), plus the initial-JavaScript size. A script with printed figures,
// not a CI gate (Lighthouse scores wobble with machine load); CI runs only the size check.
//   npm run audit:web            (lighthouse 12.8 is fetched by npx on first use: Node 20)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.AUDIT_PORT ?? 4517);
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('npm', ['run', 'build', '--silent']);
run('node', ['scripts/check-size.mjs']);
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--strictPort', '--port', String(port)], {
  stdio: 'ignore',
});
await new Promise((resolve) => setTimeout(resolve, 2_500));
const out = join(await mkdtemp(join(tmpdir(), 'lighthouse-')), 'report.json');
const flags =
  '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic';
const lighthouse = spawnSync(
  'npx',
  [
    '--yes',
    'lighthouse@12.8.2',
    `http://127.0.0.1:${port}/#mode=stateful&seed=7`,
    `--chrome-flags=${flags}`,
    '--output=json',
    `--output-path=${out}`,
    '--quiet',
    '--preset=desktop',
    '--only-categories=performance,accessibility,best-practices',
  ],
  { stdio: 'inherit', env: { ...process.env, CHROME_PATH: chrome } },
);
server.kill();
if (lighthouse.status !== 0) process.exit(lighthouse.status ?? 1);
const report = JSON.parse(await readFile(out, 'utf8'));
let ok = true;
for (const [id, category] of Object.entries(report.categories)) {
  const score = Math.round(category.score * 100);
  if (score < 95) ok = false;
  console.log(`${category.title.padEnd(16)} ${String(score).padStart(3)} ${score >= 95 ? '' : '(budget 95)'}`);
  if (score < 100) {
    for (const ref of category.auditRefs) {
      const audit = report.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 0.9)
        console.log(`    ${id}: ${audit.title} (${audit.displayValue ?? Math.round(audit.score * 100)})`);
    }
  }
}
for (const metric of [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
]) {
  console.log(`  ${report.audits[metric].title}: ${report.audits[metric].displayValue}`);
}
process.exit(ok ? 0 : 1);
