/**
 * The narration of the current step: its title and a few sentences, the lesson's aside where the lesson makes
 * its point, and the misconception it meets. A polite live region, so a screen reader reads each step after
 * the teacher moves on, without interrupting.
 *
 * The box has a fixed height (Narration.css), so nothing below it moves when one step says more than the last.
 * A step that says more first has its type shrunk to fit, down to a floor (FIT_FLOOR: the presenter's text
 * stays at least 21 px); what still does not fit scrolls, with a "More" cue at the bottom of the box that
 * says so and how to reach it (a click, or PageDown, which clickers send: `scrollNarration` below).
 *
 * Finding that size takes a layout or more per try, and it used to happen inside every key press. So while the
 * page is idle, a hidden copy of the box (NarrationProbe: the same element, classes and size, in the same
 * place in the page, so the same style rules and container queries apply) lays out the next and the previous
 * step and fits them; a key press that lands on a step fitted that way sets the size it found and measures
 * nothing (the frame's own layout then lays the text out once, at that size, with its words already shaped).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { Chapter, Step, Timeline } from '../../sim/types';
import { useWirewalk, useWirewalkStore } from '../../state/context';
import { curriculumEntry, curriculumLink, lessonById } from '../../state/lesson';
import { selectAside, selectChapter, selectStep } from '../../state/store';
import '../theme/surfaces.css';
import './Narration.css';

/** How far the type may shrink (a factor on every size in the box, as the CSS variable --fit). */
const FIT_FLOOR = { normal: 0.8, present: 0.75, embed: 1 } as const;
const FIT_STEP = 0.05;

/** The i-th size the type may take: 1, 0.95, 0.9 … */
function fitAt(i: number): number {
  return Math.round((1 - i * FIT_STEP) * 100) / 100;
}

/** The content fits the box at the --fit it has now (a pixel of slack for rounding). */
function fitsNow(el: HTMLElement): boolean {
  return el.scrollHeight <= el.clientHeight + 1;
}

/**
 * Shrink the box's type to the largest size (1, 0.95, … down to `floor`) at which its content fits, and say
 * whether some of it still does not (then it scrolls). Each try costs a style and layout pass, forced in the
 * middle of the key press that changed the step (measured: 1-2 ms each, and a long step tried up to six sizes
 * one after the other). So the first measurement, at full size, also gives where to look: every size in the
 * box scales with --fit and the text rewraps at the smaller size, so its height shrinks roughly with the square
 * of the fit. From there the search walks up or down to the largest size that fits, which is the same size as
 * trying them all from the top (a smaller size never needs more height), in one or two more tries.
 */
export function fitToBox(el: HTMLElement, floor: number): { readonly fit: number; readonly more: boolean } {
  el.style.setProperty('--fit', '1');
  // After --fit: the scroll forces the one layout that the measurements below then read for free.
  el.scrollTop = 0;
  const box = el.clientHeight;
  const full = el.scrollHeight;
  const last = Math.max(0, Math.round((1 - floor) / FIT_STEP));
  if (full <= box + 1 || last === 0) return { fit: 1, more: full > box + 1 };
  let shown = 0;
  const tried = new Map<number, boolean>([[0, false]]);
  const fits = (i: number): boolean => {
    let known = tried.get(i);
    if (known === undefined) {
      el.style.setProperty('--fit', String(fitAt(i)));
      shown = i;
      known = fitsNow(el);
      tried.set(i, known);
    }
    return known;
  };
  // The box's padding keeps its size; the rest scales.
  const style = getComputedStyle(el);
  const padding = (parseFloat(style.paddingTop) || 0) + (parseFloat(style.paddingBottom) || 0);
  const guess = Math.sqrt(Math.max(0, box - padding) / Math.max(1, full - padding));
  let i = Math.min(last, Math.max(1, Math.ceil((1 - guess) / FIT_STEP - 1e-9)));
  if (fits(i)) {
    while (i > 1 && fits(i - 1)) i--;
  } else {
    while (i < last && !fits(i)) i++;
  }
  const more = !fits(i);
  // The last size tried may be a neighbour of the answer.
  if (shown !== i) el.style.setProperty('--fit', String(fitAt(i)));
  return { fit: fitAt(i), more };
}

/** More text below what the box shows (a pixel of slack for rounding). */
function hasMoreBelow(el: HTMLElement): boolean {
  return el.scrollHeight - el.clientHeight - el.scrollTop > 1;
}

