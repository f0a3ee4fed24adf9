/**
 * The scheme and port a story's sentences use (ws:// or wss://, 80 or 443), and the bytes a program wrote when
 * TLS carries them: small enough for the main bundle; what the steps say about TLS itself is in ./tls.ts.
 */
import type { StoryWrite } from '../libs/websocket';
import type { RunFacts } from './narration';

/** RFC 6455 §3 / RFC 9110 §4.2: the scheme and default port. */
export function schemeOf(f: RunFacts): { readonly ws: string; readonly http: string; readonly port: number } {
  return f.scenario.tls ? { ws: 'wss', http: 'https', port: 443 } : { ws: 'ws', http: 'http', port: 80 };
}

/** The bytes the program wrote (inside the records when TLS carries the write). */
export function plainBytes(w: StoryWrite): Uint8Array {
  return w.tls?.inner ? w.tls.inner.bytes : w.bytes;
}
