/**
 * WebSocket frames (RFC 6455 §5) read from one direction of an upgraded connection: every frame becomes a
 * message (control frames between fragments included), masking is undone, close frames carry their code
 * and reason, and permessage-deflate (RFC 7692) messages are inflated with pako. Over Engine.IO
 * (`/socket.io/?EIO=4&transport=websocket`), each complete text message is one Engine.IO packet and is
 * read as such (the message's body is then `engineio`, its fields both layers).
 */
import { Inflate, Z_SYNC_FLUSH } from 'pako';
import { concatBytes } from '../../protocol/bytes';
import { shiftFields } from '../../protocol/fields';
import { decodeWsFrame, describeWsFrame, WS_OPCODES, decodeClosePayload } from '../../protocol/websocket';
import type { CaptureProblem } from '../model';
import { gapIn, lossyText, type Channel, type Decoding } from './context';
import { readEngineIo } from './engineio';

/** RFC 7692 §7.1: the parameters the server's 101 agreed to. */
export interface DeflateParams {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits?: number;
  readonly clientMaxWindowBits?: number;
}

/**
 * The accepted extension from the 101's Sec-WebSocket-Extensions (RFC 7692 §7; RFC 6455 §9.1 syntax:
 * `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`). Only the server's answer
 * counts: what the client offered is only an offer.
 */
export function parseDeflate(header: string | undefined): DeflateParams | null {
  if (header === undefined) return null;
  for (const ext of header.split(',')) {
    const [name, ...params] = ext.split(';').map((p) => p.trim());
    if (name?.toLowerCase() !== 'permessage-deflate') continue;
    const values = new Map<string, string>();
    for (const p of params) {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      values.set(
        key,
        eq < 0
          ? ''
          : p
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
      );
    }
    const bits = (key: string): number | undefined => {
      const v = values.get(key);
      return v === undefined || !/^[0-9]+$/.test(v) ? undefined : Number(v);
    };
    const serverBits = bits('server_max_window_bits');
    const clientBits = bits('client_max_window_bits');
    return {
      serverNoContextTakeover: values.has('server_no_context_takeover'),
      clientNoContextTakeover: values.has('client_no_context_takeover'),
      ...(serverBits !== undefined ? { serverMaxWindowBits: serverBits } : {}),
      ...(clientBits !== undefined ? { clientMaxWindowBits: clientBits } : {}),
    };
  }
  return null;
}

/** RFC 7692 §7.2.2: the receiver appends 0x00 0x00 0xff 0xff (the empty stored block the sender removed). */
const DEFLATE_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/**
 * One direction's decompressor. With context takeover (the default) the LZ77 window carries over from
 * message to message, so one raw inflater lives for the whole connection; with `*_no_context_takeover`
 * the sender resets after each message and so do we (RFC 7692 §7.1.1). A 15-bit window inflates any
 * smaller `*_max_window_bits` stream too.
 */
class MessageInflater {
  private inflater: Inflate | null = null;
  private out: Uint8Array[] = [];
  error: string | null = null;

  constructor(private readonly noContextTakeover: boolean) {}

  private current(): Inflate {
    if (this.inflater === null) {
      const inf = new Inflate({ raw: true, windowBits: 15 });
      inf.onData = (chunk: Uint8Array): void => {
        this.out.push(chunk);
      };
      this.inflater = inf;
    }
    return this.inflater;
  }

  /** Inflate one frame's payload; `last` ends the message. Returns what came out, or null after an error. */
  push(data: Uint8Array, last: boolean): Uint8Array | null {
    if (this.error !== null) return null;
    const inf = this.current();
    this.out = [];
    inf.push(last ? concatBytes(data, DEFLATE_TAIL) : data, Z_SYNC_FLUSH);
    if (inf.err) {
      this.error = inf.msg || `inflate error ${inf.err}`;
      return null;
    }
    const got = this.out.length === 1 ? this.out[0]! : concatBytes(...this.out);
    if (last && this.noContextTakeover) this.inflater = null;
    return got;
  }
}

export interface WsOptions {
  readonly deflate: DeflateParams | null;
  /** The upgrade was Engine.IO's (`EIO=` in the target): text messages are Engine.IO packets. */
  readonly engineIo: boolean;
}

const OPCODE_TEXT = WS_OPCODES.text;

