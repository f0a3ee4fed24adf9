/**
 * Wirewalk's TLS 1.3 client and server against a real TLS stack (Node's `tls`, OpenSSL underneath) over
 * loopback sockets: the handshake completes both ways, application records cross both ways, and the
 * WebSocket upgrade and a frame go through to a real `ws` server behind Node's TLS.
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { concatBytes, utf8 } from '../../src/protocol/bytes';
import { decodeHttpResponse, encodeHttpRequest, upgradeRequest, websocketKey } from '../../src/protocol/http';
import { WS_OPCODES, decodeWsFrame, encodeWsFrame } from '../../src/protocol/websocket';
import {
  TEST_CERT_DER,
  TEST_CERT_HOST,
  TEST_CERT_PRIVATE_KEY,
  pem,
  testPrivateKeyDer,
} from '../../src/sim/libs/tls/certificate';
import { TlsClient, TlsServer, type ByteSource, type TlsEvent } from '../../src/sim/libs/tls/connection';

const CERT = pem('CERTIFICATE', TEST_CERT_DER);
const KEY = pem('EC PRIVATE KEY', testPrivateKeyDer());

/** A counter-based byte source: deterministic, different per name. */
function source(name: string): ByteSource {
  let n = 0;
  return {
    bytes: (k) =>
      Uint8Array.from({ length: k }, (_, i) => (name.charCodeAt(i % name.length) * 31 + n++ * 7 + i) & 0xff),
  };
}

/** Wait for a condition reported by events (never on time). */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Wirewalk’s TLS client against Node’s tls server with a ws server behind it', () => {
  it('completes TLS 1.3, upgrades to WebSocket and gets a frame echoed', async () => {
    const server = https.createServer({
      cert: CERT,
      key: KEY,
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.3',
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo: ${String(m)}`)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;

    const client = new TlsClient({
      serverName: TEST_CERT_HOST,
      alpn: ['http/1.1'],
      random: source('client'),
    });
    const socket = net.connect(port, '127.0.0.1');
    const done = deferred<string>();
    const seen: string[] = [];
    let received: Uint8Array = new Uint8Array(0);
    let upgraded = false;
    const key = websocketKey(Uint8Array.from({ length: 16 }, (_, i) => i));
    const onEvent = (e: TlsEvent): void => {
      seen.push(e.kind);
      if (e.kind === 'error') done.reject(new Error(e.message));
      if (e.kind === 'established') {
        expect(e.alpn).toBe('http/1.1');
        for (const r of client.send(
          encodeHttpRequest(upgradeRequest({ host: 'server', path: '/chat', key })),
        ))
          socket.write(r.wire);
      }
      if (e.kind !== 'data') return;
      received = concatBytes(received, e.bytes);
      if (!upgraded) {
        const text = new TextDecoder().decode(received);
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = decodeHttpResponse(received.subarray(0, end + 4));
        if (!head.ok || head.repr.status !== 101) return done.reject(new Error('no 101'));
        upgraded = true;
        received = received.slice(end + 4);
        const frame = encodeWsFrame({
          fin: true,
          rsv1: false,
          rsv2: false,
          rsv3: false,
          opcode: WS_OPCODES.text,
          maskKey: Uint8Array.of(1, 2, 3, 4),
          payload: utf8('Hello over TLS'),
        });
        for (const r of client.send(frame)) socket.write(r.wire);
        return;
      }
      const f = decodeWsFrame(received, { from: 'server' });
      if (f.ok) done.resolve(new TextDecoder().decode(f.repr.payload));
    };
    socket.on('connect', () => {
      for (const r of client.start()) socket.write(r.wire);
    });
    socket.on('data', (b) => {
      const { out, events } = client.receive(new Uint8Array(b));
      for (const r of out) socket.write(r.wire);
      events.forEach(onEvent);
    });
    socket.on('error', done.reject);
    try {
      expect(await done.promise).toBe('echo: Hello over TLS');
      expect(seen).toContain('handshake-message');
      const secrets = client.secrets();
      expect(secrets.application).not.toBeNull();
    } finally {
      socket.destroy();
      wss.close();
      server.close();
    }
  });
});

describe('Node’s tls client against Wirewalk’s TLS server', () => {
  it('completes TLS 1.3 (trusting the test certificate by name), reads the server’s records and sends its own', async () => {
    const got = deferred<string>();
    const fromClient = deferred<string>();
    const netServer = net.createServer((sock) => {
      const server = new TlsServer({
        certificates: [TEST_CERT_DER],
        privateKey: TEST_CERT_PRIVATE_KEY,
        alpn: ['http/1.1'],
        random: source('server'),
        tickets: 2,
      });
      sock.on('data', (b) => {
        const { out, events } = server.receive(new Uint8Array(b));
        for (const r of out) sock.write(r.wire);
        for (const e of events) {
          if (e.kind === 'established') {
            for (const r of server.send(utf8('hello from Wirewalk'))) sock.write(r.wire);
          }
          if (e.kind === 'data') fromClient.resolve(new TextDecoder().decode(e.bytes));
          if (e.kind === 'error') fromClient.reject(new Error(e.message));
        }
      });
    });
    await new Promise<void>((r) => netServer.listen(0, '127.0.0.1', r));
    const port = (netServer.address() as net.AddressInfo).port;
    const client = tls.connect({
      host: '127.0.0.1',
      port,
      servername: TEST_CERT_HOST,
      ca: CERT,
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.3',
    });
    client.on('data', (b: Buffer) => got.resolve(b.toString()));
    client.on('error', got.reject);
    client.on('secureConnect', () => client.write('hello from Node'));
    try {
      expect(await got.promise).toBe('hello from Wirewalk');
      expect(await fromClient.promise).toBe('hello from Node');
      expect(client.authorized).toBe(true);
      expect(client.getProtocol()).toBe('TLSv1.3');
      expect(client.alpnProtocol).toBe('http/1.1');
      expect(client.getCipher().standardName).toBe('TLS_AES_128_GCM_SHA256');
    } finally {
      client.destroy();
      netServer.close();
    }
  });
});
