/**
 * The Server-Sent Events run of the comparison (WHATWG HTML §9.2): what the timeline is told about each
 * write of the stream: the response head (no Content-Length, `Transfer-Encoding: chunked`) and each chunk
 * carrying one event (RFC 9112 §7.1, protocol/sse.ts).
 */
import { clipText } from '../../../protocol/engineio';
import { decodeHttpResponseHead, encodeHttpResponse, type HttpResponseRepr } from '../../../protocol/http';
import { sseChunkFields, sseEventChunk } from '../../../protocol/sse';
import { EioWrite, httpResponseWrite } from '../../libs/engineio/writes';
import type { AppInfo, HostId } from '../../types';

/** The head of the stream, with the head's fields (the HTTP decoder leaves chunked bodies to the reader). */
export function sseHeadWrite(repr: HttpResponseRepr, browser: HostId): EioWrite {
  const w = httpResponseWrite(repr, '', 'http-response', browser, []);
  const head = decodeHttpResponseHead(encodeHttpResponse(repr));
  w.fields = head.ok ? head.fields : [];
  return w;
}

/** One event as one chunk: `19\r\nevent: news\ndata: Hello\n\n\r\n`. */
export function sseChunkWrite(text: string, event: string, browser: HostId): EioWrite {
  const bytes = sseEventChunk(text, event);
  const size = bytes.length - bytes.indexOf(0x0a) - 1 - 2;
  const info: AppInfo = { kind: 'http-chunk', size, text };
  // RFC 9112 §7.1 (the chunk's size) and WHATWG HTML §9.2.5 (its event and data lines).
  const summary = `HTTP chunk (${size} bytes): event: ${event}, data: ${JSON.stringify(clipText(text, 50))}`;
  const w = new EioWrite('http', bytes, info, summary, 'server', 'sse-chunk', browser, [], text);
  w.fields = sseChunkFields(bytes);
  return w;
}
