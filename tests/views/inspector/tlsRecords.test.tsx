// @vitest-environment jsdom
/**
 * The inspector's TLS panel: every record of a wss:// run, as on the wire and decrypted with the run's own
 * keys (timeline.tls), and what it renders for the upgrade request.
 */
import { render, screen } from '@testing-library/react';
import { parseLink } from '../../../src/lesson/link';
import { ALL_STORIES } from '../../../src/sim/stories';
import { buildTimeline } from '../../../src/sim/timeline';
import TlsPanel from '../../../src/views/inspector/TlsPanel';
import { packetRecords } from '../../../src/views/inspector/tlsRecords';

const t = buildTimeline(parseLink('lesson=wss').state.scenario, ALL_STORIES);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('packetRecords', () => {
  it('opens every protected record of the run with its keys', () => {
    const tls = t.packets.filter((p) => p.layers.tls && p.retransmissionOf === undefined);
    expect(tls.length).toBeGreaterThan(8);
    for (const p of tls) {
      const records = packetRecords(t, p);
      expect(records.length, p.summary).toBeGreaterThan(0);
      for (const r of records) expect(r.opened, `${p.summary} @${r.at}`).toBe(true);
    }
  });

  it('names the server’s flight record by record, plaintext then handshake keys', () => {
    const flight = t.packets.find((p) => p.summary.startsWith('Server Hello'))!;
    const records = packetRecords(t, flight);
    expect(records.map((r) => r.label)).toEqual([
      'ServerHello',
      'ChangeCipherSpec',
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ]);
    expect(records.map((r) => r.epoch)).toEqual([
      'plaintext',
      'plaintext',
      'handshake',
      'handshake',
      'handshake',
      'handshake',
    ]);
    expect(records.slice(2).map((r) => r.seq)).toEqual([0, 1, 2, 3]);
  });

  it('the upgrade request is one application-data record: type 23 outside, the GET inside', () => {
    const get = t.packets.find((p) => p.app?.kind === 'http-request')!;
    const [r] = packetRecords(t, get);
    expect(r).toMatchObject({ outerType: 23, version: 0x0303, innerType: 23, epoch: 'application', seq: 0 });
    expect(text(r!.content).startsWith('GET /chat HTTP/1.1\r\n')).toBe(true);
    expect(r!.fragmentLength).toBe(r!.content.length + 1 + 16);
    expect(r!.tag).toMatch(/^[0-9a-f]{32}$/);
  });

  it('returns nothing for a packet without TLS', () => {
    const plain = buildTimeline(parseLink('lesson=websocket').state.scenario, ALL_STORIES);
    expect(plain.packets.flatMap((p) => packetRecords(plain, p))).toEqual([]);
  });
});

describe('TlsPanel', () => {
  it('shows the record as sent and as decrypted, what TLS added, and this run’s key schedule', () => {
    const get = t.packets.find((p) => p.app?.kind === 'http-request')!;
    render(<TlsPanel timeline={t} packet={get} />);
    expect(screen.getByText(/type 23 \(application_data\) · 0x0303 · length/)).toBeInTheDocument();
    expect(screen.getByText(/GET \/chat HTTP\/1\.1/)).toBeInTheDocument();
    expect(screen.getByText(/TLS adds 1 × 22 = 22 bytes/)).toBeInTheDocument();
    const master = t.tls![0]!.values.find(([n]) => n === 'master secret')![1];
    expect(screen.getByText(master)).toBeInTheDocument();
  });
});
