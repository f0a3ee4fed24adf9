import { bitPattern, fieldTree } from '../../../src/views/inspector/tree';
import { PACKETS } from '../fixture';

describe('fieldTree', () => {
  it('groups fields by layer, outermost first, each in byte order', () => {
    const p = PACKETS[5]!;
    const tree = fieldTree(p.fields);
    expect(tree.map((t) => t.title)).toEqual(['Ethernet II', 'IPv4', 'TCP', 'WebSocket']);
    expect(tree[0]).toMatchObject({ start: 0, end: 14 });
    expect(tree.reduce((n, t) => n + t.fields.length, 0)).toBe(p.fields.length);
    for (const t of tree) {
      const starts = t.fields.map((i) => p.fields[i]!.start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  it('draws sub-byte fields as Wireshark does', () => {
    const p = PACKETS[5]!;
    const opcode = p.fields.find((f) => f.layer === 'websocket' && f.key === 'opcode')!;
    expect(bitPattern(opcode, p.frame)).toBe('.... 0001');
    const fin = p.fields.find((f) => f.key === 'fin')!;
    expect(bitPattern(fin, p.frame)).toBe('1... ....');
    const dst = p.fields.find((f) => f.key === 'dst')!;
    expect(bitPattern(dst, p.frame)).toBeNull();
  });
});
