/**
 * The stage's heavy half: the two stacks, the wire and the panels (ladder, bytes, code, chart) with the lesson
 * cards over them. App draws the frame (top bar, narration, playback bar) first and these from a following
 * frame (its `staged` first paint), so they need not be in the first download either: this module is its own
 * chunk, fetched as soon as the page starts (app/loadStage.ts) while the first step is being simulated.
 */
import { useWirewalk } from '../state/context';
import { selectStep } from '../state/store';
import { LessonCards } from '../views/lesson/LessonCards';
import { StagePanels } from '../views/panels/StagePanels';
import { HostStack } from '../views/stack/HostStack';
import { RouterStack } from '../views/stack/RouterStack';
import { stageHosts } from '../views/stack/layout';
import { WireStrip } from '../views/wire/WireStrip';

/** The browser's stack in the left grid area, the server's in the right one, a router's between them. */
export function StageHosts({ hasRouter }: { readonly hasRouter: boolean }) {
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const { left, right } = stageHosts(timeline, step);
  return (
    <>
      <div className="stage-left">{left ? <HostStack host={left} side="left" /> : null}</div>
      {hasRouter ? (
        <div className="stage-router">
          <RouterStack />
        </div>
      ) : null}
      <div className="stage-right">{right ? <HostStack host={right} side="right" /> : null}</div>
    </>
  );
}

/** Both stacks side by side, as the phone layout's "Layers" tab (the stacks have no room beside the panel). */
function HostsPanel() {
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const { left, right } = stageHosts(timeline, step);
  return (
    <div className="hosts-panel">
      {left ? <HostStack host={left} side="left" /> : null}
      {right ? <HostStack host={right} side="right" /> : null}
      <RouterStack />
    </div>
  );
}

/** What goes in the centre column: the wire, the panels, and (except in an embed) the lesson cards. */
export function StageCentre({ compact, embed }: { readonly compact: boolean; readonly embed: boolean }) {
  return (
    <>
      <WireStrip />
      <StagePanels layers={compact ? <HostsPanel /> : undefined} />
      {embed ? null : <LessonCards />}
    </>
  );
}
