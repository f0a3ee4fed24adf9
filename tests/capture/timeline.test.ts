import { describe, expect, it } from 'vitest';
import {
  captureTimeline,
  CAPTURE_LESSON,
  MAX_CAPTURE_CHAPTERS,
  MAX_LANES_PER_ROLE,
} from '../../src/capture/timeline';
import type { Capture } from '../../src/capture/model';
import { MAX_WALKS } from '../../src/capture/walk';
import { parseLink } from '../../src/lesson/link';
import { buildTimeline } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import { captureFromTimeline } from '../support/captureFixture';

const lesson = buildTimeline(parseLink('lesson=websocket&walk=none').state.scenario, ALL_STORIES);
const capture = captureFromTimeline(lesson, 'hello.pcap');

describe('captureTimeline on a hand-built capture', () => {
  const t = captureTimeline(capture);

  it('names one client and one server host from the addresses and ports', () => {
    const s = capture.streams[0]!;
    expect(t.hosts.map((h) => [h.id, h.role, h.label])).toEqual([
      ['client', 'client', `Client ${s.client.ip}:${s.client.port}`],
      ['server', 'server', `Server ${s.server.ip}:${s.server.port}`],
    ]);
  });

  it('has one transmit step per record and one app step per message, in order', () => {
    const transmits = t.steps.filter((s) => s.kind === 'transmit');
    const apps = t.steps.filter((s) => s.kind === 'app');
    expect(transmits).toHaveLength(capture.segments.length);
    expect(apps).toHaveLength(capture.messages.length);
    t.steps.forEach((s, i) => expect(s.index).toBe(i));
    for (const s of apps) expect(s.layer).toBe(7);
    // An app step comes right after the record that completes its message (or after that record's walk up the
    // receiver, which ends at layer 7), and names that packet.
    for (const s of apps) {
      const before = t.steps[s.index - 1]!;
      const afterWalk = before.kind === 'decapsulate' && before.layer === 7 && before.packet === s.packet;
      expect(before.kind === 'transmit' || before.kind === 'app' || afterWalk).toBe(true);
      expect(s.packet).toBeDefined();
    }
  });

  it('keeps every frame as captured, with the relative numbers and the record number', () => {
    t.packets.forEach((p, i) => {
      const seg = capture.segments[i]!;
      expect(p.frame).toBe(seg.data);
      expect(p.tcp.relSeq).toBe(seg.relSeq);
      expect(p.tcp.relAck).toBe(seg.relAck);
      expect(p.captured?.record).toBe(seg.record);
      expect(p.fcs).toBe(0);
      expect(p.padding).toBe(0);
    });
  });

  it("moves each message's fields into the frame, where they annotate the same bytes the lesson's did", () => {
    const hello = t.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')!;
    expect(hello).toBeDefined();
    const original = lesson.packets.find((p) => p.app?.kind === 'ws-frame' && p.app.text === 'Hello')!;
    const appFields = (fs: typeof hello.fields) =>
      fs.filter((f) => f.layer === 'websocket').map((f) => [f.key, f.start, f.end, f.value]);
    expect(appFields(hello.fields)).toEqual(appFields(original.fields));
    expect(hello.layers.websocket).toEqual(original.layers.websocket);
    expect(hello.summary).toBe(original.summary);
  });

  it('narrates what the bytes say: the SYN with its real sequence number, the text of a frame', () => {
    const syn = t.steps.find((s) => s.kind === 'transmit')!;
    const seg = capture.segments[0]!;
    expect(syn.title).toBe('SYN');
    expect(syn.text).toContain(
      `sends a SYN to ${capture.streams[0]!.server.ip}:${capture.streams[0]!.server.port}`,
    );
    expect(syn.text).toContain(`start at ${seg.seq}`);
    expect(syn.text).toContain('Record 1');
    const app = t.steps.find((s) => s.kind === 'app' && s.title.includes('Hello'))!;
    expect(app.text).toContain('"Hello"');
    expect(app.text).toContain('RFC 6455 §5.3');
    expect(app.host).toBe('client');
    // Nothing about a program: a capture has no source code.
    expect(t.programs.client.lines).toEqual([]);
    for (const s of t.steps) expect(s.code).toBeUndefined();
  });

  it('infers the TCP states RFC 9293 puts each side in after the segments seen', () => {
    const third = t.steps.filter((s) => s.kind === 'transmit')[2]!;
    expect(third.states['client']?.tcp?.state).toBe('ESTABLISHED');
    expect(third.states['server']?.tcp?.state).toBe('ESTABLISHED');
    const last = t.steps[t.steps.length - 1]!;
    expect(last.states['server']?.tcp?.state).toBe(
      lesson.steps[lesson.steps.length - 1]!.states['server']?.tcp?.state,
    );
    expect(last.states['client']?.tcp?.state).toBe('CLOSED');
  });

  it('splits the steps into contiguous chapters: handshake, upgrade, messages, teardown', () => {
    expect(t.chapters[0]!.firstStep).toBe(0);
    for (let i = 1; i < t.chapters.length; i++) {
      expect(t.chapters[i]!.firstStep).toBe(t.chapters[i - 1]!.lastStep + 1);
    }
    expect(t.chapters[t.chapters.length - 1]!.lastStep).toBe(t.steps.length - 1);
    for (const s of t.steps) {
      const c = t.chapters.find((x) => x.id === s.chapter)!;
      expect(s.index).toBeGreaterThanOrEqual(c.firstStep);
      expect(s.index).toBeLessThanOrEqual(c.lastStep);
    }
    expect(t.chapters.map((c) => c.title.split(': ')[1])).toEqual([
      'TCP handshake',
      'WebSocket upgrade',
      'WebSocket messages',
      'teardown',
    ]);
  });

  it('marks the timeline as a capture, with a placeholder scenario no lesson has', () => {
    expect(t.capture?.name).toBe('hello.pcap');
    expect(t.scenario.lesson).toBe(CAPTURE_LESSON);
    expect(t.scenario.messages).toEqual([]);
  });
});

