import type { FieldAnnotation } from '../../src/protocol/fields';
import { expectTiling, tilingProblems } from './tiling';

const field = (
  key: string,
  start: number,
  end: number,
  bits?: { start: number; end: number },
): FieldAnnotation => ({
  layer: 'tcp',
  key,
  name: key,
  start,
  end,
  value: '',
  meaning: '',
  ...(bits ? { bits } : {}),
});

describe('tiling helper', () => {
  it('accepts whole-byte and sub-byte fields that cover every bit once', () => {
    expectTiling(
      [field('a', 0, 2), field('hi', 2, 3, { start: 0, end: 4 }), field('lo', 2, 4, { start: 4, end: 16 })],
      0,
      4,
    );
  });
  it('ignores fields outside the range and empty fields', () => {
    expectTiling([field('before', 0, 4), field('x', 4, 6), field('empty', 5, 5), field('after', 6, 9)], 4, 6);
  });
  it('reports a gap', () => {
    expect(tilingProblems([field('a', 0, 1), field('b', 2, 3)], 0, 3)).toHaveLength(8);
  });
  it('reports overlapping bytes', () => {
    expect(tilingProblems([field('a', 0, 2), field('b', 1, 3)], 0, 3)).toContain(
      'byte 1 bit 0 belongs to a and b',
    );
  });
  it('reports a missing or doubled bit', () => {
    const missing = tilingProblems(
      [field('hi', 0, 1, { start: 0, end: 3 }), field('lo', 0, 1, { start: 4, end: 8 })],
      0,
      1,
    );
    expect(missing).toEqual(['byte 0 bit 3 belongs to no field']);
    const doubled = tilingProblems(
      [field('hi', 0, 1, { start: 0, end: 5 }), field('lo', 0, 1, { start: 4, end: 8 })],
      0,
      1,
    );
    expect(doubled).toEqual(['byte 0 bit 4 belongs to hi and lo']);
  });
  it('reports fields that straddle the range or have impossible bits', () => {
    expect(tilingProblems([field('a', 0, 4)], 2, 4)[0]).toMatch(/crosses/);
    expect(tilingProblems([field('a', 0, 1, { start: 4, end: 9 })], 0, 1)[0]).toMatch(/outside/);
  });
});
