/**
 * Independent checks of a timeline's packets, from their bytes: every frame decodes with correct
 * checksums, each direction's sequence space is contiguous (SYN and FIN count one), every ACK
 * acknowledges only what had really arrived, and the byte streams parse back into the WebSocket
 * messages of the scenario.
 */
import { concatBytes, strictUtf8 } from '../../src/protocol/bytes';
import { decodeEthernet } from '../../src/protocol/ethernet';
import { decodeHttpRequest, decodeHttpResponse } from '../../src/protocol/http';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { decodeTcp } from '../../src/protocol/tcp';
import { WS_OPCODES, decodeWsFrame, reassemble, type WsFrameRepr } from '../../src/protocol/websocket';
import type { Packet, Timeline } from '../../src/sim/types';

type Side = 'client' | 'server';

const IP = { client: '192.0.2.10', server: '198.51.100.20' } as const;

function seqLength(p: Packet): number {
  return p.tcp.len + (p.tcp.flags.includes('SYN') ? 1 : 0) + (p.tcp.flags.includes('FIN') ? 1 : 0);
}

/** Problems found in the frames' bytes; empty when every frame is right. */
export function checkFrames(t: Timeline): string[] {
  const problems: string[] = [];
  for (const p of t.packets) {
    const at = `#${p.wireIndex}`;
    const eth = decodeEthernet(p.frame);
    if (!eth.ok) {
      problems.push(`${at}: ethernet ${eth.error.message}`);
      continue;
    }
    const ip = decodeIpv4(eth.payload);
    if (!ip.ok || !ip.repr.checksumOk) {
      problems.push(`${at}: ipv4 ${ip.ok ? 'bad checksum' : ip.error.message}`);
      continue;
    }
    if (
      ip.repr.src !== IP[p.from as Side] ||
      ip.repr.dst !== IP[p.to as Side] ||
      ip.repr.ttl !== 64 ||
      !ip.repr.dontFragment
    ) {
      problems.push(`${at}: ipv4 header ${JSON.stringify(ip.repr)}`);
    }
    const tcp = decodeTcp(ip.payload, { src: ip.repr.src, dst: ip.repr.dst });
    if (!tcp.ok || tcp.repr.checksumOk !== true) {
      problems.push(`${at}: tcp ${tcp.ok ? 'bad checksum' : tcp.error.message}`);
      continue;
    }
    const r = tcp.repr;
    if (
      r.seq !== p.tcp.seq ||
      r.ack !== p.tcp.ack ||
      r.srcPort !== p.tcp.srcPort ||
      r.dstPort !== p.tcp.dstPort ||
      tcp.payload.length !== p.tcp.len ||
      [...r.flags].sort().join() !== [...p.tcp.flags].sort().join()
    ) {
      problems.push(`${at}: decoded TCP differs from packet.tcp`);
    }
  }
  return problems;
}

