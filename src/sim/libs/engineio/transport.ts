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
 * - Giving up on a silent peer (ping timeout) closes the ordinary way on both sides, as the libraries do:
 *   engine.io's Socket#onClose → clearTransport() → transport.close() (lib/socket.ts), which on the
 *   WebSocket transport is ws's `socket.close()` (lib/transports/websocket.ts doClose): an empty Close
 *   frame; engine.io-client's Socket#_onClose → transport.close() (lib/socket.ts), the browser's
 *   `ws.close()` (lib/transports/websocket.ts doClose): an empty masked Close frame. On a dead path both
 *   frames are retransmitted by TCP and lost; ws gives up after its closeTimeout (30 s) and Chrome after
 *   its closing handshake timeout (60 s), and each then closes its socket: a FIN (sim/libs/websocket.ts).
 *   No RST is sent by a program that gives up; a RST comes only from a TCP that receives a segment for a
 *   connection it no longer has (RFC 9293 §3.10.7.1).
 *
 * Simplification, stated (Wirewalk's): a transport error and the Manager's connect timeout abort the
 * session's TCP connections at once (RFC 9293 §3.10.5: a RST when synchronized), where engine.io-client
 * calls transport.close() and leaves a stalled request to the browser.
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