/**
 * Scroll the narration box on the page by most of its height, down (1) or up (-1), if there is more text that
 * way. Returns whether it scrolled, so PageDown reads the rest of a long step before it moves on.
 */
export function scrollNarration(root: ParentNode, direction: 1 | -1): boolean {
  const el = root.querySelector<HTMLElement>('.narration');
  return el ? scrollBox(el, direction) : false;
}

function scrollBox(el: HTMLElement, direction: 1 | -1): boolean {
  const room = direction > 0 ? el.scrollHeight - el.clientHeight - el.scrollTop : el.scrollTop;
  if (room <= 1) return false;
  // Instant: the cue's state follows the scroll event, and a clicker press should show its result at once.
  el.scrollTop += direction * Math.max(1, Math.round(el.clientHeight * 0.8));
  return true;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  encapsulate: 'wrapping',
  decapsulate: 'unwrapping',
  transmit: 'on the wire',
  drop: 'lost',
  receive: 'arriving',
  state: 'state change',
  app: 'application',
};

/**
 * A curriculum tag (`Q11`, `M3`) that explains itself: its question or misconception as the curriculum map
 * (lesson/curriculum.ts, from CURRICULUM.md) words it, as its name and tooltip, and a link to the step the map
 * names for it (this lesson's, where the map has one), as docs/curriculum-map.md links it. Until the lesson
 * content (which carries the map) has loaded, or for an id the map does not know, the bare id.
 */
function CurriculumTag({ id, lesson }: { readonly id: string; readonly lesson: string }) {
  const ready = useWirewalk((s) => s.lessonContentReady);
  const entry = ready ? curriculumEntry(id, lesson) : undefined;
  if (!entry) return <span className="curriculum-tag">{id}</span>;
  const where = lessonById(entry.lesson)?.title ?? entry.lesson;
  const kind = id.startsWith('M') ? 'Misconception' : 'Question';
  return (
    <a
      className="curriculum-tag"
      href={curriculumLink(entry)}
      aria-label={`${id}: ${entry.text}`}
      title={`${kind} ${id}: ${entry.text}\nCurriculum map: “${where}”, step ${entry.step} (follow the link)`}
    >
      {id}
    </a>
  );
}

/** A step's fit as fitToBox found it, for one box size and mode. */
interface Fitted {
  readonly fit: number;
  readonly more: boolean;
}

/**
 * Fits found ahead by NarrationProbe, per step (a timeline's steps are its own objects, so a new timeline
 * starts empty and the old one's entries go with it), then per everything else that decides the fit.
 */
const fitted = new WeakMap<Step, Map<string, Fitted>>();

/** What besides the step decides its fit: the box's size, the mode, and the texts shown around the step's own. */
function fitKey(mode: string, size: number, aside: string | undefined, chapter: Chapter | undefined): string {
  return `${mode}|${size}|${chapter?.title ?? ''}|${aside ?? ''}`;
}

/** Where the step happens, as the narration's first line says it. */
function placeOf(step: Step, timeline: Timeline): string {
  return step.host === 'wire'
    ? 'the wire'
    : (timeline.hosts.find((h) => h.id === step.host)?.label ?? step.host) +
        (step.layer ? `, layer ${step.layer}` : '');
}

/**
 * The box's content for one step. `live` is the box on screen: it carries the heading's id and the live
 * region; the probe's copy has neither (nothing reads or announces it).
 */
function NarrationBody({
  step,
  chapter,
  aside,
  timeline,
  live,
}: {
  readonly step: Step;
  readonly chapter: Chapter | undefined;
  readonly aside: string | undefined;
  readonly timeline: Timeline;
  readonly live: boolean;
}) {
  return (
    <>
      <div className="narration-main" {...(live ? { 'aria-live': 'polite', 'aria-atomic': true } : {})}>
        <p className="narration-where">
          <span className={`tag kind kind-${step.kind}`}>{KIND_WORDS[step.kind] ?? step.kind}</span>
          <span className="narration-place">{placeOf(step, timeline)}</span>
          {chapter ? <span className="narration-chapter">{chapter.title}</span> : null}
        </p>
        <h2 id={live ? 'narration-title' : undefined} className="narration-title">
          {step.title}
        </h2>
        <p className="narration-text">{step.text}</p>
        {aside ? (
          <p className="narration-aside">
            <span className="aside-label">In this lesson</span> {aside}
          </p>
        ) : null}
        {step.misconception ? (
          <aside className="myth" aria-label="Misconception">
            <p>
              <strong className="myth-label">Myth busted</strong> {step.misconception}
            </p>
          </aside>
        ) : null}
      </div>
      {step.curriculum && step.curriculum.length ? (
        <p className="curriculum" aria-label="Curriculum questions and misconceptions this step covers">
          {step.curriculum.map((c) => (
            <CurriculumTag key={c} id={c} lesson={timeline.scenario.lesson} />
          ))}
        </p>
      ) : null}
    </>
  );
}

