/**
 * Wireshark's verdict on the Server-Sent Events run of the comparison lesson: the capture's checksums are
 * good and nothing is malformed; tshark reads the EventSource request and the `200 OK` head with
 * `Transfer-Encoding: chunked`; and the server's bytes, as tshark reassembles the TCP stream, decode
 * (with an independent reading of RFC 9112 §7.1 and WHATWG HTML §9.2.5 here) into one chunk per message
 * holding `event: news` and the message. Wireshark 4.0 dissects a chunked body only once it has ended,
 * and this one never ends, so the chunks are read from tshark's stream reassembly. Skipped without tshark.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lessonScenario } from '../../src/lesson/catalogue';
import { buildCompareTimeline } from '../../src/sim/stories/compare/timeline';
import { timelinePcap } from '../../src/sim/timeline';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function tshark(args: readonly string[]): string {
  return execFileSync('tshark', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

describe.skipIf(!hasTshark())('tshark on the Server-Sent Events run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirewalk-sse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lesson = lessonScenario('polling-vs-websocket');
  const file = join(dir, 'compare.pcap');
  writeFileSync(file, timelinePcap(buildCompareTimeline(lesson)));

  it('finds good checksums and nothing malformed in the whole capture', () => {
    const bad = tshark([
      '-r',
      file,
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'ip.check_checksum:TRUE',
      '-Y',
      '_ws.malformed || tcp.checksum.status == 2 || ip.checksum.status == 2',
    ]);
    expect(bad.trim()).toBe('');
  });

  it('reads the EventSource request and the chunked text/event-stream head', () => {
    const fields = ['-T', 'fields', '-E', 'separator=|'];
    const req = tshark([
      '-r',
      file,
      '-Y',
      'http.accept == "text/event-stream"',
      ...fields,
      '-e',
      'http.request.method',
      '-e',
      'http.request.uri',
      '-e',
      'http.cache_control',
      '-e',
      'tcp.stream',
    ]).trim();
    const [method, uri, cache, stream] = req.split('|');
    expect([method, uri, cache]).toEqual(['GET', '/updates', 'no-cache']);
    const head = tshark([
      '-r',
      file,
      '-o',
      'http.desegment_body:FALSE',
      '-Y',
      `tcp.stream == ${stream} && http.response`,
      ...fields,
      '-e',
      'http.response.code',
      '-e',
      'http.content_type',
      '-e',
      'http.transfer_encoding',
      '-e',
      'http.content_length_header',
    ]).trim();
    expect(head).toBe('200|text/event-stream|chunked|');

    // The server's side of the stream, as tshark reassembles it (follow,tcp,raw: the server's lines are indented).
    const follow = tshark(['-r', file, '-q', '-z', `follow,tcp,raw,${stream}`]);
    const hex = follow
      .split('\n')
      .filter((l) => l.startsWith('\t'))
      .map((l) => l.trim())
      .join('');
    const text = new TextDecoder().decode(Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)));
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    // RFC 9112 §7.1: size in hex, CRLF, data, CRLF; the body never reaches its last chunk.
    const chunks: string[] = [];
    let at = 0;
    while (at < body.length) {
      const eol = body.indexOf('\r\n', at);
      expect(body.slice(at, eol)).toMatch(/^[0-9a-f]+$/);
      const size = parseInt(body.slice(at, eol), 16);
      const data = bytesSlice(body.slice(eol + 2), size);
      expect(body.slice(eol + 2 + data.length, eol + 4 + data.length)).toBe('\r\n');
      chunks.push(data);
      at = eol + 4 + data.length;
    }
    // WHATWG HTML §9.2.5: each chunk one event, `event: news`, one data line, a blank line.
    expect(chunks).toEqual(lesson.messages.map((m) => `event: news\ndata: ${m.text}\n\n`));
  });
});

/** The first `n` bytes (UTF-8) of `s`, as text. */
function bytesSlice(s: string, n: number): string {
  return new TextDecoder().decode(new TextEncoder().encode(s).subarray(0, n));
}
