/**
 * Compares two V8 heap snapshots (.heapsnapshot, as DevTools or `npm run soak -- --heap-snapshot P`
 * write them): self size and count per (node type, constructor / name), sorted by growth. Strings
 * are grouped by their first characters, closures by function name, arrays by their owner's edge.
 *
 *   node --max-old-space-size=6000 scripts/heapsnapshot-diff.mjs start.heapsnapshot end.heapsnapshot [rows]
 *   node scripts/heapsnapshot-diff.mjs one.heapsnapshot            # one snapshot's biggest groups
 */
import { readFileSync } from 'node:fs';

function load(file) {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  const meta = data.snapshot.meta;
  const fields = meta.node_fields;
  const stride = fields.length;
  const types = meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const edgesAt = fields.indexOf('edge_count');
  const edgeStride = meta.edge_fields.length;
  const edgeTypes = meta.edge_types[0];
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const { nodes, edges, strings } = data;
  const count = nodes.length / stride;
  // Arrays and hidden nodes are named after the property that holds them (first owner seen).
  const ownerName = new Array(count);
  let edge = 0;
  for (let n = 0; n < count; n++) {
    const ownerType = types[nodes[n * stride + typeAt]];
    const owner = ownerType === 'object' ? strings[nodes[n * stride + nameAt]] : ownerType;
    for (let e = 0; e < nodes[n * stride + edgesAt]; e++, edge += edgeStride) {
      const to = edges[edge + edgeToAt] / stride;
      if (ownerName[to] !== undefined) continue;
      const type = edgeTypes[edges[edge + edgeTypeAt]];
      if (type === 'weak') continue;
      const label =
        type === 'element' || type === 'hidden' ? `[${type}]` : String(strings[edges[edge + edgeNameAt]] ?? '?');
      ownerName[to] = `${owner}.${label}`;
    }
  }
  const groups = new Map();
  for (let n = 0; n < count; n++) {
    const type = types[nodes[n * stride + typeAt]];
    let name = strings[nodes[n * stride + nameAt]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      name = JSON.stringify(String(name).slice(0, 40));
    else if (type === 'array' || type === 'hidden' || type === 'code' || type === 'number')
      name = `${name} ← ${ownerName[n] ?? '?'}`;
    const key = `${type}: ${name}`;
    const group = groups.get(key) ?? { size: 0, count: 0 };
    group.size += nodes[n * stride + sizeAt];
    group.count++;
    groups.set(key, group);
  }
  return groups;
}

const [aFile, bFile, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg ?? 40);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(2).padStart(8);
const a = load(aFile);
const total = (groups) => [...groups.values()].reduce((sum, g) => sum + g.size, 0);
if (bFile === undefined) {
  console.log('total', mb(total(a)), 'MB');
  for (const [key, g] of [...a].sort((x, y) => y[1].size - x[1].size).slice(0, rows))
    console.log(mb(g.size), 'MB', String(g.count).padStart(9), key);
} else {
  const b = load(bFile);
  console.log('total start', mb(total(a)), 'MB  end', mb(total(b)), 'MB');
  const keys = new Set([...a.keys(), ...b.keys()]);
  const diff = [...keys].map((key) => {
    const x = a.get(key) ?? { size: 0, count: 0 };
    const y = b.get(key) ?? { size: 0, count: 0 };
    return { key, size: y.size - x.size, count: y.count - x.count, end: y.size };
  });
  diff.sort((x, y) => y.size - x.size);
  console.log('   grew MB     count   (end MB)');
  for (const d of diff.slice(0, rows)) console.log(mb(d.size), String(d.count).padStart(9), `(${mb(d.end)})`, d.key);
  console.log('--- shrank');
  for (const d of diff.slice(-10)) console.log(mb(d.size), String(d.count).padStart(9), `(${mb(d.end)})`, d.key);
}
