/**
 * Engine.IO v4 on the simulated network: the transport layer under Socket.IO, as engine.io 6 (server)
 * and engine.io-client 6 (browser) run it. Every packet is encoded by src/protocol/engineio.ts and
 * travels in real HTTP bodies (long-polling, several packets joined by 0x1e) or real WebSocket frames.
 *
 * What is modelled, following the libraries' code paths:
 * - Handshake: `GET /socket.io/?EIO=4&transport=polling&t=…` answered by the open packet
 *   `0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`.
 * - Long-polling: the browser keeps one GET outstanding, which the server holds until it has packets
 *   (then answers with all of them); packets from the browser go in POSTs answered `ok`, one POST at a
 *   time, packets written meanwhile wait for the next one.
 * - Upgrade: on open, the client opens a WebSocket to `…&transport=websocket&sid=…`, sends `2probe`,
 *   the server answers `3probe` and, every 100 ms, ends a pending poll with a `6` (noop) so the client
 *   can pause polling; then the client sends `5` (upgrade) on the WebSocket and everything moves there.
 * - Heartbeat (v4): the server sends `2` every pingInterval and closes the session ('ping timeout') when
 *   no `3` comes back within pingTimeout; the client closes it when nothing (no ping) has come for
 *   pingInterval + pingTimeout.
 * - Closing: the client sends a `1` (polling) or closes the WebSocket.
 *
 * Simplification, stated: a program that gives up on a silent peer (ping timeout, connect timeout)
 * aborts the TCP connections of that session at once (RFC 9293 §3.10.5: a RST when synchronized)
 * instead of letting the kernel retransmit a close for minutes; the stalled request is aborted too.
 */
import type { EioPacketRepr } from '../../../protocol/engineio';

/**
 * A transport under one Engine.IO session, on either side (engine.io's and engine.io-client's
 * Transport): long-polling or a WebSocket.
 */
export interface EioTransport {
  readonly name: 'polling' | 'websocket';
  writable: boolean;
  send(packets: readonly EioPacketRepr[]): void;
  /** Orderly close (the session ended normally). */
  close(): void;
  /** Give up: drop the connections without a goodbye. */
  abort(): void;
}
