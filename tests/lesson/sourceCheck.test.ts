/** The source check itself (tests/support/sources.ts) can fail: it reports prose without a source and passes prose with one. */
import { unsourcedProse } from '../support/sources';

describe('the source check', () => {
  it('reports a sentence with no source comment beside it', () => {
    const text = `export const a = (n: number) => 'The server answers with a SYN-ACK of its own now.' + n;\n`;
    expect(unsourcedProse('a.ts', text)).toEqual([
      { line: 1, text: 'The server answers with a SYN-ACK of its own now.' },
    ]);
  });

  it('accepts a sentence whose statement carries a source', () => {
    const text = [
      '// RFC 9293 §3.5: the second segment of the handshake.',
      `export const a = 'The server answers with a SYN-ACK of its own now.';`,
      'export const b = {',
      `  // ws lib/websocket.js: close() without a code sends an empty Close frame.`,
      `  text: \`The browser sends \${1} Close frame with no status code.\`,`,
      `  label: 'short label',`,
      '};',
    ].join('\n');
    expect(unsourcedProse('a.ts', text)).toEqual([]);
  });

  it('does not let a comment name a source by just being there', () => {
    const text = [
      '// The handshake, second segment.',
      `export const a = 'The server answers with a SYN-ACK of its own now.';`,
      `export const b = 'A second sentence sits here, far from any source.'; // Wirewalk's choice: the wording`,
    ].join('\n');
    expect(unsourcedProse('a.ts', text).map((u) => u.line)).toEqual([2]);
  });

  it('a property holds its own source, not its neighbour', () => {
    const text = [
      'export const c = {',
      '  // RFC 6455 §5.3: the client masks.',
      `  a: 'Every frame from the browser is masked with four bytes.',`,
      `  b: 'The server never masks its frames, and this line has no source.',`,
      '};',
    ].join('\n');
    expect(unsourcedProse('a.ts', text).map((u) => u.line)).toEqual([4]);
  });
});

describe('the source check and commas', () => {
  it('takes a comment after a property’s comma as beside that property and the next one', () => {
    const text = [
      'export const c = {',
      `  title: 'The server answers with a SYN-ACK', // RFC 9293 §3.5: the second segment.`,
      `  text: 'It carries its own initial sequence number and the ACK.',`,
      `  more: 'A third property with no source of its own here.',`,
      '};',
    ].join('\n');
    expect(unsourcedProse('a.ts', text).map((u) => u.line)).toEqual([4]);
  });
});
