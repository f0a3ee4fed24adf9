/**
 * The stage: narration on top; the browser's stack on the left, the server's on the right, the wire and
 * the ladder / bytes / code between them; playback at the bottom. Everything reads one store.
 *
 * Three modes (from the link, see lesson/link.ts): normal, with the header's lesson picker, composer and
 * classroom buttons; presenter (`present=1` or P), with the editing chrome gone, large type, full screen,
 * black screen and a speaker window; embed (`embed=1`), compact for an iframe, with keys only once focused.
 * Dialogs (share, export), the questions, the speaker window and the presenter channel load when first used.
 */
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { useActions, useWirewalk, useWirewalkStore } from '../state/context';
import { lessonById } from '../state/lesson';
import { absoluteLink, speakerQuery } from '../state/links';
import type { WirewalkStore } from '../state/store';
import { CaptureDrop } from '../views/capture/CaptureDrop';
import { LazyCaptureBar } from '../views/capture/lazy';
import { CaptureInput, OpenCaptureButton } from '../views/capture/OpenCaptureButton';
import { Composer } from '../views/composer/Composer';
import { EmbedBar } from '../views/embed/EmbedBar';
import { LessonPicker } from '../views/lesson/LessonPicker';
import { Narration, scrollNarration } from '../views/narration/Narration';
import { ProblemNotice } from '../views/notice/ProblemNotice';
import { afterNextPaint } from '../state/tasks';
import { useAfterFirstPaint } from '../views/panels/afterPaint';
import { PlaybackBar } from '../views/playback/PlaybackBar';
import { Blackout } from '../views/presenter/Blackout';
import { ClassroomControls, type ShellActions } from '../views/presenter/ClassroomControls';
import { layerCssVariables } from '../views/theme/layers';
import { watchReducedMotion } from './environment';
import { exitFullscreen, toggleFullscreen } from './fullscreen';
import { startPlaybackClock } from './playbackClock';
import { syncUrl } from './urlSync';
import { useCompactLayout } from './useCompactLayout';
import { useKeyboard, type KeyEffects } from './useKeyboard';
import { useStageBody, type StageBodyModule } from './loadStage';
import { useSwipe } from './useSwipe';
import './App.css';

const ShareDialog = lazy(() =>
  import('../views/share/ShareDialog').then((m) => ({ default: m.ShareDialog })),
);
const ExportDialog = lazy(() =>
  import('../views/exports/ExportDialog').then((m) => ({ default: m.ExportDialog })),
);

function ThemeToggle() {
  const theme = useWirewalk((s) => s.theme);
  const { toggleTheme } = useActions();
  return (
    <button
      type="button"
      className="btn btn-theme"
      aria-pressed={theme === 'dark'}
      aria-label="Dark theme"
      title="Dark theme"
      onClick={toggleTheme}
    >
      <span aria-hidden="true">◐</span>
    </button>
  );
}

/** The stacks' grid areas, empty until the stage's heavy half is drawn (App's `staged` first frame). */
function Hosts({ body }: { readonly body: StageBodyModule | null }) {
  // A path with routers draws a router's stack between the centre and the server's (styles.css).
  const hasRouter = useWirewalk((s) => s.timeline.hosts.some((h) => h.role === 'router'));
  if (body) return <body.StageHosts hasRouter={hasRouter} />;
  // Keeps the grid areas of the stage laid out before the stacks arrive, so nothing moves when they do.
  return (
    <>
      <div className="stage-left" />
      <div className="stage-right" />
      {hasRouter ? <div className="stage-router" /> : null}
    </>
  );
}

/**
 * The header's tools (composer, classroom buttons, theme). On a wide screen they sit in the header; in the
 * compact layout behind one Menu button, as a panel that closes after a choice or on Esc.
 */
function HeaderTools({ compact, children }: { readonly compact: boolean; readonly children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const menuRef = useRef<HTMLDivElement | null>(null);
  // A press anywhere outside the menu and its button closes it.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      const t = e.target instanceof Node ? e.target : null;
      if (t && !menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  if (!compact) return <>{children}</>;
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    // Esc closes the menu and nothing else (not presenter mode: useKeyboard skips prevented keys).
    e.preventDefault();
    close();
  };
  const onClick = (e: MouseEvent) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    if (button && !button.closest('.composer')) setOpen(false);
  };
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-menu"
        aria-expanded={open}
        aria-controls="header-tools"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      {open ? (
        // Key and click handlers on the group catch what bubbles up from its buttons and fields.
        <div ref={menuRef} id="header-tools" className="header-tools" onKeyDown={onKeyDown} onClick={onClick}>
          {children}
        </div>
      ) : null}
    </>
  );
}

/** The speaker window: opened (or brought back) by name, on the same app with `speaker=1`. */
function openSpeaker(store: WirewalkStore): void {
  const url = absoluteLink(window.location.href, speakerQuery(store.getState()));
  window.open(url, 'wirewalk-speaker', 'popup,width=1100,height=760');
}

