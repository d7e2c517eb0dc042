// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function.
//   node bench/experiments/top-profile.mjs /tmp/prof/CPU.….cpuprofile [rows]
import fs from 'node:fs';

const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const limit = Number(process.argv[3] ?? 30);
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let total = 0;
const perNode = new Map();
for (let i = 0; i < p.samples.length; i++) {
  perNode.set(p.samples[i], (perNode.get(p.samples[i]) ?? 0) + p.timeDeltas[i]);
  total += p.timeDeltas[i];
}
const key = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const inclusive = new Map();
for (const [id, t] of perNode) {
  const k = key(nodes.get(id));
  self.set(k, (self.get(k) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const ck = key(nodes.get(cur));
    if (seen.has(ck)) continue;
    seen.add(ck);
    inclusive.set(ck, (inclusive.get(ck) ?? 0) + t);
  }
}
const show = (m, title) => {
  console.log(`== ${title} (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
};
show(self, 'self time');
show(inclusive, 'inclusive time');
