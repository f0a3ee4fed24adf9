/**
 * A static file server for the built site, for the browser tests and the benchmark (no external network, no
 * dependencies): node:http, GET and HEAD, correct MIME types, optional sub-path prefix (the site then exists
 * only under it, so a path that escapes the relative base shows up as a 404).
 *
 *   npx tsx scripts/serve.ts [dir=dist] [--prefix /some/sub/path/] [--port 0] [--host 127.0.0.1]
 *
 * prints the URL of the site and serves until interrupted. Port 0 picks a free port.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.pcap': 'application/vnd.tcpdump.pcap',
};

export interface ServeOptions {
  /** Folder to serve. */
  readonly root: string;
  /** URL path the site lives under, e.g. '/some/sub/path/' (default '/'). */
  readonly prefix?: string;
  readonly port?: number;
  readonly host?: string;
  /**
   * Answer `414 URI Too Long` when the request line ("GET /path?query HTTP/1.1") is longer than this many
   * bytes, as nginx does with its default `large_client_header_buffers 4 8k` (8 192 bytes). Default: no limit
   * beyond Node's own (MAX_REQUEST_HEAD). tests/e2e/links.test.ts uses it to stand in for real hosting.
   */
  readonly maxRequestLine?: number;
}

export interface StaticServer {
  /** The site's URL, ending in '/'. */
  readonly url: string;
  /** Requests answered so far, as 'METHOD path status' (for tests that check what was fetched). */
  readonly log: readonly string[];
  close(): Promise<void>;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/**
 * Lesson links carry messages in the query string, and the link codec allows up to 4 MiB of them; Node's default
 * limit for the request line plus headers is 16 KiB. Chromium itself refuses URLs over 2 MiB.
 */
const MAX_REQUEST_HEAD = 8 * 1024 * 1024;

export function serveStatic(options: ServeOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const prefix = normalisePrefix(options.prefix ?? '/');
  const log: string[] = [];

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string, headers = {}) => {
    log.push(`${req.method} ${(req.url ?? '').split('?')[0]} ${status}`);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(req, res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    }
    const requestLine = `${req.method} ${req.url ?? ''} HTTP/${req.httpVersion}`;
    if (options.maxRequestLine !== undefined && Buffer.byteLength(requestLine) > options.maxRequestLine) {
      return send(req, res, 414, 'URI too long\n');
    }
    const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
    if (`${pathname}/` === prefix) return send(req, res, 301, '', { location: prefix });
    if (!pathname.startsWith(prefix)) return send(req, res, 404, 'not found\n');
    let rest: string;
    try {
      rest = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      return send(req, res, 400, 'bad request\n');
    }
    if (rest.includes('\0')) return send(req, res, 400, 'bad request\n');
    let file = resolve(root, `.${sep}${rest}`);
    if (file !== root && !file.startsWith(root + sep)) return send(req, res, 404, 'not found\n');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return send(req, res, 404, 'not found\n');
    log.push(`${req.method} ${pathname} 200`);
    res.writeHead(200, {
      'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      // Revalidate every time: tests rebuild dist/ between runs and the service worker does its own caching.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const server = createServer({ maxHeaderSize: MAX_REQUEST_HEAD }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(req, res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      let closed: Promise<void> | null = null;
      resolveServer({
        url: `http://${host}:${port}${prefix}`,
        log,
        close() {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closed;
        },
      });
    });
  });
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: readonly string[]): Promise<void> {
  const positional = args.filter((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
  const server = await serveStatic({
    root: positional[0] ?? 'dist',
    prefix: argValue(args, '--prefix') ?? '/',
    port: Number(argValue(args, '--port') ?? 0),
    host: argValue(args, '--host') ?? '127.0.0.1',
  });
  console.log(server.url);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
