/**
 * The lower centre of the stage: one of the ladder, the packet bytes, the code and consoles, or (for the
 * comparison lesson) the chart. WAI-ARIA tabs: arrow keys move between tabs, Home/End to the ends.
 */
import { lazy, Suspense, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useActions, useWirewalk } from '../../state/context';
import type { Panel } from '../../state/store';
import { LadderDiagram } from '../ladder/LadderDiagram';
import { usePreload } from '../lazy/usePreload';
import './StagePanels.css';

// The stage opens on the ladder; the other panels load when their tab first opens (the chart brings d3-scale),
// which keeps the first download small.
const ComparisonChart = lazy(() =>
  import('../compare/ComparisonChart').then((m) => ({ default: m.ComparisonChart })),
);
const loadInspector = () => import('../inspector/Inspector');
const loadCode = () => import('../code/CodePanel');
const Inspector = lazy(() => loadInspector().then((m) => ({ default: m.Inspector })));
const CodePanel = lazy(() => loadCode().then((m) => ({ default: m.CodePanel })));

/**
 * Each tab's name; `short`, the one it shows when the bar is too narrow for every full name beside the
 * Enlarge button (StagePanels.css switches by the bar's width; the accessible name stays the full one);
 * `phone`, the label in the phone layout, where five tabs share 360 px.
 */
const TABS: readonly {
  readonly id: Panel;
  readonly label: string;
  readonly short: string;
  readonly phone: string;
}[] = [
  { id: 'layers', label: 'Layers', short: 'Layers', phone: 'Layers' },
  { id: 'ladder', label: 'Sequence diagram', short: 'Diagram', phone: 'Diagram' },
  { id: 'bytes', label: 'Packet bytes', short: 'Bytes', phone: 'Bytes' },
  { id: 'code', label: 'Code & console', short: 'Code', phone: 'Code & console' },
  { id: 'compare', label: 'Polling vs WebSocket', short: 'Chart', phone: 'Chart' },
];

export const PANELS_SLOT_ID = 'panels-slot';

/**
 * `layers`: the two stacks, given as a first tab by the phone layout (which has no room for them beside the
 * panel; app/App.tsx). Its tabs then use their phone labels.
 */
export function StagePanels({ layers }: { readonly layers?: ReactNode } = {}) {
  // Ready before a click on the ladder opens the bytes.
  usePreload(loadInspector, loadCode);
  const panel = useWirewalk((s) => s.panel);
  const comparison = useWirewalk((s) => s.timeline.comparison);
  const expanded = useWirewalk((s) => s.expanded);
  const { setPanel, toggleExpanded } = useActions();
  const tabs = TABS.filter((t) => (t.id !== 'compare' || comparison) && (t.id !== 'layers' || layers));
  const current = tabs.some((t) => t.id === panel) ? panel : 'ladder';
  const refs = useRef(new Map<Panel, HTMLButtonElement | null>());

  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === current);
    const to =
      e.key === 'ArrowRight'
        ? (at + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (at - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    const id = tabs[to]!.id;
    setPanel(id);
    refs.current.get(id)?.focus();
  };

  return (
    <div className="panels">
      <div className={`panels-bar tabs-${tabs.length}`}>
        <div className="tabs" role="tablist" aria-label="What to show below the wire" onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                refs.current.set(t.id, el);
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={current === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={current === t.id ? 0 : -1}
              className="tab"
              aria-label={t.label}
              title={t.label}
              onClick={() => setPanel(t.id)}
            >
              {layers ? (
                t.phone
              ) : (
                <>
                  <span className="tab-long" aria-hidden="true">
                    {t.label}
                  </span>
                  <span className="tab-short" aria-hidden="true">
                    {t.short}
                  </span>
                </>
              )}
            </button>
          ))}
        </div>
        {/* Room for a control that belongs beside the tabs (LessonCards puts "Check yourself" here while the
            chart shows, so the questions never cover it). */}
        <div className="panels-slot" id={PANELS_SLOT_ID} />
        <button
          type="button"
          className="btn btn-expand"
          aria-pressed={expanded}
          title="Give this panel the whole stage (hides the stacks and the wire)"
          onClick={toggleExpanded}
        >
          Enlarge
        </button>
      </div>
      <div className="panel" role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`}>
        {current === 'layers' ? layers : null}
        {current === 'ladder' ? <LadderDiagram /> : null}
        <Suspense fallback={<p className="panel-loading">Loading…</p>}>
          {current === 'bytes' ? <Inspector /> : null}
          {current === 'code' ? <CodePanel /> : null}
          {current === 'compare' && comparison ? <ComparisonChart comparison={comparison} /> : null}
        </Suspense>
      </div>
    </div>
  );
}