/** Read every frame of `ch` from `start` to the end. */
export function decodeWebSocket(d: Decoding, ch: Channel, start: number, opts: WsOptions): void {
  const bytes = ch.bytes;
  const deflate = opts.deflate;
  const inflater = deflate
    ? new MessageInflater(
        ch.from === 'server' ? deflate.serverNoContextTakeover : deflate.clientNoContextTakeover,
      )
    : null;
  /** The data message being fragmented: its opcode, whether compressed, the text so far (for Engine.IO). */
  let message: { opcode: number; compressed: boolean; parts: Uint8Array[] } | null = null;
  let off = start;
  while (off < bytes.length) {
    const gap = gapIn(ch, off, bytes.length);
    const r = decodeWsFrame(bytes.subarray(off, gap ? gap[0] : bytes.length), { rsv1: deflate !== null });
    if (!r.ok) {
      if (r.error.code === 'incomplete' && gap) {
        d.problem(
          'tcp-gap',
          `WebSocket frames ${ch.from} → ${ch.from === 'client' ? 'server' : 'client'} stop at a gap in the capture (stream bytes ${gap[0]}–${gap[1]} never captured); what follows is not decoded.`,
          'error',
          { ch, offset: gap[0] },
        );
      } else if (r.error.code === 'incomplete') {
        d.problem(
          'ws-truncated',
          `The last WebSocket frame from the ${ch.from} is cut off: the capture ends after ${bytes.length - off} of its bytes (${r.error.message}).`,
          'note',
          { ch, offset: off },
        );
      } else {
        // RFC 6455 §7.1.7: a peer fails the connection at the first bad frame, so nothing after it is a frame.
        d.problem(
          `ws-${r.error.code}`,
          `Bad WebSocket frame from the ${ch.from} at stream byte ${off + r.error.offset}: ${r.error.message}; the rest of this direction is not decoded (a peer would fail the connection, RFC 6455 §7.1.7).`,
          'error',
          { ch, offset: off + r.error.offset },
        );
      }
      return;
    }
    const f = r.repr;
    const end = off + r.length;
    const headerLength = r.length - f.payload.length;
    const problems: CaptureProblem[] = [];
    const note = (code: string, text: string, severity: 'error' | 'note' = 'error'): void => {
      problems.push(d.problem(code, text, severity, { ch, offset: off }));
    };
    // RFC 6455 §5.1: clients mask every frame, servers none.
    if (ch.from === 'client' && !f.maskKey)
      note('ws-unmasked', 'A client frame without a mask (RFC 6455 §5.1 requires one).');
    if (ch.from === 'server' && f.maskKey)
      note('ws-masked', 'A masked server frame (RFC 6455 §5.1 forbids it).');

    const control = (f.opcode & 0x8) !== 0;
    let compressed = false;
    let payload = f.payload;
    let finishedMessage: Uint8Array | null = null;
    if (control) {
      // RFC 7692 §6.1: permessage-deflate never sets RSV1 on control frames.
      if (f.rsv1) note('ws-rsv1-control', 'RSV1 set on a control frame (RFC 7692 §6.1 forbids it).');
    } else {
      if (f.opcode === WS_OPCODES.continuation) {
        if (!message)
          note('ws-orphan-continuation', 'A continuation frame with no message to continue (RFC 6455 §5.4).');
        if (f.rsv1)
          note(
            'ws-rsv1-continuation',
            'RSV1 set on a continuation frame (RFC 7692 §6.1: only the first frame carries it).',
          );
      } else {
        if (message)
          note(
            'ws-expected-continuation',
            'A new data message began before the fragmented one ended (RFC 6455 §5.4).',
          );
        message = { opcode: f.opcode, compressed: f.rsv1, parts: [] };
      }
      compressed = message?.compressed ?? false;
      if (compressed && inflater) {
        const out = inflater.push(f.payload, f.fin);
        if (out === null) {
          note(
            'ws-inflate',
            `Could not inflate this permessage-deflate message: ${inflater.error ?? 'unknown error'} (RFC 7692 §7.2.2).`,
          );
          payload = new Uint8Array(0);
        } else payload = out;
      }
      message?.parts.push(payload);
      if (f.fin && message) {
        finishedMessage = message.parts.length === 1 ? message.parts[0]! : concatBytes(...message.parts);
        if (f.opcode === WS_OPCODES.continuation) compressed = message.compressed;
      }
    }

    const close = f.opcode === WS_OPCODES.close ? decodeClosePayload(f.payload) : null;
    const text = lossyText(payload);
    const body = {
      kind: 'ws-frame' as const,
      opcode: f.opcode,
      fin: f.fin,
      compressed,
      masked: f.maskKey !== null,
      ...(f.maskKey ? { maskKey: f.maskKey } : {}),
      text,
      payloadLength: f.payload.length,
      ...(close?.ok && close.code !== null ? { closeCode: close.code, closeReason: close.reason } : {}),
    };
    const wsSummary = describeWsFrame({ ...f, payload });
    const isEngineIoText =
      opts.engineIo && finishedMessage !== null && message?.opcode === OPCODE_TEXT && problems.length === 0;
    if (isEngineIoText && finishedMessage) {
      const eio = readEngineIo(lossyText(finishedMessage), 'websocket');
      for (const e of eio.errors) {
        problems.push(
          d.problem(`engineio-${e.code}`, `Engine.IO over WebSocket: ${e.message}`, 'error', {
            ch,
            offset: off + headerLength,
          }),
        );
      }
      // The Engine.IO fields index the payload; they line up with the wire only when it was not compressed
      // and is one frame (masked bytes sit where their unmasked values are shown).
      const sameBytes = !compressed && message!.parts.length === 1;
      const fields = sameBytes ? [...r.fields, ...shiftFields(eio.fields, headerLength)] : r.fields;
      d.emit(ch, off, end, eio.body, eio.summary, shiftFields(fields, off), problems);
    } else {
      d.emit(ch, off, end, body, wsSummary, shiftFields(r.fields, off), problems);
    }
    if (f.fin && !control) message = null;
    off = end;
  }
}
