/** serialiseLink: a scenario and view written as a link, only what differs from the lesson. */
import { DEFAULT_HOPS, type Scenario, type ScenarioMessage } from '../../sim/scenario';
import { lessonScenario } from '../catalogue';
import { nullable, type Param } from './params';
import { compressQuery, FRAGMENT_PREFIX, LINK_BUDGET } from './compact';
import type { LinkState, ViewState } from './types';

const ENCODER = new TextEncoder();
const HEX = '0123456789ABCDEF';

/** RFC 3986 §2.3 unreserved characters plus ':' and ',' stay literal; all else is %XX of UTF-8 (§2.1). */
function encodeValue(text: string): string {
  if (/^[A-Za-z0-9\-._~:,]*$/.test(text)) return text;
  // The browser's own encoder, natively (a 1 MB message in milliseconds, not a character at a time): it also
  // keeps !'()* literal, which are escaped here, and escapes ':' and ',', which are not. Every '%' it writes
  // starts a %XX, so "%3A" and "%2C" are always the escapes of ':' and ','.
  try {
    return encodeURIComponent(text)
      .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',');
  } catch {
    // A lone surrogate (URIError): below, the bytes TextEncoder writes for it (U+FFFD), one by one.
  }
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

/** serialiseLink's options: which of the view's parameters to write (none by default). */
export interface WriteOptions {
  readonly includeStep?: boolean;
  readonly includeView?: boolean;
}

/**
 * The scenario as serialiseLink writes it, in two parts: `lesson=<id>`, and the rest (`seed=…&…&m=…`, '' when
 * nothing differs from the lesson), which the compressed form puts in the fragment.
 */
export function scenarioQuery(scenario: Scenario): { readonly lesson: string; readonly rest: string } {
  const s = scenario;
  const base = lessonScenario(s.lesson);
  const parts: string[] = [];
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
  if ((s.offline ?? null) !== (base.offline ?? null)) put('offline', nullable(s.offline ?? null));
  if (s.transport !== base.transport) put('transport', s.transport);
  if ((s.client ?? 'io') !== (base.client ?? 'io')) put('client', s.client ?? 'io');
  if (s.interval !== base.interval) put('interval', String(s.interval));
  if ((s.tls ?? false) !== (base.tls ?? false)) put('tls', s.tls ? '1' : '0');
  if ((s.deflate ?? false) !== (base.deflate ?? false)) put('deflate', s.deflate ? '1' : '0');
  if ((s.hops ?? DEFAULT_HOPS) !== (base.hops ?? DEFAULT_HOPS)) put('hops', String(s.hops ?? DEFAULT_HOPS));
  if (!sameMessages(s.messages, base.messages)) {
    if (s.messages.length === 0) parts.push('m=');
    for (const m of s.messages) put('m', `${m.from}:${m.text}`);
  }
  return { lesson: `lesson=${encodeValue(s.lesson)}`, rest: parts.join('&') };
}

/** The view's parameters as serialiseLink writes them (`step=…&present=1…`, '' when none is written). */
export function viewQuery(view: ViewState, opts?: WriteOptions): string {
  const parts: string[] = [];
  if (opts?.includeStep && view.step !== null) parts.push(`step=${view.step}`);
  if (opts?.includeView) {
    if (view.present) parts.push('present=1');
    if (view.embed) parts.push('embed=1');
    if (view.from !== null) parts.push(`from=${view.from}`);
    if (view.to !== null) parts.push(`to=${view.to}`);
  }
  return parts.join('&');
}

function joined(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('&');
}

/**
 * The query string, without '?': `lesson` first, then, in PARAMS order, only what differs from the lesson's
 * defaults; messages as repeated `m=`. The story is not written: it comes with the lesson. Always the readable
 * form, however long: `writeLink` is what decides on the compressed one.
 */
export function serialiseLink(state: LinkState, opts?: WriteOptions): string {
  const { lesson, rest } = scenarioQuery(state.scenario);
  return joined(lesson, rest, viewQuery(state.view, opts));
}

/**
 * A scenario's link, ready for any view: the readable parts, and the compressed fragment made on first use
 * (once per scenario: compressing a megabyte of messages takes a while; keep the object to reuse it).
 */
export interface ScenarioLink {
  readonly lesson: string;
  readonly rest: string;
  /** `compressQuery(rest)`, made once. */
  compressed(): string;
}

export function scenarioLink(scenario: Scenario): ScenarioLink {
  const { lesson, rest } = scenarioQuery(scenario);
  let compressed: string | null = null;
  return { lesson, rest, compressed: () => (compressed ??= compressQuery(rest)) };
}

/**
 * The link as Wirewalk hands it out, without '?': the readable query (serialiseLink) while `?` and the query
 * fit in LINK_BUDGET characters; otherwise `lesson=<id>` and the view's parameters in the query, and the rest
 * of the scenario compressed in the fragment: `lesson=websocket&step=3#z=…`.
 */
export function writeLinkFrom(link: ScenarioLink, view: ViewState, opts?: WriteOptions): string {
  const tail = viewQuery(view, opts);
  const readable = 1 + link.lesson.length + sep(link.rest) + sep(tail);
  if (readable <= LINK_BUDGET) return joined(link.lesson, link.rest, tail);
  return `${joined(link.lesson, tail)}#${FRAGMENT_PREFIX}${link.compressed()}`;
}

/** The length of writeLinkFrom's link, without building it (the fragment is made once, if it is needed). */
export function writtenLength(link: ScenarioLink, view: ViewState, opts?: WriteOptions): number {
  const tail = viewQuery(view, opts);
  const readable = 1 + link.lesson.length + sep(link.rest) + sep(tail);
  if (readable <= LINK_BUDGET) return readable - 1;
  return link.lesson.length + sep(tail) + 1 + FRAGMENT_PREFIX.length + link.compressed().length;
}

/** `part`'s length with the '&' before it, or 0 when it is not written. */
function sep(part: string): number {
  return part === '' ? 0 : part.length + 1;
}

/** writeLinkFrom for one state: readable up to LINK_BUDGET, compressed beyond it. */
export function writeLink(state: LinkState, opts?: WriteOptions): string {
  return writeLinkFrom(scenarioLink(state.scenario), state.view, opts);
}