describe('captureTimeline on unusual captures', () => {
  it('gives two client hosts to two connections from different ports', () => {
    const second: Capture = {
      ...capture,
      segments: [
        ...capture.segments,
        ...capture.segments.map((s) => ({
          ...s,
          record: s.record + capture.segments.length,
          stream: 1,
          ...(s.direction === 0 ? { src: { ...s.src, port: 40000 } } : { dst: { ...s.dst, port: 40000 } }),
        })),
      ],
      streams: [
        ...capture.streams,
        { ...capture.streams[0]!, id: 1, client: { ...capture.streams[0]!.client, port: 40000 } },
      ],
      messages: [],
    };
    const t = captureTimeline(second);
    expect(t.hosts.map((h) => h.id)).toEqual(['client', 'server', 'client-2']);
    expect(t.hosts[2]!.label).toBe(`Client ${capture.streams[0]!.client.ip}:40000`);
    const last = t.packets[t.packets.length - 1]!;
    expect([last.from, last.to].sort()).toEqual(['client-2', 'server']);
    expect(t.chapters.some((c) => c.title.startsWith('Connection 2'))).toBe(true);
  });

  it('draws at most MAX_LANES_PER_ROLE client lanes: one per address past that many endpoints, then one for the rest', () => {
    const make = (n: number, ipOf: (k: number) => string): Capture => ({
      ...capture,
      segments: Array.from({ length: n }, (_, k) =>
        capture.segments.map((s) => ({
          ...s,
          record: s.record + k * capture.segments.length,
          stream: k,
          ...(s.direction === 0
            ? { src: { ip: ipOf(k), port: 40000 + k } }
            : { dst: { ip: ipOf(k), port: 40000 + k } }),
        })),
      ).flat(),
      streams: Array.from({ length: n }, (_, k) => ({
        ...capture.streams[0]!,
        id: k,
        client: { ip: ipOf(k), port: 40000 + k },
      })),
      messages: [],
    });
    const clients = (t: ReturnType<typeof captureTimeline>) => t.hosts.filter((h) => h.role === 'client');
    // Eight endpoints: a lane each, named by address and port.
    expect(clients(captureTimeline(make(MAX_LANES_PER_ROLE, () => '10.0.0.1'))).map((h) => h.label)).toEqual(
      Array.from({ length: MAX_LANES_PER_ROLE }, (_, k) => `Client 10.0.0.1:${40000 + k}`),
    );
    // Forty connections from one address: one lane, saying how many.
    expect(clients(captureTimeline(make(40, () => '10.0.0.1'))).map((h) => h.label)).toEqual([
      'Client 10.0.0.1 (40 connections)',
    ]);
    // Twelve addresses: seven lanes of their own and one for the other five.
    const t = captureTimeline(make(12, (k) => `10.0.0.${k + 1}`));
    const labels = clients(t).map((h) => h.label);
    expect(labels).toHaveLength(MAX_LANES_PER_ROLE);
    expect(labels.at(-1)).toBe('Client 5 other addresses (5 connections)');
    // Every packet still goes between one of these lanes and the server.
    for (const p of t.packets) expect(t.hosts.some((h) => h.id === p.from)).toBe(true);
  });

  it('cuts thousands of connection chapters into at most MAX_CAPTURE_CHAPTERS runs named by their records', () => {
    const n = 40;
    const per = capture.segments.length;
    const many: Capture = {
      ...capture,
      segments: Array.from({ length: n }, (_, k) =>
        capture.segments.map((s) => ({
          ...s,
          record: s.record + k * per,
          stream: k,
          ...(s.direction === 0
            ? { src: { ...s.src, port: 40000 + k } }
            : { dst: { ...s.dst, port: 40000 + k } }),
        })),
      ).flat(),
      streams: Array.from({ length: n }, (_, k) => ({
        ...capture.streams[0]!,
        id: k,
        client: { ...capture.streams[0]!.client, port: 40000 + k },
      })),
      messages: [],
    };
    const t = captureTimeline(many);
    // The OSI walk stays bounded: 40 SYNs, but at most MAX_WALKS packets walked, 14 steps each.
    const walkSteps = t.steps.filter((s) => s.kind === 'encapsulate' || s.kind === 'decapsulate');
    const walked = new Set(walkSteps.map((s) => s.packet));
    expect(walked.size).toBe(MAX_WALKS);
    expect(walkSteps).toHaveLength(14 * MAX_WALKS);
    expect(t.steps.length - t.packets.length).toBe(14 * MAX_WALKS);
    for (const p of walked) expect(t.packets[p!]!.tcp.flags).toEqual(['SYN']);
    expect(t.chapters.length).toBeLessThanOrEqual(MAX_CAPTURE_CHAPTERS);
    expect(t.chapters.length).toBeGreaterThan(1);
    expect(t.chapters[0]!.firstStep).toBe(0);
    expect(t.chapters[t.chapters.length - 1]!.lastStep).toBe(t.steps.length - 1);
    for (let i = 1; i < t.chapters.length; i++)
      expect(t.chapters[i]!.firstStep).toBe(t.chapters[i - 1]!.lastStep + 1);
    for (const c of t.chapters) {
      const records = t.steps.slice(c.firstStep, c.lastStep + 1).map((s) => t.packets[s.packet!]!.wireIndex);
      expect(c.title).toBe(`Records ${Math.min(...records)}–${Math.max(...records)}`);
      for (let i = c.firstStep; i <= c.lastStep; i++) expect(t.steps[i]!.chapter).toBe(c.id);
    }
  });

  it('says so in one step when there is no TCP at all, listing what was skipped and the problems', () => {
    const t = captureTimeline({
      ...capture,
      source: { ...capture.source, records: 3, skipped: { UDP: 3 } },
      segments: [],
      streams: [],
      messages: [],
      problems: [
        {
          code: 'truncated-record',
          message: 'Record 3 is cut short at byte 90.',
          severity: 'error',
          record: 3,
          offset: 90,
        },
      ],
    });
    expect(t.steps).toHaveLength(1);
    expect(t.steps[0]!.text).toContain('3 UDP');
    expect(t.steps[0]!.text).toContain('Record 3 is cut short at byte 90.');
    expect(t.capture?.problems).toHaveLength(1);
  });

  it('draws a HAR as the application layer only, and says why first', () => {
    const t = captureTimeline({
      source: {
        name: 'chat.har',
        format: 'har',
        size: 100,
        records: 1,
        interfaces: [],
        skipped: {},
        keyLog: 'none',
      },
      segments: [],
      streams: [],
      messages: [
        {
          time: 12.5,
          from: 'server',
          entry: 0,
          body: {
            kind: 'ws-frame',
            opcode: 1,
            fin: true,
            compressed: false,
            masked: false,
            text: 'Hi!',
            payloadLength: 3,
          },
          summary: 'WebSocket Text [FIN] "Hi!"',
        },
      ],
      problems: [],
    });
    expect(t.packets).toEqual([]);
    expect(t.steps[0]!.text).toContain('A HAR has no packets');
    expect(t.steps[1]!.kind).toBe('app');
    expect(t.steps[1]!.host).toBe('server');
    expect(t.steps[1]!.text).toContain('"Hi!"');
    expect(t.steps[1]!.text).toContain('HAR entry 1');
  });
});
