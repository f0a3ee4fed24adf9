/**
 * TLS over a simulated TCP connection, as a `StreamSocket` the programs above use as they would use
 * TCP (Node's `tls.TLSSocket`, the browser's TLS under `wss://` and `https://`): plaintext in, records
 * out. The handshake runs when TCP is established; the program hears `established` only once TLS is.
 *
 * Every TCP write it makes is labelled with its records (and, for application data, the plaintext write
 * they carry), so the timeline can name each packet the way Wireshark does with the keys loaded, and the
 * inspector can show each record both as sent and as decrypted.
 */
import { concatBytes } from '../../../protocol/bytes';
import type { FieldAnnotation } from '../../../protocol/fields';
import { decodeTlsRecord, handshakeLabel, TLS_CONTENT_TYPES } from '../../../protocol/tls';
import type { Socket, SocketHandlers, StreamSocket } from '../../engine/network';
import type { AppWrite } from '../../engine/packet';
import type { HostInfo } from '../../types';
import type { StoryWrite, TlsPurpose } from '../websocket';
import { TlsClient, TlsServer, type TlsEvent, type TlsRecordOut } from './connection';

/** What a TLS-carried write holds besides its bytes. */
export interface TlsWriteInfo {
  readonly records: readonly TlsRecordOut[];
  /** The plaintext write inside application-data records; null for TLS's own records. */
  readonly inner: AppWrite | null;
}

/** What the timeline hears from a TLS connection. */
export interface TlsObserver {
  tls(e: TlsStepEvent): void;
}

export type TlsStepEvent =
  | {
      readonly kind: 'message-received';
      readonly host: HostInfo;
      readonly event: TlsEvent & { kind: 'handshake-message' };
    }
  | { readonly kind: 'established'; readonly host: HostInfo; readonly endpoint: TlsClient | TlsServer }
  | { readonly kind: 'close-notify'; readonly host: HostInfo }
  | { readonly kind: 'error'; readonly host: HostInfo; readonly message: string };

/** Wireshark's Info-column name of a record, as it reads with the keys loaded. */
export function recordLabel(r: TlsRecordOut): string {
  if (r.contentType === TLS_CONTENT_TYPES.change_cipher_spec) return 'Change Cipher Spec';
  if (r.contentType === TLS_CONTENT_TYPES.alert) return 'Alert (close_notify)';
  if (r.contentType === TLS_CONTENT_TYPES.handshake) return r.messages.map(handshakeLabel).join(', ');
  return 'Application Data';
}

/** The record header, ciphertext and tag (or plaintext fragment) of each record, one after another. */
function recordFields(records: readonly TlsRecordOut[]): FieldAnnotation[] {
  const out: FieldAnnotation[] = [];
  let at = 0;
  for (const r of records) {
    const d = decodeTlsRecord(r.wire);
    if (d.ok) for (const f of d.fields) out.push({ ...f, start: f.start + at, end: f.end + at });
    at += r.wire.length;
  }
  return out;
}

const PURPOSE_NAMES: { readonly [P in TlsPurpose]: string } = {
  'tls-client-hello': 'Client Hello',
  'tls-server-hello': 'Server Hello',
  'tls-client-finished': 'Finished',
  'tls-session-ticket': 'New Session Ticket',
  'tls-close-notify': 'Alert',
};

/** A TCP write of TLS's own records (handshake flights, close_notify). */
function ownWrite(
  records: readonly TlsRecordOut[],
  from: 'client' | 'server',
  purpose: TlsPurpose,
): StoryWrite {
  const labels = records.map(recordLabel);
  return {
    layer: 'tls',
    bytes: concatBytes(...records.map((r) => r.wire)),
    info: { kind: 'tls', records: labels },
    summary: labels.join(', ') || PURPOSE_NAMES[purpose],
    from,
    firstPacket: -1,
    fields: recordFields(records),
    purpose,
    tls: { records, inner: null },
  };
}

