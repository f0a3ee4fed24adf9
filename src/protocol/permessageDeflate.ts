/**
 * permessage-deflate's compression (RFC 7692 §7.2) with pako, zlib's port: raw DEFLATE (no zlib header),
 * each message ended with a sync flush whose trailing empty block `00 00 ff ff` is taken off before the
 * message is framed (§7.2.1) and put back before it is inflated (§7.2.2). Without *_no_context_takeover the
 * same deflate stream, and so its window of past text, carries on from message to message (§7.2.3). pako
 * writes the bytes Node's zlib writes for the same input and settings (level 6, memLevel 8, 15-bit window),
 * which is what ws uses (lib/permessage-deflate.js _compress); tests/interop/deflate.test.ts checks it.
 *
 * Imported only by the stories that compress (sim/tlsStories.ts) and by the capture decoder (its worker, or its
 * lazy chunk: capture/decode/websocket.ts), so pako stays out of the first download.
 */
import { Deflate, Inflate, Z_NO_FLUSH, Z_SYNC_FLUSH } from 'pako';
import { concatBytes } from './bytes';
import { fail, type DecodeResult } from './fields';

/** §7.2.1: the four bytes a sync flush ends with, which the sender removes. */
export const DEFLATE_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

const EMPTY = new Uint8Array(0);

function drain(chunks: Uint8Array[]): Uint8Array {
  return concatBytes(...chunks.splice(0));
}

/** One direction's compressor: the sender's half of the agreement. */
export class MessageDeflater {
  private stream: Deflate | null = null;

  constructor(
    private readonly windowBits = 15,
    private readonly noContextTakeover = false,
    /**
     * Chrome's WebSocketDeflater::Finish (net/websockets/websocket_deflater.cc): an empty message is sent as
     * the single byte 00 without calling zlib, and the deflate context is reset, so the next message is
     * compressed as if it were the first. ws (Node's zlib) keeps its context instead.
     */
    private readonly emptyResets = false,
  ) {}

  /** One whole message's payload, compressed, without the trailing 00 00 ff ff. */
  compress(data: Uint8Array): Uint8Array {
    if (data.length === 0 && this.emptyResets) {
      this.stream = null;
      return Uint8Array.of(0x00);
    }
    // zlib refuses a raw window of 8 bits and uses 9 (zlib deflateInit2; ws does the same through Node).
    this.stream ??= new Deflate({ raw: true, windowBits: Math.max(9, this.windowBits) });
    // Write, then flush, as ws drives Node's zlib (lib/permessage-deflate.js _compress: write(data) then
    // flush(Z_SYNC_FLUSH)): an empty message then still gives the empty stored block 00 00 00 ff ff (sent as
    // 00, as Chrome sends it too), where a bare second sync flush would give nothing.
    this.stream.push(data, Z_NO_FLUSH);
    this.stream.push(EMPTY, Z_SYNC_FLUSH);
    const out = drain(this.stream.chunks);
    // §7.2.3.1: without context takeover each message starts a fresh stream.
    if (this.noContextTakeover) this.stream = null;
    const tail = out.length - DEFLATE_TAIL.length;
    return tail >= 0 && DEFLATE_TAIL.every((b, i) => out[tail + i] === b) ? out.subarray(0, tail) : out;
  }
}

/** One direction's decompressor: the receiver's half. */
export class MessageInflater {
  private stream: Inflate | null = null;

  constructor(
    private readonly windowBits = 15,
    private readonly noContextTakeover = false,
  ) {}

  /** A whole compressed message's payload (all its frames' payloads joined), inflated. */
  decompress(data: Uint8Array): DecodeResult<Uint8Array> {
    return this.inflate(data, true);
  }

  /**
   * One frame's payload of a compressed message, inflated as it arrives; `last` (the frame with FIN) ends the
   * message. A receiver that shows each fragment's text as it comes (the capture decoder) feeds the frames
   * one by one; what comes out of all of them is what `decompress` gives for the joined payloads.
   */
  inflate(data: Uint8Array, last: boolean): DecodeResult<Uint8Array> {
    this.stream ??= new Inflate({ raw: true, windowBits: Math.max(9, this.windowBits) });
    // §7.2.2: at the end of the message append 00 00 ff ff, then inflate.
    this.stream.push(last ? concatBytes(data, DEFLATE_TAIL) : data, Z_SYNC_FLUSH);
    const err = this.stream.err;
    const why = this.stream.msg;
    const out = drain(this.stream.chunks);
    if (err !== 0) {
      this.stream = null;
      // Data that does not inflate fails the connection (RFC 6455 §7.1.7; ws: lib/receiver.js decompress → error).
      return fail(
        'inflate-failed',
        `the compressed message does not inflate (zlib error ${err}${why ? `: ${why}` : ''})`,
        0,
      );
    }
    if (last && this.noContextTakeover) this.stream = null;
    return { ok: true, repr: out, payload: out, fields: [], length: data.length };
  }
}
