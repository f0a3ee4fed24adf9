/**
 * The one step recorder every story writes its steps with. It keeps every host's state (a step's
 * `states` object is shared with the steps before it until a host's state changes), numbers and dates
 * the steps, puts each in the latest chapter begun (from the story's chapter table, in order), adds the
 * closing note of a run cut short, and lists the chapters. What a step says, and when, is the story's.
 */
import { codePointCount, codePointCut } from '../../protocol/bytes';
import type {
  Chapter,
  CodeRef,
  ConsoleLine,
  HostId,
  HostInfo,
  HostState,
  OsiLayer,
  Packet,
  Program,
  Step,
  StepLink,
  StepKind,
  StoryRun,
  TcpView,
  Timeline,
} from '../types';
import type { Scenario } from '../scenario';
import type { Narration } from './narration';

/** One row of a story's chapter table. */
export interface ChapterSpec {
  readonly id: string;
  readonly title: string;
}

/** A step before the recorder numbers, dates and files it. */
export interface StepDraft extends Narration {
  readonly host: HostId | 'wire';
  readonly layer: OsiLayer | null;
  readonly kind: StepKind;
  readonly packet?: number | undefined;
  readonly link?: StepLink | undefined;
  /** Index in `scenario.messages` of the message this step sends, carries or delivers. */
  readonly message?: number | undefined;
  readonly code?: CodeRef | null;
  readonly console?: readonly ConsoleLine[];
}

/** The TCP view of a server listening before anything has happened. */
export const LISTENING: TcpView = {
  connection: 0,
  state: 'LISTEN',
  sndNxt: 0,
  relSndNxt: 0,
  rcvNxt: 0,
  relRcvNxt: 0,
};

export class StepRecorder {
  readonly steps: Step[] = [];
  private states: Readonly<Record<HostId, HostState>>;
  private phase = 0;
  /** Runs after every step with the number of steps so far (a story may stop a run that grows too long). */
  afterStep: (count: number) => void = () => {};

  /**
   * @param chapters the story's chapters in order; a step belongs to the latest one begun.
   * @param states every host's state before the first step.
   * @param now the simulated time in ms, the time of a step unless it says otherwise.
   */
  constructor(
    private readonly chapters: readonly ChapterSpec[],
    states: Readonly<Record<HostId, HostState>>,
    private readonly now: () => number,
  ) {
    this.states = states;
  }

  /** Begin chapter `id`, unless a later one has begun already. */
  advance(id: string): void {
    const i = this.chapters.findIndex((c) => c.id === id);
    if (i > this.phase) this.phase = i;
  }

  stateOf(host: HostId): HostState | undefined {
    return this.states[host];
  }

  setHost(host: HostId, patch: Partial<HostState>): void {
    const old = this.states[host] ?? {};
    let changed = false;
    for (const k in patch) {
      if (old[k as keyof HostState] !== patch[k as keyof HostState]) changed = true;
    }
    if (!changed) return;
    this.replace(host, { ...old, ...patch });
  }

  setTcp(host: HostId, view: TcpView): void {
    // TCP's view is the same object while nothing shown has changed (TcpEndpoint.view): most calls stop here.
    const old = this.states[host];
    if (old?.tcp === view) return;
    this.replace(host, old ? { ...old, tcp: view } : { tcp: view });
  }

  /**
   * The hosts' states with `host`'s replaced, in a new object (earlier steps keep theirs); the hosts keep
   * their order. A copying loop, not `{ ...states, [host]: state }`: a computed key in a literal with a spread
   * takes V8's slow path, and this runs for nearly every step.
   */
  private replace(host: HostId, state: HostState): void {
    const next: Record<HostId, HostState> = {};
    for (const k in this.states) next[k] = this.states[k]!;
    next[host] = state;
    this.states = next;
  }

  step(d: StepDraft, time = this.now()): void {
    this.add(d, d, time);
  }

  /**
   * `step({ ...n, ...d })` without building the merged object (a story records one per packet): `n` says
   * what happened, `d` where. A narration has only the `Narration` keys, so nothing of `n` is overridden.
   */
  narrated(n: Narration, d: Omit<StepDraft, keyof Narration>): void {
    this.add(n, d, this.now());
  }

  private add(n: Narration, d: Omit<StepDraft, keyof Narration>, time: number): void {
    const step: { -readonly [K in keyof Step]: Step[K] } = {
      index: this.steps.length,
      chapter: this.chapters[this.phase]!.id,
      time,
      host: d.host,
      layer: d.layer,
      kind: d.kind,
      states: this.states,
      title: n.title,
      text: n.text,
    };
    if (d.packet !== undefined) step.packet = d.packet;
    if (d.link !== undefined) step.link = d.link;
    if (d.message !== undefined) step.message = d.message;
    if (n.curriculum && n.curriculum.length > 0) step.curriculum = n.curriculum;
    if (n.misconception) step.misconception = n.misconception;
    if (d.code) step.code = d.code;
    if (d.console && d.console.length > 0) step.console = d.console;
    this.steps.push(step);
    this.afterStep(this.steps.length);
  }

