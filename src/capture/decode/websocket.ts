/**
 * WebSocket frames (RFC 6455 §5) read from one direction of an upgraded connection: every frame becomes a
 * message (control frames between fragments included), masking is undone, close frames carry their code
 * and reason, and permessage-deflate (RFC 7692) messages are inflated by the simulator's own receiver
 * (protocol/permessageDeflate.ts, with the parameters protocol/wsExtensions.ts read from the 101). Over Engine.IO
 * (`/socket.io/?EIO=4&transport=websocket`), each complete text message is one Engine.IO packet and is
 * read as such (the message's body is then `engineio`, its fields both layers).
 */
import { concatBytes, lossyUtf8, strictUtf8 } from '../../protocol/bytes';
import { shiftFields, type DecodeResult } from '../../protocol/fields';
import { MessageInflater } from '../../protocol/permessageDeflate';
import type { DeflateParams } from '../../protocol/wsExtensions';
import { decodeWsFrame, describeWsFrame, WS_OPCODES, decodeClosePayload } from '../../protocol/websocket';
import type { CaptureProblem } from '../model';
import { gapIn, type Channel, type Decoding } from './context';
import { readEngineIo } from './engineio';

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
  // One decompressor per direction, with the window and context takeover the 101 agreed for that sender
  // (RFC 7692 §7.1.1-7.1.2): the receiver Wirewalk's simulated peers use, fed frame by frame.
  const inflater = deflate
    ? ch.from === 'server'
      ? new MessageInflater(deflate.serverMaxWindowBits, deflate.serverNoContextTakeover)
      : new MessageInflater(deflate.clientMaxWindowBits, deflate.clientNoContextTakeover)
    : null;
  /** Set at the first message that does not inflate: a receiver fails there (RFC 6455 §7.1.7). */
  let inflateError: string | null = null;
  /** The data message being fragmented: its opcode, whether compressed, the text so far (for Engine.IO). */
  let message: { opcode: number; compressed: boolean; parts: Uint8Array[] } | null = null;
  let off = start;
  while (off < bytes.length) {
    const gap = gapIn(ch, off, bytes.length);
    const r = decodeWsFrame(bytes.subarray(off, gap ? gap[0] : bytes.length), { deflate: deflate !== null });
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
    // RSV1 on a control or continuation frame (RFC 7692 §6.1) already failed decodeWsFrame above.
    if (!control) {
      if (f.opcode === WS_OPCODES.continuation) {
        if (!message)
          note('ws-orphan-continuation', 'A continuation frame with no message to continue (RFC 6455 §5.4).');
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
        const out: DecodeResult<Uint8Array> | null =
          inflateError === null ? inflater.inflate(f.payload, f.fin) : null;
        if (out && !out.ok) inflateError = out.error.message;
        if (out?.ok) payload = out.repr;
        else {
          note(
            'ws-inflate',
            `Could not inflate this permessage-deflate message: ${inflateError ?? 'unknown error'} (RFC 7692 §7.2.2).`,
          );
          payload = new Uint8Array(0);
        }
      }
      message?.parts.push(payload);
      if (f.fin && message) {
        finishedMessage = message.parts.length === 1 ? message.parts[0]! : concatBytes(...message.parts);
        if (f.opcode === WS_OPCODES.continuation) compressed = message.compressed;
      }
    }

    const close = f.opcode === WS_OPCODES.close ? decodeClosePayload(f.payload) : null;
    const text = lossyUtf8(payload);
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
    // A continuation of a text message is text too: quoted like its first frame (describeWsFrame alone
    // cannot know what the continuation continues, so it counts bytes).
    const wsSummary =
      f.opcode === WS_OPCODES.continuation && message?.opcode === OPCODE_TEXT && strictUtf8(payload) !== null
        ? describeWsFrame({ ...f, opcode: OPCODE_TEXT, payload }).replace(
            /^WebSocket Text/,
            'WebSocket Continuation',
          )
        : describeWsFrame({ ...f, payload });
    const isEngineIoText =
      opts.engineIo && finishedMessage !== null && message?.opcode === OPCODE_TEXT && problems.length === 0;
    if (isEngineIoText && finishedMessage) {
      const eio = readEngineIo(lossyUtf8(finishedMessage), 'websocket');
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

/**
 * A stream whose capture began after the upgrade (no HTTP seen) may still be WebSocket: it is, when each
 * direction's bytes are whole frames from its first byte to its last (the last may be cut), clients'
 * masked and servers' not (RFC 6455 §5.1). `rsv1` says a frame had RSV1 set (permessage-deflate was
 * agreed); `engineIo`, that every text frame was an Engine.IO packet. Null when it is not WebSocket.
 */
export function recogniseWebSocket(
  directions: readonly { readonly bytes: Uint8Array; readonly from: 'client' | 'server' }[],
): { readonly frames: number; readonly rsv1: boolean; readonly engineIo: boolean } | null {
  let frames = 0;
  let rsv1 = false;
  let texts = 0;
  let eioTexts = 0;
  for (const { bytes, from } of directions) {
    let off = 0;
    while (off < bytes.length) {
      const r = decodeWsFrame(bytes.subarray(off), { from, deflate: true });
      if (!r.ok) {
        if (r.error.code === 'incomplete' && frames > 0) break;
        return null;
      }
      frames++;
      rsv1 ||= r.repr.rsv1;
      if (r.repr.opcode === OPCODE_TEXT && !r.repr.rsv1) {
        texts++;
        const text = strictUtf8(r.repr.payload);
        if (text !== null && /^[0-6]/.test(text)) eioTexts++;
      }
      off += r.length;
    }
  }
  return frames > 0 ? { frames, rsv1, engineIo: texts > 0 && eioTexts === texts } : null;
}
