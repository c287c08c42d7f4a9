#!/usr/bin/env node
// Budget: the JavaScript a first visit must download before the page runs (the entry chunk and
// everything it imports statically), gzipped. Lazy chunks (msw, side panels) are listed apart.
//   node scripts/check-size.mjs [dist] [budgetKB]
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const budgetKb = Number(process.argv[3] ?? 200);
const html = await readFile(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)].map((m) => m[1]),
);

// Follow static imports of the initial chunks (rolldown may not preload every one).
const queue = [...initial];
while (queue.length > 0) {
  const file = queue.pop();
  const code = await readFile(join(dist, file), 'utf8');
  for (const match of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    const next = `assets/${match[1]}`;
    if (!initial.has(next)) {
      initial.add(next);
      queue.push(next);
    }
  }
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
let total = 0;
const all = (await readdir(join(dist, 'assets'))).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const rows = [];
for (const file of all) {
  const gz = gzipSync(await readFile(join(dist, file))).length;
  if (initial.has(file)) total += gz;
  rows.push([initial.has(file) ? 'initial' : 'lazy', file, gz]);
}
rows.sort((a, b) => a[0].localeCompare(b[0]) || b[2] - a[2]);
for (const [kind, file, gz] of rows) console.log(`${kind.padEnd(8)} ${kb(gz).padStart(7)} KB gz  ${file}`);
console.log(`initial JavaScript: ${kb(total)} KB gzipped (budget ${budgetKb} KB)`);
if (total > budgetKb * 1024) {
  console.error(`over budget by ${kb(total - budgetKb * 1024)} KB`);
  process.exit(1);
}