/** Problems with sequence and acknowledgment numbers; empty when consistent. */
export function checkSeqAck(t: Timeline): string[] {
  const problems: string[] = [];
  const byId = t.packets;
  // Each direction's sequence space is used contiguously by first transmissions.
  const next: Record<Side, number> = { client: 0, server: 0 };
  for (const p of byId) {
    const from = p.from as Side;
    const len = seqLength(p);
    if (p.retransmissionOf !== undefined) {
      const o = byId[p.retransmissionOf]!;
      if (o.tcp.relSeq !== p.tcp.relSeq || o.tcp.len !== p.tcp.len) {
        problems.push(`#${p.wireIndex}: retransmission does not match #${o.wireIndex}`);
      }
      const a = o.frame.subarray(o.frame.length - o.tcp.len);
      const b = p.frame.subarray(p.frame.length - p.tcp.len);
      if (a.some((x, i) => x !== b[i])) problems.push(`#${p.wireIndex}: retransmitted bytes differ`);
      continue;
    }
    if (p.tcp.relSeq !== next[from]) {
      problems.push(`#${p.wireIndex}: ${from} Seq=${p.tcp.relSeq}, expected ${next[from]}`);
    }
    next[from] = p.tcp.relSeq + len;
  }
  // Every ACK acknowledges only bytes that had arrived, and never goes backwards.
  const arrivals = byId.filter((p) => !p.lost).map((p) => ({ time: p.arrivesAt, p }));
  arrivals.sort((a, b) => a.time - b.time || a.p.id - b.p.id);
  const received: Record<Side, [number, number][]> = { client: [], server: [] };
  const coverage = (side: Side): number => {
    const iv = [...received[side]].sort((a, b) => a[0] - b[0]);
    let c = 0;
    for (const [s, e] of iv) if (s <= c) c = Math.max(c, e);
    return c;
  };
  const lastAck: Record<Side, number> = { client: 0, server: 0 };
  let ai = 0;
  for (const p of byId) {
    while (ai < arrivals.length && arrivals[ai]!.time <= p.sentAt) {
      const a = arrivals[ai++]!.p;
      received[a.to as Side].push([a.tcp.relSeq, a.tcp.relSeq + seqLength(a)]);
    }
    if (!p.tcp.flags.includes('ACK')) continue;
    const from = p.from as Side;
    const cov = coverage(from);
    if (p.tcp.relAck > cov)
      problems.push(`#${p.wireIndex}: ${from} Ack=${p.tcp.relAck} beyond what arrived (${cov})`);
    if (p.tcp.relAck < lastAck[from])
      problems.push(`#${p.wireIndex}: ${from} Ack went back to ${p.tcp.relAck}`);
    lastAck[from] = Math.max(lastAck[from], p.tcp.relAck);
  }
  // In the end each side has acknowledged the other's whole sequence space, SYN and FIN included.
  if (lastAck.client !== next.server)
    problems.push(`client acknowledged ${lastAck.client} of ${next.server}`);
  if (lastAck.server !== next.client)
    problems.push(`server acknowledged ${lastAck.server} of ${next.client}`);
  return problems;
}

/** The bytes one side sent, in sequence order, each once (retransmissions must repeat them exactly). */
export function streamOf(t: Timeline, from: Side): Uint8Array {
  const pieces = new Map<number, Uint8Array>();
  for (const p of t.packets) {
    if (p.from !== from || p.tcp.len === 0 || pieces.has(p.tcp.relSeq)) continue;
    pieces.set(p.tcp.relSeq, p.frame.subarray(p.frame.length - p.tcp.len));
  }
  const sorted = [...pieces.entries()].sort((a, b) => a[0] - b[0]);
  let at = 1;
  const out: Uint8Array[] = [];
  for (const [seq, bytes] of sorted) {
    if (seq !== at) throw new Error(`${from} stream has a gap or overlap at ${at} (next piece at ${seq})`);
    out.push(bytes);
    at += bytes.length;
  }
  return concatBytes(...out);
}

export interface ParsedStream {
  readonly head: string;
  readonly frames: readonly WsFrameRepr[];
  /** Text messages in order (data frames reassembled). */
  readonly texts: readonly string[];
  readonly controls: readonly { readonly opcode: number; readonly data: Uint8Array }[];
}

/** Parse one side's stream: its HTTP head, then WebSocket frames until the end. */
export function parseStream(stream: Uint8Array, from: Side): ParsedStream {
  const head = from === 'client' ? decodeHttpRequest(stream) : decodeHttpResponse(stream);
  if (!head.ok) throw new Error(`${from} head: ${head.error.message}`);
  const frames: WsFrameRepr[] = [];
  let at = head.length;
  while (at < stream.length) {
    const f = decodeWsFrame(stream.subarray(at), { from });
    if (!f.ok) throw new Error(`${from} frame at ${at}: ${f.error.message}`);
    frames.push(f.repr);
    at += f.length;
  }
  const joined = reassemble(frames);
  if (!joined.ok) throw new Error(`${from} frames: ${joined.error.message}`);
  const texts: string[] = [];
  const controls: { opcode: number; data: Uint8Array }[] = [];
  for (const m of joined.messages) {
    if (m.opcode === WS_OPCODES.text) texts.push(strictUtf8(m.data) ?? '\ufffd');
    else controls.push(m);
  }
  return {
    head: new TextDecoder().decode(stream.subarray(0, head.length)),
    frames,
    texts,
    controls,
  };
}
