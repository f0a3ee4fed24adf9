import { fieldBytes, fieldsAt, hexDump, mapBytesToFields, trailerBytes } from '../../../src/views/hex/layout';
import { crc32 } from '../../../src/protocol/checksum';
import { PACKETS } from '../fixture';

const syn = PACKETS[0]!;
const ack = PACKETS[2]!;
const hello = PACKETS[5]!;

describe('hexDump', () => {
  it('shows every byte of the frame in order, in rows of the requested width', () => {
    const dump = hexDump(syn, 8);
    const cells = dump.rows.flatMap((r) => r.cells);
    expect(dump.length).toBe(syn.frame.length + 4);
    expect(cells.slice(0, syn.frame.length).map((c) => c.value)).toEqual([...syn.frame]);
    expect(dump.rows[1]!.label).toBe('0008');
    expect(dump.rows.every((r, i) => r.offset === i * 8 && r.cells.length <= 8)).toBe(true);
    expect(cells[12]!.hex).toBe('08');
  });

  it('appends padding and an FCS whose bytes are the CRC-32 of the padded frame, least significant first', () => {
    const dump = hexDump(ack, 16);
    const cells = dump.rows.flatMap((r) => r.cells);
    const trailer = cells.filter((c) => c.trailer);
    expect(trailer).toHaveLength(6 + 4);
    expect(trailer.slice(0, 6).every((c) => c.value === 0)).toBe(true);
    const padded = new Uint8Array(60);
    padded.set(ack.frame);
    const crc = crc32(padded) >>> 0;
    expect(trailer.slice(6).map((c) => c.value)).toEqual([
      crc & 255,
      (crc >>> 8) & 255,
      (crc >>> 16) & 255,
      crc >>> 24,
    ]);
    expect(trailerBytes(ack)).toHaveLength(10);
    expect(dump.fields.at(-1)!.key).toBe('fcs');
    expect(dump.fields.at(-2)!.key).toBe('padding');
  });

  it('prints ASCII only for printable bytes', () => {
    const cells = hexDump(PACKETS[3]!, 16).rows.flatMap((r) => r.cells);
    expect(
      cells
        .slice(54, 58)
        .map((c) => c.ascii)
        .join(''),
    ).toBe('GET ');
    expect(cells[0]!.ascii).toBe('·'); // 0x02
  });

  it('colours each byte by the layer of its field', () => {
    const cells = hexDump(hello, 16).rows.flatMap((r) => r.cells);
    expect(cells[0]!.colour).toBe('ethernet');
    expect(cells[14]!.colour).toBe('ipv4');
    expect(cells[34]!.colour).toBe('tcp');
    expect(cells[60]!.colour).toBe('app');
  });
});

describe('byte ↔ field maps', () => {
  it('maps a byte to the narrowest field covering it', () => {
    const dump = hexDump(hello, 16);
    const f = (i: number) => dump.fields[dump.byteToField[i]!]!;
    expect(f(0).key).toBe('dst');
    expect(f(23).key).toBe('protocol');
    expect(f(57).key).toBe('maskingKey');
    // Byte 14 holds IPv4 version (4 bits) and IHL (4 bits): a click picks the first of the two narrowest.
    expect(['version', 'ihl', 'headerLength']).toContain(f(14).key);
  });

  it('lists every field at a byte, narrowest first, so a second click can walk outwards', () => {
    const fields = hexDump(hello, 16).fields;
    const at54 = fieldsAt(fields, 54).map((i) => fields[i]!.key);
    expect(at54).toEqual(['fin', 'rsv1', 'rsv2', 'rsv3', 'opcode']);
    expect(fieldsAt(fields, 10_000)).toEqual([]);
  });

  it('maps a field back to exactly its bytes', () => {
    const dump = hexDump(hello, 16);
    const key = dump.fields.findIndex((f) => f.key === 'maskingKey');
    expect(fieldBytes(dump, key)).toEqual({ start: 56, end: 60 });
    expect([...hello.frame.slice(56, 60)]).toEqual([0x37, 0xfa, 0x21, 0x3d]);
    expect(fieldBytes(dump, 999)).toBeNull();
  });

  it('leaves uncovered bytes unmapped', () => {
    const map = mapBytesToFields(
      [{ layer: 'tcp', key: 'a', name: 'A', start: 1, end: 2, value: '', meaning: '' }],
      3,
    );
    expect([...map]).toEqual([-1, 0, -1]);
  });
});
