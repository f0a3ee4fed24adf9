import { lessonScenario } from '../../src/lesson/catalogue';
import { bytesEqual } from '../../src/protocol/bytes';
import { LINKTYPE_ETHERNET, decodePcap } from '../../src/protocol/pcap';
import { PCAP_EPOCH_SECONDS, buildTimeline, timelinePcap, timelineText } from '../../src/sim/timeline';
import { ALL_STORIES } from '../../src/sim/stories';
import type { Timeline } from '../../src/sim/types';
import { parseStream, streamOf } from './wire-check';

const lesson = lessonScenario('websocket');

/** What the seed chooses: ISNs, the browser's port, the key and the masking keys. */
function choices(t: Timeline) {
  const syn = t.packets[0]!;
  const synAck = t.packets[1]!;
  const client = parseStream(streamOf(t, 'client'), 'client');
  return {
    clientIsn: syn.tcp.seq,
    serverIsn: synAck.tcp.seq,
    port: syn.tcp.srcPort,
    key: /Sec-WebSocket-Key: (\S+)/.exec(client.head)![1],
    masks: client.frames.map((f) => Array.from(f.maskKey!).join('.')),
  };
}

describe('determinism', () => {
  it('gives byte-identical captures and text for the same scenario', () => {
    const a = buildTimeline(lesson, ALL_STORIES);
    const b = buildTimeline({ ...lesson, messages: lesson.messages.map((m) => ({ ...m })) }, ALL_STORIES);
    expect(bytesEqual(timelinePcap(a), timelinePcap(b))).toBe(true);
    expect(timelineText(a)).toBe(timelineText(b));
  });

  it('changes ISNs, port, key and masks with the seed', () => {
    const a = choices(buildTimeline(lesson, ALL_STORIES));
    const b = choices(buildTimeline({ ...lesson, seed: lesson.seed + 1 }, ALL_STORIES));
    expect(b.clientIsn).not.toBe(a.clientIsn);
    expect(b.serverIsn).not.toBe(a.serverIsn);
    expect(b.port).not.toBe(a.port);
    expect(b.key).not.toBe(a.key);
    expect(b.masks).toHaveLength(a.masks.length);
    b.masks.forEach((m, i) => expect(m).not.toBe(a.masks[i]));
    expect(b.port).toBeGreaterThanOrEqual(49152);
    expect(b.port).toBeLessThanOrEqual(65535);
  });

  it('keeps ISNs, port and key when a message is added (independent random streams)', () => {
    const a = choices(buildTimeline(lesson, ALL_STORIES));
    const b = choices(
      buildTimeline({ ...lesson, messages: [...lesson.messages, { from: 'c', text: 'more' }] }, ALL_STORIES),
    );
    expect(b.clientIsn).toBe(a.clientIsn);
    expect(b.serverIsn).toBe(a.serverIsn);
    expect(b.port).toBe(a.port);
    expect(b.key).toBe(a.key);
    expect(b.masks.slice(0, 1)).toEqual(a.masks.slice(0, 1));
  });
});

describe('timelinePcap', () => {
  it('is a classic Ethernet pcap of what the browser’s card saw, from 2011-12-11T00:00:00Z', () => {
    const t = buildTimeline(lesson, ALL_STORIES);
    const file = decodePcap(timelinePcap(t));
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.repr.linkType).toBe(LINKTYPE_ETHERNET);
    // Every packet, after the browser's ARP request for its gateway and the router's reply (RFC 826).
    const records = file.repr.records;
    expect(records).toHaveLength(t.packets.length + 2);
    expect(records[0]!.timestampUs).toBe(PCAP_EPOCH_SECONDS * 1_000_000);
    expect(records[0]!.data[12]! * 256 + records[0]!.data[13]!).toBe(0x0806);
    for (let i = 1; i < records.length; i++) {
      expect(records[i]!.timestampUs).toBeGreaterThanOrEqual(records[i - 1]!.timestampUs);
    }
    // A server frame is captured when it arrives, as the router forwarded it (TTL 63).
    const synAck = t.packets[1]!;
    const seen = synAck.hops!.at(-1)!.frame;
    expect(records[3]!.timestampUs - records[0]!.timestampUs).toBe(Math.round(synAck.arrivesAt * 1000));
    expect(bytesEqual(records[3]!.data, seen)).toBe(true);
    expect(seen[22]).toBe(63);
  });

  it('holds the browser’s lost frames but not the server’s', () => {
    const recordsOf = (t: Timeline) => {
      const file = decodePcap(timelinePcap(t));
      if (!file.ok) throw new Error(file.error.message);
      return file.repr.records;
    };
    const lostClient = buildTimeline({ ...lesson, loss: [3] }, ALL_STORIES);
    // Each capture also holds the two ARP frames before the first packet (frames 1 and 2, so the SYN is 3).
    const a = recordsOf(lostClient);
    expect(a).toHaveLength(lostClient.packets.length + 2);
    expect(bytesEqual(a[2]!.data, lostClient.packets[0]!.frame)).toBe(true);
    const lostServer = buildTimeline({ ...lesson, loss: [4] }, ALL_STORIES);
    const b = recordsOf(lostServer);
    expect(b).toHaveLength(lostServer.packets.length - 1 + 2);
    expect(b.some((r) => bytesEqual(r.data.subarray(12), lostServer.packets[1]!.frame.subarray(12)))).toBe(
      false,
    );
  });
});