/** A TCP write of application-data records carrying `inner` (keeps the inner write's labels and reasons). */
function dataWrite(records: readonly TlsRecordOut[], inner: AppWrite): AppWrite {
  return {
    ...inner,
    layer: 'tls',
    bytes: concatBytes(...records.map((r) => r.wire)),
    firstPacket: -1,
    fields: recordFields(records),
    tls: { records, inner },
  } as AppWrite;
}

abstract class TlsSocket implements StreamSocket {
  handlers: SocketHandlers = {};
  protected readonly endpoint: TlsClient | TlsServer;
  private ended = false;

  constructor(
    protected readonly tcpSocket: Socket,
    endpoint: TlsClient | TlsServer,
    protected readonly observer: TlsObserver | null,
    protected readonly side: 'client' | 'server',
  ) {
    this.endpoint = endpoint;
    tcpSocket.handlers = {
      established: () => this.tcpEstablished(),
      data: (b) => this.data(b),
      end: () => this.handlers.end?.(),
      aborted: (why) => this.handlers.aborted?.(why),
      closed: () => this.handlers.closed?.(),
    };
  }

  get tcp(): Socket['tcp'] {
    return this.tcpSocket.tcp;
  }

  get host(): HostInfo {
    return this.tcpSocket.host;
  }

  get peer(): HostInfo {
    return this.tcpSocket.peer;
  }

  get connection(): number {
    return this.tcpSocket.connection;
  }

  protected tcpEstablished(): void {}

  private data(bytes: Uint8Array): void {
    const { out, events } = this.endpoint.receive(bytes);
    if (out.length > 0) {
      const tickets = out.every((r) => r.messages.includes('new_session_ticket'));
      const purpose: TlsPurpose = tickets
        ? 'tls-session-ticket'
        : this.side === 'server'
          ? 'tls-server-hello'
          : 'tls-client-finished';
      const w = ownWrite(out, this.side, purpose);
      this.tcpSocket.write(w.bytes, w);
    }
    const host = this.tcpSocket.host;
    for (const e of events) {
      switch (e.kind) {
        case 'handshake-message':
          this.observer?.tls({ kind: 'message-received', host, event: e });
          break;
        case 'established':
          this.observer?.tls({ kind: 'established', host, endpoint: this.endpoint });
          this.handlers.established?.();
          break;
        case 'data':
          this.handlers.data?.(e.bytes);
          break;
        case 'close-notify':
          this.observer?.tls({ kind: 'close-notify', host });
          break;
        case 'error':
          this.observer?.tls({ kind: 'error', host, message: e.message });
          this.tcpSocket.abort();
          return;
      }
    }
  }

  write(bytes: Uint8Array, tag?: unknown): void {
    const records = this.endpoint.send(bytes);
    if (records.length === 0) return;
    const inner = tag as AppWrite | undefined;
    const w = inner ? dataWrite(records, inner) : ownWrite(records, this.side, 'tls-close-notify');
    this.tcpSocket.write(w.bytes, w);
  }

  /** §6.1: close_notify, then TCP's FIN. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const records = this.endpoint.close();
    if (records.length > 0) {
      const w = ownWrite(records, this.side, 'tls-close-notify');
      this.tcpSocket.write(w.bytes, w);
    }
    this.tcpSocket.end();
  }

  abort(): void {
    this.tcpSocket.abort();
  }
}

/** The browser's TLS under `wss://`: the ClientHello as soon as TCP is up. */
export class TlsClientSocket extends TlsSocket {
  constructor(
    tcp: Socket,
    readonly client: TlsClient,
    observer: TlsObserver | null,
  ) {
    super(tcp, client, observer, 'client');
  }

  protected override tcpEstablished(): void {
    const w = ownWrite(this.client.start(), 'client', 'tls-client-hello');
    this.tcpSocket.write(w.bytes, w);
  }
}

/** Node's `https`/`tls` server side of one connection. */
export class TlsServerSocket extends TlsSocket {
  constructor(
    tcp: Socket,
    readonly server: TlsServer,
    observer: TlsObserver | null,
  ) {
    super(tcp, server, observer, 'server');
  }
}