  /** A closing note when the run had to stop early. */
  finish(truncated: boolean): void {
    if (!truncated) return;
    this.step({
      host: 'wire',
      layer: null,
      kind: 'state',
      title: 'The simulation stops here', // Wirewalk's choice: a run stops at its time and step limits.
      text: 'This scenario would run on for too long; the timeline ends here.',
    });
  }

  /** The story's timeline: its hosts and packets, the steps and the chapters they fell into, its programs. */
  timeline(
    scenario: Scenario,
    hosts: readonly HostInfo[],
    packets: readonly Packet[],
    programs: { readonly client: Program; readonly server: Program },
  ): Timeline {
    return {
      scenario,
      hosts,
      packets,
      steps: this.steps,
      chapters: this.chapterList(),
      programs: { client: programs.client, server: programs.server },
    };
  }

  /** The chapters the steps fell into, in order, with their first and last steps. */
  private chapterList(): Chapter[] {
    const out: { -readonly [K in keyof Chapter]: Chapter[K] }[] = [];
    let last: (typeof out)[number] | undefined;
    for (const s of this.steps) {
      if (last && last.id === s.chapter) {
        last.lastStep = s.index;
      } else {
        const title = this.chapters.find((c) => c.id === s.chapter)?.title ?? s.chapter;
        last = { id: s.chapter, title, firstStep: s.index, lastStep: s.index };
        out.push(last);
      }
    }
    return out;
  }
}

/**
 * A story's run on its world, as a `StoryRun`: `run` is the world's (`World.run`), `sofar` the story's timeline
 * of the steps recorded so far, `whole` its finished timeline, made once, when the world has stopped.
 */
export function storyRun(
  rec: StepRecorder,
  run: (pause?: () => boolean) => boolean,
  sofar: () => Timeline,
  whole: () => Timeline,
): StoryRun {
  let done: Timeline | null = null;
  // The timeline so far, made once per pause: nothing changes until the run goes on.
  let paused: Timeline | null = null;
  return {
    advance(pause) {
      if (done) return true;
      paused = null;
      if (!run(pause && (() => pause(rec.steps.length)))) return false;
      done = whole();
      return true;
    },
    timeline() {
      if (done) return done;
      if (paused) return paused;
      // Copies: the recorder's arrays grow as the run goes on, and a timeline never changes.
      const t = sofar();
      return (paused = { ...t, steps: t.steps.slice(), packets: t.packets.slice(), partial: true });
    },
  };
}

/** A story that is simulated in one go, as a `StoryRun` (it never pauses). */
export function wholeRun(build: () => Timeline): StoryRun {
  let done: Timeline | null = null;
  return {
    advance() {
      done ??= build();
      return true;
    },
    timeline() {
      return (done ??= build());
    },
  };
}

/** Which packets walk the seven layers, and the write each packet carries part of. */
export class WalkLog<W> {
  private readonly writes: (W | undefined)[] = [];
  private readonly walked = new Set<number>();
  /** Original packet ids whose walk was cut short by a loss: their retransmission walks. */
  private readonly pending = new Set<number>();

  sent(p: Packet, w: W | undefined): void {
    this.writes[p.id] = w;
  }

  writeOf(p: Packet): W | undefined {
    return this.writes[p.id];
  }

  walk(p: Packet): void {
    this.walked.add(p.id);
  }

  walks(p: Packet): boolean {
    return this.walked.has(p.id);
  }

  /** Whether a retransmission finishes a walk a loss cut short. */
  resumes(p: Packet): boolean {
    return p.retransmissionOf !== undefined && this.pending.has(p.retransmissionOf);
  }

  lost(p: Packet): void {
    if (this.walked.has(p.id)) this.pending.add(p.retransmissionOf ?? p.id);
  }

  arrived(p: Packet): void {
    this.pending.delete(p.retransmissionOf ?? p.id);
  }
}

const CONSOLE_TEXT = 60;

/**
 * A text for a console line: at most 60 characters; a longer one is cut with '…', followed by its
 * length when `withLength` (the websocket story's console says how long a message was).
 */
export function consoleText(text: string, withLength: boolean): string {
  const max = CONSOLE_TEXT;
  if (text.length <= max) return text;
  // Only the start is shown: count no more than that in characters.
  const cut = codePointCut(text, max, max * 2);
  if (!cut.more && codePointCount(text) <= max) return text;
  // A copy of the head, not `text.slice()` alone: V8 keeps a slice's whole source alive, and the step keeps
  // this line (a received message's text would otherwise stay in memory for every console line).
  const head = (' ' + text.slice(0, cut.end)).slice(1);
  return `${head}…` + (withLength ? ` (${codePointCount(text)} characters)` : '');
}
