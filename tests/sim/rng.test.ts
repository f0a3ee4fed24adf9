import { Rng, rngStream } from '../../src/sim/engine/rng';
import { EventQueue } from '../../src/sim/engine/queue';

describe('rngStream', () => {
  it('repeats for the same seed and name, differs across names and seeds', () => {
    const draw = (seed: number, name: string): number[] => {
      const r = rngStream(seed, name);
      return [r.next(), r.next(), r.next()];
    };
    expect(draw(1, 'isn:client:0')).toEqual(draw(1, 'isn:client:0'));
    expect(draw(1, 'isn:client:0')).not.toEqual(draw(1, 'isn:server:0'));
    expect(draw(1, 'isn:client:0')).not.toEqual(draw(2, 'isn:client:0'));
  });

  it('draws uint32s, bounded integers and bytes', () => {
    const r = new Rng(123);
    const ints = Array.from({ length: 2000 }, () => r.int(49152, 65535));
    expect(Math.min(...ints)).toBeGreaterThanOrEqual(49152);
    expect(Math.max(...ints)).toBeLessThanOrEqual(65535);
    // 2000 draws from 16384 values: about 1880 distinct ones are expected (birthday collisions).
    expect(new Set(ints).size).toBeGreaterThan(1800);
    const n = r.next();
    expect(Number.isInteger(n) && n >= 0 && n <= 0xffffffff).toBe(true);
    const bytes = new Rng(5).bytes(16);
    expect(bytes).toHaveLength(16);
    expect(new Set(bytes).size).toBeGreaterThan(8);
  });
});

describe('EventQueue', () => {
  it('pops by time, then in insertion order', () => {
    const q = new EventQueue<string>();
    q.push(5, 'c');
    q.push(1, 'a');
    q.push(5, 'd');
    q.push(1, 'b');
    q.push(0, 'start');
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.value);
    expect(out).toEqual(['start', 'a', 'b', 'c', 'd']);
  });

  it('stays ordered under many random pushes', () => {
    const q = new EventQueue<number>();
    const r = new Rng(9);
    for (let i = 0; i < 5000; i++) q.push(r.int(0, 100), i);
    let last = { time: -1, value: -1 };
    for (let e = q.pop(); e; e = q.pop()) {
      expect(e.time > last.time || (e.time === last.time && e.value > last.value)).toBe(true);
      last = e;
    }
  });
});