/** Presenter and speaker windows follow each other while presenting or once a speaker window was opened. */
function usePresenterChannel(store: WirewalkStore, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void import('./presenterChannel').then((m) => {
      if (!cancelled) stop = m.openPresenterChannel(store, 'presenter');
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [store, active]);
}

export interface AppProps {
  /** Keep the address bar in step with the stage (urlSync.ts); tests turn it off. */
  readonly syncAddressBar?: boolean;
  /**
   * Draw in two frames: first the frame (top bar, narration, playback bar), then the stacks, the wire and the
   * panels, whose grid areas are already laid out so nothing moves when they arrive. main.tsx turns it on;
   * tests render everything at once.
   */
  readonly staged?: boolean;
  /** Called once, in a task after the frame in which the whole stage (panels included) was first painted. */
  readonly onStageDrawn?: () => void;
}

export function App({ syncAddressBar = true, staged = false, onStageDrawn }: AppProps) {
  const store = useWirewalkStore();
  const theme = useWirewalk((s) => s.theme);
  const reduced = useWirewalk((s) => s.reducedMotion);
  const expanded = useWirewalk((s) => s.expanded);
  const present = useWirewalk((s) => s.view.present);
  const embed = useWirewalk((s) => s.view.embed);
  const dialog = useWirewalk((s) => s.dialog);
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  const captureName = useWirewalk((s) => s.timeline.capture?.name);
  const captureLine = useWirewalk((s) => s.captureStatus.kind !== 'idle' || s.timeline.capture !== undefined);
  const rootRef = useRef<HTMLDivElement | null>(null);
  const stageRef = useRef<HTMLElement | null>(null);
  const [speakerOpened, setSpeakerOpened] = useState(false);
  const afterFirstPaint = useAfterFirstPaint(staged);
  const stageBody = useStageBody();
  // The stacks, the wire and the panels: drawn from the frame after the first paint, once their chunk is here.
  const body = afterFirstPaint && stageBody.kind === 'ready' ? stageBody.body : null;
  const full = body !== null;
  const compact = useCompactLayout();

  const shell = useMemo<ShellActions>(
    () => ({
      fullscreen: () => toggleFullscreen(document),
      speaker: () => {
        setSpeakerOpened(true);
        openSpeaker(store);
      },
    }),
    [store],
  );
  const keyEffects = useMemo<KeyEffects>(
    () => ({ ...shell, scrollNarration: (direction) => scrollNarration(document, direction) }),
    [shell],
  );
  useKeyboard(store, { root: embed ? rootRef : undefined, effects: embed ? undefined : keyEffects });
  const onSwipe = useCallback(
    (direction: 1 | -1) => {
      const s = store.getState();
      if (s.playing) s.pause();
      if (direction > 0) s.next();
      else s.prev();
    },
    [store],
  );
  useSwipe(stageRef, onSwipe);
  useEffect(() => startPlaybackClock(store), [store]);
  useEffect(() => watchReducedMotion(store, window), [store]);
  useEffect(() => (syncAddressBar ? syncUrl(store, window) : undefined), [store, syncAddressBar]);
  usePresenterChannel(store, present || speakerOpened);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title =
      captureName !== undefined
        ? `Wirewalk: ${captureName}`
        : lesson
          ? `Wirewalk: ${lesson.title}`
          : 'Wirewalk';
  }, [lesson, captureName]);
  useEffect(() => (full && onStageDrawn ? afterNextPaint(onStageDrawn) : undefined), [full, onStageDrawn]);
  // Leaving presenter mode leaves full screen too.
  useEffect(() => {
    if (!present) exitFullscreen(document);
  }, [present]);

  const mode = (embed ? ' is-embed' : present ? ' is-present' : '') + (compact ? ' is-compact' : '');
  return (
    <div
      ref={rootRef}
      className={`app theme-${theme}${reduced ? ' reduce-motion' : ''}${mode}`}
      data-theme={theme}
      style={layerCssVariables(theme)}
      // An embed takes keys only once it has focus: clicking anywhere in it focuses this root.
      tabIndex={embed ? 0 : undefined}
      role={embed ? 'group' : undefined}
      aria-label={embed ? `Wirewalk: ${lesson?.title ?? ''}. Arrow keys step through it.` : undefined}
    >
      {embed ? null : (
        <header className="topbar">
          <h1 className="brand">Wirewalk</h1>
          {present ? <p className="lesson-title">{lesson?.title ?? ''}</p> : <LessonPicker />}
          <HeaderTools compact={compact}>
            {present || captureName !== undefined ? null : <Composer />}
            {present ? null : <OpenCaptureButton />}
            <ClassroomControls shell={shell} />
            {present ? null : <ThemeToggle />}
          </HeaderTools>
        </header>
      )}
      {/* One row of the page's grid (styles.css): the link's problems, then the opened capture's line. */}
      <div className="app-notices">
        <ProblemNotice />
        {/* Fetched when first shown (views/capture/lazy.ts). */}
        {embed || !captureLine ? null : (
          <Suspense fallback={null}>
            <LazyCaptureBar />
          </Suspense>
        )}
      </div>
      {embed || present ? null : <CaptureDrop />}
      {embed || present ? null : <CaptureInput />}
      <main ref={stageRef} className={`stage${expanded ? ' is-expanded' : ''}`}>
        <Narration />
        <Hosts body={compact ? null : body} />
        <div className="stage-centre" aria-busy={full ? undefined : true}>
          {body ? (
            <body.StageCentre compact={compact} embed={embed} />
          ) : afterFirstPaint && stageBody.kind === 'failed' ? (
            // Wirewalk's wording, as for a story whose chunk could not be fetched (sim/timeline.ts).
            <p className="stage-missing" role="alert">
              The stacks, the wire and the panels could not be loaded (is the network down?). Reload the page
              to try again.
            </p>
          ) : null}
        </div>
      </main>
      <PlaybackBar />
      {embed ? <EmbedBar href={window.location.href} /> : null}
      {present ? <Blackout /> : null}
      {dialog ? (
        <Suspense fallback={null}>
          {dialog === 'share' ? <ShareDialog /> : null}
          {dialog === 'export' ? <ExportDialog /> : null}
        </Suspense>
      ) : null}
    </div>
  );
}
