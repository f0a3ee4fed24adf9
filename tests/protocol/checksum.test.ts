import { crc32, internetChecksum } from '../../src/protocol/checksum';
import { fromHex, utf8 } from '../../src/protocol/bytes';

describe('internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example sum', () => {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2; the checksum is its complement.
    expect(internetChecksum(fromHex('0001f203f4f5f6f7'))).toBe(~0xddf2 & 0xffff);
  });
  it('pads an odd final byte with zero', () => {
    expect(internetChecksum(fromHex('01'))).toBe(~0x0100 & 0xffff);
  });
});

describe('crc32 (Ethernet FCS)', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
  });
  it('is 0 for no bytes', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});
