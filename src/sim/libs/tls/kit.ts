/**
 * The TLS library as the stories take it: one object, loaded only with a TLS scenario (the page imports it
 * with `import()`; the command line and the tests with everything else). Each connection's randoms, keys and
 * tickets come from its own seeded stream, so the same link gives the same bytes and another seed other keys.
 */
import { rngStream } from '../../engine/rng';
import type { Socket } from '../../engine/network';
import { TEST_CERT_DER, TEST_CERT_HOST, TEST_CERT_PRIVATE_KEY } from './certificate';
import { TlsClient, TlsServer, nssKeyLog, type TlsSecrets } from './connection';
import { TlsClientSocket, TlsServerSocket, type TlsObserver } from './socket';

export interface TlsConnectionOptions {
  readonly seed: number;
  /** Names the connection's random stream, e.g. `client:0`. */
  readonly stream: string;
  readonly observer: TlsObserver | null;
}

export interface TlsKit {
  /** The browser's TLS (SNI `server`, ALPN http/1.1) over a TCP connection it is opening. */
  client(tcp: Socket, o: TlsConnectionOptions): TlsClientSocket;
  /** The server's TLS (the test certificate, ALPN http/1.1, two tickets) over an accepted connection. */
  server(tcp: Socket, o: TlsConnectionOptions): TlsServerSocket;
  /** NSS key log lines of a connection's secrets. */
  keyLog(s: TlsSecrets): string;
}

export const TLS_KIT: TlsKit = {
  client: (tcp, o) =>
    new TlsClientSocket(
      tcp,
      new TlsClient({
        serverName: TEST_CERT_HOST,
        alpn: ['http/1.1'],
        random: rngStream(o.seed, `tls:${o.stream}`),
      }),
      o.observer,
    ),
  server: (tcp, o) =>
    new TlsServerSocket(
      tcp,
      new TlsServer({
        certificates: [TEST_CERT_DER],
        privateKey: TEST_CERT_PRIVATE_KEY,
        alpn: ['http/1.1'],
        random: rngStream(o.seed, `tls:${o.stream}`),
        // OpenSSL's SSL_CTX_set_num_tickets default (the reference capture's two tickets).
        tickets: 2,
      }),
      o.observer,
    ),
  keyLog: nssKeyLog,
};
