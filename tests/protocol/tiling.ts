import type { FieldAnnotation } from '../../src/protocol/fields';

/**
 * Why `fields` do not tile [headerStart, headerEnd) bit for bit; empty when every bit of every
 * byte in the range belongs to exactly one annotation.
 *
 * Annotations wholly outside the range (other layers, the payload) and empty ones are ignored;
 * an annotation that straddles a bound, or whose `bits` fall outside its bytes, is a problem.
 */
export function tilingProblems(
  fields: readonly FieldAnnotation[],
  headerStart: number,
  headerEnd: number,
): string[] {
  const problems: string[] = [];
  const owners: string[][] = Array.from({ length: Math.max(0, headerEnd - headerStart) * 8 }, () => []);
  for (const f of fields) {
    if (f.end <= f.start || f.end <= headerStart || f.start >= headerEnd) continue;
    const label = `${f.key} [${f.start}, ${f.end})`;
    if (f.start < headerStart || f.end > headerEnd) {
      problems.push(`${label} crosses the range [${headerStart}, ${headerEnd})`);
      continue;
    }
    const width = (f.end - f.start) * 8;
    const from = f.bits?.start ?? 0;
    const to = f.bits?.end ?? width;
    if (from < 0 || to > width || from >= to) {
      problems.push(`${label} has bits [${from}, ${to}) outside its ${width} bits`);
      continue;
    }
    for (let b = from; b < to; b++) owners[(f.start - headerStart) * 8 + b]!.push(f.key);
  }
  owners.forEach((who, i) => {
    const where = `byte ${headerStart + (i >> 3)} bit ${i & 7}`;
    if (who.length === 0) problems.push(`${where} belongs to no field`);
    else if (who.length > 1) problems.push(`${where} belongs to ${who.join(' and ')}`);
  });
  return problems;
}

/** Assert that `fields` tile [headerStart, headerEnd) exactly (see `tilingProblems`). */
export function expectTiling(
  fields: readonly FieldAnnotation[],
  headerStart: number,
  headerEnd: number,
): void {
  expect(tilingProblems(fields, headerStart, headerEnd)).toEqual([]);
}
