/**
 * The NSS key log format (what SSLKEYLOGFILE makes Chrome, Firefox, curl and Node write; described in
 * NSS's docs and IETF draft-ietf-tls-keylogfile): one secret a line, `LABEL <client_random hex> <secret hex>`,
 * `#` comments. A connection is found by the 32-byte random of its ClientHello.
 *
 * TLS 1.3 labels (RFC 8446 §7.1 secrets): CLIENT_EARLY_TRAFFIC_SECRET, CLIENT_HANDSHAKE_TRAFFIC_SECRET,
 * SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0, SERVER_TRAFFIC_SECRET_0, EARLY_EXPORTER_SECRET,
 * EXPORTER_SECRET. CLIENT_RANDOM (a TLS 1.2 master secret) is kept but not used: Wirewalk decrypts 1.3 only.
 */
import type { CaptureProblem } from './model';

export const KEY_LOG_LABELS = [
  'CLIENT_RANDOM',
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EARLY_EXPORTER_SECRET',
  'EXPORTER_SECRET',
] as const;
export type KeyLogLabel = (typeof KEY_LOG_LABELS)[number];

export interface KeyLogEntry {
  readonly secrets: Partial<Record<KeyLogLabel, Uint8Array>>;
}

export interface KeyLog {
  /** Secrets by the ClientHello random, as lower-case hex (64 characters). */
  readonly byClientRandom: ReadonlyMap<string, KeyLogEntry>;
  readonly lines: number;
  /** Lines that could not be read (line numbers are 1-based; `offset` is the line's first byte). */
  readonly problems: readonly CaptureProblem[];
}

const HEX = /^[0-9a-fA-F]+$/;

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Never throws: unreadable lines become problems, the rest is kept. */
export function parseKeyLog(text: string, name = 'key log'): KeyLog {
  const byClientRandom = new Map<string, { secrets: Partial<Record<KeyLogLabel, Uint8Array>> }>();
  const problems: CaptureProblem[] = [];
  const labels = new Set<string>(KEY_LOG_LABELS);
  let lineNo = 0;
  let offset = 0;
  let count = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const lineOffset = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const [label = '', random = '', secret = ''] = parts;
    const bad = (why: string): void => {
      problems.push({
        code: 'bad-key-log-line',
        message: `${name} line ${lineNo}: ${why}`,
        severity: 'error',
        record: lineNo,
        offset: lineOffset,
      });
    };
    if (label === 'RSA') continue; // RSA key exchange (TLS ≤ 1.2): nothing TLS 1.3 needs
    if (!labels.has(label)) {
      bad(
        `unknown label ${JSON.stringify(label.slice(0, 40))} (expected one of ${KEY_LOG_LABELS.join(', ')})`,
      );
      continue;
    }
    if (parts.length !== 3) {
      bad(`expected 3 fields (label, client random, secret), found ${parts.length}`);
      continue;
    }
    if (random.length !== 64 || !HEX.test(random)) {
      bad('the client random must be 64 hex digits (the 32 bytes of the ClientHello random)');
      continue;
    }
    if (secret.length % 2 !== 0 || secret.length < 2 || !HEX.test(secret)) {
      bad('the secret is not whole bytes of hex');
      continue;
    }
    const key = random.toLowerCase();
    let entry = byClientRandom.get(key);
    if (!entry) {
      entry = { secrets: {} };
      byClientRandom.set(key, entry);
    }
    entry.secrets[label as KeyLogLabel] = fromHex(secret);
    count++;
  }
  if (count === 0 && problems.length === 0) {
    problems.push({
      code: 'empty-key-log',
      message: `${name} holds no secrets (expected lines like CLIENT_TRAFFIC_SECRET_0 <random> <secret>).`,
      severity: 'error',
    });
  }
  return { byClientRandom, lines: lineNo, problems };
}
