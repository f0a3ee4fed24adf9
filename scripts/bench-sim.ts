/**
 * `npm run bench:sim`: how long `buildTimeline` takes and how much heap its result holds, for
 * 1, 100 and 1000 one-kilobyte messages (alternating browser and server) and one 1 MB message, and
 * how long seeking to a random step takes. Prints figures; it is a benchmark, not a test.
 * Run with `node --expose-gc` (the npm script does) so heap figures are measured after collection.
 * Wall times suffer on a busy machine; the median CPU time of this process is the steadier figure.
 */
import { performance } from 'node:perf_hooks';
import { lessonScenario } from '../src/lesson/catalogue';
import type { Scenario, ScenarioMessage } from '../src/sim/scenario';
import { buildTimeline } from '../src/sim/timeline';
import { ALL_STORIES } from '../src/sim/stories';
import type { Timeline } from '../src/sim/types';

const gc = (globalThis as { gc?: () => void }).gc;

function messages(n: number, bytes: number): ScenarioMessage[] {
  const out: ScenarioMessage[] = [];
  for (let i = 0; i < n; i++) {
    const text = `message ${i} `.padEnd(bytes, 'abcdefghijklmnopqrstuvwxyz'.charAt(i % 26));
    out.push({ from: i % 2 === 0 ? 'c' : 's', text });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

interface Row {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  /** CPU time of this process (user + system): steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly heapMb: number;
  readonly steps: number;
  readonly packets: number;
}

function bench(name: string, scenario: Scenario, runs: number): { row: Row; timeline: Timeline } {
  buildTimeline(scenario, ALL_STORIES); // warm-up (JIT)
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    buildTimeline(scenario, ALL_STORIES);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const before = heapUsed();
  const timeline = buildTimeline(scenario, ALL_STORIES);
  const after = heapUsed();
  return {
    row: {
      name,
      runs,
      medianMs: median(times),
      minMs: Math.min(...times),
      cpuMs: median(cpu),
      heapMb: (after - before) / (1024 * 1024),
      steps: timeline.steps.length,
      packets: timeline.packets.length,
    },
    timeline,
  };
}

const base = lessonScenario('websocket');
const cases: [string, Scenario, number][] = [
  ['1 × 1 KB', { ...base, messages: messages(1, 1024) }, 21],
  ['100 × 1 KB', { ...base, messages: messages(100, 1024) }, 11],
  ['1000 × 1 KB', { ...base, messages: messages(1000, 1024) }, 7],
  ['1 × 1 MB', { ...base, messages: [{ from: 'c', text: 'x'.repeat(1024 * 1024) }] }, 5],
];

const rows: Row[] = [];
let last: Timeline | null = null;
for (const [name, scenario, runs] of cases) {
  const { row, timeline } = bench(name, scenario, runs);
  rows.push(row);
  if (name === '1000 × 1 KB') last = timeline;
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`node ${process.version}, ${gc ? 'heap after gc' : 'heap without --expose-gc (rough)'}`);
console.log(
  `${'timeline'.padEnd(12)} ${pad('median ms', 10)} ${pad('min ms', 8)} ${pad('cpu ms', 8)} ${pad('heap MB', 8)} ` +
    `${pad('steps', 7)} ${pad('packets', 8)} ${pad('runs', 5)}`,
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(12)} ${pad(r.medianMs.toFixed(1), 10)} ${pad(r.minMs.toFixed(1), 8)} ${pad(r.cpuMs.toFixed(1), 8)} ` +
      `${pad(r.heapMb.toFixed(1), 8)} ${pad(r.steps, 7)} ${pad(r.packets, 8)} ${pad(r.runs, 5)}`,
  );
}

// Seeking is an index: read a random step, its packet and its states.
if (last) {
  const t = last;
  let x = 12345;
  let sink = 0;
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const step = t.steps[x % t.steps.length]!;
    const p = step.packet !== undefined ? t.packets[step.packet] : undefined;
    sink += (p?.frame.length ?? 0) + Object.keys(step.states).length;
  }
  const ns = ((performance.now() - t0) * 1e6) / n;
  console.log(
    `seek to a random step of ${t.steps.length} (1000 × 1 KB): ${ns.toFixed(0)} ns per seek (checksum ${sink % 997})`,
  );
}
