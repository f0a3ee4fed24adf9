/**
 * The stage: narration on top; the browser's stack on the left, the server's on the right, the wire and
 * the ladder / bytes / code between them; playback at the bottom. Everything reads one store.
 */
import { useEffect } from 'react';
import { lessonById } from '../lesson/catalogue';
import { useActions, useWirewalk, useWirewalkStore } from '../state/context';
import { selectStep } from '../state/store';
import { Composer } from '../views/composer/Composer';
import { Narration } from '../views/narration/Narration';
import { ProblemNotice } from '../views/notice/ProblemNotice';
import { StagePanels } from '../views/panels/StagePanels';
import { PlaybackBar } from '../views/playback/PlaybackBar';
import { HostStack } from '../views/stack/HostStack';
import { stageHosts } from '../views/stack/layout';
import { layerCssVariables } from '../views/theme/layers';
import { WireStrip } from '../views/wire/WireStrip';
import { watchReducedMotion } from './environment';
import { startPlaybackClock } from './playbackClock';
import { syncUrl } from './urlSync';
import { useKeyboard } from './useKeyboard';

function ThemeToggle() {
  const theme = useWirewalk((s) => s.theme);
  const { toggleTheme } = useActions();
  return (
    <button type="button" className="btn btn-theme" aria-pressed={theme === 'dark'} onClick={toggleTheme}>
      Dark theme
    </button>
  );
}

function Hosts() {
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const { left, right } = stageHosts(timeline, step);
  return (
    <>
      <div className="stage-left">{left ? <HostStack host={left} side="left" /> : null}</div>
      <div className="stage-right">{right ? <HostStack host={right} side="right" /> : null}</div>
    </>
  );
}

export function App({ syncAddressBar = true }: { readonly syncAddressBar?: boolean }) {
  const store = useWirewalkStore();
  const theme = useWirewalk((s) => s.theme);
  const reduced = useWirewalk((s) => s.reducedMotion);
  const expanded = useWirewalk((s) => s.expanded);
  const lesson = useWirewalk((s) => lessonById(s.scenario.lesson));
  useKeyboard(store);
  useEffect(() => startPlaybackClock(store), [store]);
  useEffect(() => watchReducedMotion(store, window), [store]);
  useEffect(() => (syncAddressBar ? syncUrl(store, window) : undefined), [store, syncAddressBar]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div
      className={`app theme-${theme}${reduced ? ' reduce-motion' : ''}`}
      data-theme={theme}
      style={layerCssVariables(theme)}
    >
      <header className="topbar">
        <h1 className="brand">Wirewalk</h1>
        <p className="lesson-title">{lesson?.title ?? ''}</p>
        <Composer />
        <ThemeToggle />
      </header>
      <ProblemNotice />
      <main className={`stage${expanded ? ' is-expanded' : ''}`}>
        <Narration />
        <Hosts />
        <div className="stage-centre">
          <WireStrip />
          <StagePanels />
        </div>
      </main>
      <PlaybackBar />
    </div>
  );
}