type IdleDeadline = { timeRemaining(): number; readonly didTimeout: boolean };
type IdleWindow = Window & {
  requestIdleCallback?: (cb: (deadline: IdleDeadline) => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};

/**
 * Idle time this probe needs for one step: rendering the copy and fitting it measured 1-4 ms (Chromium 150,
 * this project's bench machine); less than this left before the next frame and it waits for the next idle
 * period, so it never delays a frame or a key press.
 */
const PROBE_IDLE_MS = 6;

/**
 * Which steps the probe fits, relative to the current one, in this order: the next few first (a teacher's
 * quick presses forward run ahead of one idle period per step), then the one before.
 */
const PROBE_AHEAD = [1, 2, 3, 4, -1, 5, 6, 7, 8, -2] as const;

interface ProbeTarget {
  readonly step: Step;
  readonly chapter: Chapter | undefined;
  readonly aside: string | undefined;
}

/**
 * The hidden copy of the narration box that fits the steps next to the current one while the page is idle
 * (see the top of this file). It is the same section with the same classes, right after the real one, fixed
 * at the corner of the window with the real box's size, invisible, inert and outside the accessibility tree,
 * and only there for the moment of fitting.
 */
function NarrationProbe({
  cursor,
  mode,
  size,
  boxRef,
}: {
  readonly cursor: number;
  readonly mode: keyof typeof FIT_FLOOR;
  readonly size: number;
  readonly boxRef: RefObject<HTMLElement | null>;
}) {
  const store = useWirewalkStore();
  const timeline = useWirewalk((s) => s.timeline);
  const [target, setTarget] = useState<ProbeTarget | null>(null);
  const [box, setBox] = useState<{ width: number; height: number } | null>(null);
  const probeRef = useRef<HTMLElement | null>(null);

  // Each time the step, the box or the mode changes: fit the next steps, then the previous one, as many per
  // idle period as it has time for, skipping those already fitted for this size and mode. Each is drawn,
  // fitted and taken away again within one idle callback, so the copy is never in the page between tasks
  // (nothing else ever finds a second narration in it).
  useEffect(() => {
    const w = typeof window === 'undefined' ? undefined : (window as IdleWindow);
    if (!w?.requestIdleCallback || !w.cancelIdleCallback || size === 0) return;
    let id = 0;
    let candidates = PROBE_AHEAD.map((d) => cursor + d);
    // On the real box, for tests and curious readers: whether fitting ahead of this step is done.
    if (boxRef.current) boxRef.current.dataset.probe = `busy:${cursor}`;
    const round = (deadline: IdleDeadline) => {
      const state = store.getState();
      const real = boxRef.current;
      while (candidates.length && real) {
        if (deadline.timeRemaining() < PROBE_IDLE_MS) {
          // Out of time: the copy leaves the page before the task ends, and the rest waits for the next idle period.
          flushSync(() => setTarget(null));
          id = w.requestIdleCallback!(round);
          return;
        }
        const index = candidates[0]!;
        candidates = candidates.slice(1);
        const step = state.timeline.steps[index];
        if (!step) continue;
        const at = { ...state, cursor: index };
        const chapter = selectChapter(at);
        const aside = selectAside(at);
        const key = fitKey(mode, size, aside, chapter);
        if (fitted.get(step)?.has(key)) continue;
        // The real box's own size (a read in idle time, after its frame: its layout is already done).
        const rect = real.getBoundingClientRect();
        flushSync(() => {
          setBox({ width: rect.width, height: rect.height });
          setTarget({ step, chapter, aside });
        });
        const el = probeRef.current;
        if (el) {
          let forStep = fitted.get(step);
          if (!forStep) fitted.set(step, (forStep = new Map()));
          forStep.set(key, fitToBox(el, FIT_FLOOR[mode]));
        }
      }
      flushSync(() => setTarget(null));
      if (real) real.dataset.probe = `done:${cursor}`;
    };
    id = w.requestIdleCallback(round);
    return () => w.cancelIdleCallback!(id);
  }, [cursor, mode, size, store, boxRef]);

  if (!target || !box) return null;
  return (
    <section
      ref={probeRef}
      className={`card narration narration-probe${target.step.misconception ? ' has-myth' : ''}`}
      aria-hidden="true"
      inert
      style={{
        position: 'fixed',
        left: 0,
        top: 0,
        width: box.width,
        height: box.height,
        maxHeight: box.height,
        visibility: 'hidden',
        pointerEvents: 'none',
        zIndex: -1,
      }}
    >
      <NarrationBody
        step={target.step}
        chapter={target.chapter}
        aside={target.aside}
        timeline={timeline}
        live={false}
      />
      <div className="narration-more-strip" />
    </section>
  );
}

export function Narration() {
  const step = useWirewalk(selectStep);
  const cursor = useWirewalk((s) => s.cursor);
  const chapter = useWirewalk(selectChapter);
  const timeline = useWirewalk((s) => s.timeline);
  const aside = useWirewalk(selectAside);
  const mode = useWirewalk((s) => (s.view.embed ? 'embed' : s.view.present ? 'present' : 'normal'));
  const boxRef = useRef<HTMLElement | null>(null);
  const [more, setMore] = useState(false);
  const [size, setSize] = useState(0);
  // Whether the box is scrolled away from its top (from its scroll events: reading scrollTop here would
  // force a layout).
  const scrolled = useRef(false);

  // Refit when the box changes size (a window resize, presenter mode, the phone layout turning).
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = -1;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      const key = box ? Math.round(box.width) * 10_000 + Math.round(box.height) : 0;
      if (key !== last) {
        last = key;
        setSize(key);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Before paint: the step's text at the largest size that fits, then the cue. A step the probe has fitted
  // for this very box needs no measuring (unless the box is scrolled: fitToBox also scrolls it back up).
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ahead = step && size !== 0 ? fitted.get(step)?.get(fitKey(mode, size, aside, chapter)) : undefined;
    // Which way this step's size was found, for tests (tests/e2e/layout.test.ts) and curious readers.
    if (ahead && !scrolled.current) {
      el.style.setProperty('--fit', String(ahead.fit));
      el.dataset.fit = 'ahead';
      setMore(ahead.more);
      return;
    }
    el.dataset.fit = 'measured';
    setMore(fitToBox(el, FIT_FLOOR[mode]).more);
  }, [step, aside, chapter, mode, size]);

  const onScroll = useCallback(() => {
    const el = boxRef.current;
    if (!el) return;
    scrolled.current = el.scrollTop > 0;
    setMore(hasMoreBelow(el));
  }, []);

  if (!step) {
    return (
      <section className="card narration" aria-live="polite">
        <h2 className="narration-title">Nothing to show</h2>
      </section>
    );
  }
  return (
    <>
      <section
        ref={boxRef}
        className={`card narration${step.misconception ? ' has-myth' : ''}${more ? ' has-more' : ''}`}
        aria-labelledby="narration-title"
        // The box scrolls when a step says more than fits even shrunk: focusable, so the keyboard can scroll it
        // too (WCAG 2.1.1; axe rule scrollable-region-focusable).
        tabIndex={0}
        onScroll={onScroll}
      >
        <NarrationBody step={step} chapter={chapter} aside={aside} timeline={timeline} live />
        {/* A zero-height strip stuck to the bottom of the box: the cue sits over the last visible line and adds
            nothing to what scrolls. */}
        <div className="narration-more-strip">
          {more ? (
            <button
              type="button"
              className="narration-more"
              title="More of this step below: scroll, or press PageDown"
              onClick={() => {
                if (boxRef.current) scrollBox(boxRef.current, 1);
              }}
            >
              More <span aria-hidden="true">▼</span>{' '}
              <kbd className="more-key" aria-hidden="true">
                PgDn
              </kbd>
            </button>
          ) : null}
        </div>
      </section>
      <NarrationProbe cursor={cursor} mode={mode} size={size} boxRef={boxRef} />
    </>
  );
}
