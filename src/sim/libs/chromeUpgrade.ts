/**
 * Chrome's WebSocket upgrade request (and the identity and origin every request of the simulated browser
 * carries), apart from http.ts: the websocket story needs only this, and the page loads it up front, while the
 * HTTP/1.1 exchanges of http.ts (Engine.IO polling, the comparison) come with the stories that use them.
 * http.ts re-exports all of it.
 */
import type { WsRequest } from './websocket';

/** The simulated browser, as its requests present it (a desktop Chrome on Linux). */
export const BROWSER_IDENTITY = {
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  /** The page was loaded from http://server/; requests go back to the same origin. */
  origin: 'http://server',
  referer: 'http://server/',
  host: 'server',
} as const;

/** The page's origin and the Referer its requests carry: https:// when it was loaded over TLS. */
export function pageOrigin(secure: boolean): { readonly origin: string; readonly referer: string } {
  return secure
    ? { origin: 'https://server', referer: 'https://server/' }
    : { origin: BROWSER_IDENTITY.origin, referer: BROWSER_IDENTITY.referer };
}

/**
 * Chrome's WebSocket upgrade request to `path` on the page's server, given its Sec-WebSocket-Key: the
 * headers in the order Debian's Chromium 156 wrote them (../shared/reference/routed/chromium-ws.pcap, the
 * `GET /chat` frame; over TLS chromium-wss.pcap frame 39 has the same list), each from its source:
 * - Host, Connection: Upgrade, Upgrade: websocket, Sec-WebSocket-Version: 13, Sec-WebSocket-Key: RFC 6455
 *   §4.1 (the protocol's rule); Origin: RFC 6455 §4.1 item 8 and the Fetch standard (the page's origin).
 * - Pragma: no-cache, Cache-Control: no-cache: the Fetch standard, "HTTP-network-or-cache fetch": a request
 *   whose cache mode is "no-store" (every WebSocket request, "establish a WebSocket connection") gets both.
 * - User-Agent, Accept-Encoding, Accept-Language: Chrome's own, the values of its other requests (the
 *   capture's identity is HeadlessChrome/156; the simulated browser keeps BROWSER_IDENTITY's desktop string).
 *   Over TLS Chrome also offers br and zstd (chromium-wss.pcap frame 39). No Sec-Fetch-* or client hints on
 *   an upgrade request (the same frame).
 * - Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits: Chrome's compression offer
 *   (RFC 7692 §5, §7.1.2.2: a valueless client_max_window_bits says the server may ask for a smaller window).
 */
export function browserWsRequest(path: string, secure = false): WsRequest {
  const origin = pageOrigin(secure).origin;
  return (key) => ({
    method: 'GET',
    target: path,
    version: 'HTTP/1.1',
    headers: [
      ['Host', BROWSER_IDENTITY.host],
      ['Connection', 'Upgrade'],
      ['Pragma', 'no-cache'],
      ['Cache-Control', 'no-cache'],
      ['User-Agent', BROWSER_IDENTITY.userAgent],
      ['Upgrade', 'websocket'],
      ['Origin', origin],
      ['Sec-WebSocket-Version', '13'],
      ['Accept-Encoding', secure ? 'gzip, deflate, br, zstd' : 'gzip, deflate'],
      ['Accept-Language', 'en-US,en;q=0.9'],
      ['Sec-WebSocket-Key', key],
      ['Sec-WebSocket-Extensions', CHROME_DEFLATE_OFFER],
    ],
  });
}

/** Chrome's permessage-deflate offer, as chromium-ws.pcap has it (RFC 7692 §7.1). */
export const CHROME_DEFLATE_OFFER = 'permessage-deflate; client_max_window_bits';
