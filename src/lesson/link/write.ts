/** serialiseLink: a scenario and view written as a link, only what differs from the lesson. */
import type { ScenarioMessage } from '../../sim/scenario';
import { lessonScenario } from '../catalogue';
import { nullable, type Param } from './params';
import type { LinkState } from './types';

const ENCODER = new TextEncoder();
const HEX = '0123456789ABCDEF';

/** RFC 3986 §2.3 unreserved characters plus ':' and ',' stay literal; all else is %XX of UTF-8 (§2.1). */
function encodeValue(text: string): string {
  if (/^[A-Za-z0-9\-._~:,]*$/.test(text)) return text;
  let out = '';
  for (const b of ENCODER.encode(text)) {
    const literal =
      (b >= 0x30 && b <= 0x39) || // 0-9
      (b >= 0x41 && b <= 0x5a) || // A-Z
      (b >= 0x61 && b <= 0x7a) || // a-z
      b === 0x2d || // -
      b === 0x2e || // .
      b === 0x5f || // _
      b === 0x7e || // ~
      b === 0x3a || // :
      b === 0x2c; // ,
    out += literal ? String.fromCharCode(b) : '%' + HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

function sameMessages(a: readonly ScenarioMessage[], b: readonly ScenarioMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.from === b[i]!.from && m.text === b[i]!.text);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * The query string, without '?': `lesson` first, then, in PARAMS order, only what differs from the lesson's
 * defaults; messages as repeated `m=`. The story is not written: it comes with the lesson.
 */
export function serialiseLink(
  state: LinkState,
  opts?: { readonly includeStep?: boolean; readonly includeView?: boolean },
): string {
  const s = state.scenario;
  const v = state.view;
  const base = lessonScenario(s.lesson);
  const parts: string[] = [`lesson=${encodeValue(s.lesson)}`];
  const put = (param: Param, value: string): void => {
    parts.push(`${param}=${encodeValue(value)}`);
  };
  if (s.seed !== base.seed) put('seed', String(s.seed));
  if (s.mss !== base.mss) put('mss', String(s.mss));
  if (s.frag !== base.frag) put('frag', nullable(s.frag));
  if (!sameNumbers(s.loss, base.loss)) put('loss', s.loss.length ? s.loss.join(',') : 'none');
  if (s.close !== base.close) put('close', s.close);
  if (s.walk !== base.walk) put('walk', s.walk);
  if (s.ping !== base.ping) put('ping', s.ping ? '1' : '0');
  if (s.event !== base.event) put('ev', s.event);
  if (s.clients !== base.clients) put('clients', String(s.clients));
  if (s.emit !== base.emit) put('emit', s.emit);
  if (s.drop !== base.drop) put('drop', nullable(s.drop));
  if (s.transport !== base.transport) put('transport', s.transport);
  if (s.interval !== base.interval) put('interval', String(s.interval));
  if (!sameMessages(s.messages, base.messages)) {
    if (s.messages.length === 0) parts.push('m=');
    for (const m of s.messages) put('m', `${m.from}:${m.text}`);
  }
  if (opts?.includeStep && v.step !== null) put('step', String(v.step));
  if (opts?.includeView) {
    if (v.present) put('present', '1');
    if (v.embed) put('embed', '1');
    if (v.from !== null) put('from', String(v.from));
    if (v.to !== null) put('to', String(v.to));
  }
  return parts.join('&');
}
