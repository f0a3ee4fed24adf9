/**
 * The minimal client and server programs, each above its own console (the browser's and the server's), the
 * line that causes the current step highlighted, and every console line printed up to this step.
 */
import { memo, useEffect, useRef } from 'react';
import { consolesByRole } from '../../state/derive';
import { scrollWithin } from '../motion/scrollWithin';
import { useWirewalk } from '../../state/context';
import { selectStep } from '../../state/store';
import type { Program } from '../../sim/types';
import './CodePanel.css';

function ProgramView({
  program,
  line,
  label,
}: {
  readonly program: Program;
  readonly line: number | null;
  readonly label: string;
}) {
  const ref = useRef<HTMLOListElement | null>(null);
  useEffect(() => {
    if (line === null) return;
    const box = ref.current;
    const el = box?.children[line - 1];
    if (box && el instanceof HTMLElement) scrollWithin(box, el);
  }, [line]);
  return (
    <figure className="program">
      <figcaption>
        {program.title} <span className="program-who">({label})</span>
      </figcaption>
      <ol className="code" ref={ref} aria-label={`${program.title} source`}>
        {program.lines.map((text, i) => (
          <li
            key={i}
            className={i + 1 === line ? 'is-current' : undefined}
            aria-current={i + 1 === line ? 'true' : undefined}
          >
            <code>{text || ' '}</code>
          </li>
        ))}
      </ol>
    </figure>
  );
}

const ConsoleLineView = memo(function ConsoleLineView({
  text,
  isNew,
}: {
  readonly text: string;
  readonly isNew: boolean;
}) {
  return (
    <li className={isNew ? 'is-new' : undefined}>
      <code>{text}</code>
    </li>
  );
});

/**
 * The first `count` lines of one console. The lines come once per timeline (consolesByRole); a step changes
 * `count` and which lines are new, so only those rows render again.
 */
function ConsoleView({
  title,
  lines,
  count,
}: {
  readonly title: string;
  readonly lines: readonly { text: string; step: number }[];
  readonly count: number;
}) {
  const ref = useRef<HTMLOListElement | null>(null);
  const cursor = useWirewalk((s) => s.cursor);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  const items = [];
  for (let i = 0; i < count; i++) {
    const l = lines[i]!;
    items.push(<ConsoleLineView key={i} text={l.text} isNew={l.step === cursor} />);
  }
  return (
    <figure className="console">
      <figcaption>{title}</figcaption>
      <ol className="console-lines" ref={ref} aria-label={title}>
        {count === 0 ? <li className="console-empty">(nothing printed yet)</li> : null}
        {items}
      </ol>
    </figure>
  );
}

/** The two columns, browser then server. */
const SIDES = [
  { role: 'client', runs: 'runs in the browser', console: 'Browser console' },
  { role: 'server', runs: 'runs on the server', console: 'Server console' },
] as const;

export function CodePanel() {
  const timeline = useWirewalk((s) => s.timeline);
  if (timeline.capture) {
    // A capture holds the bytes on the wire, not the programs that sent them, nor what they printed.
    return (
      <div className="code-panel code-panel-capture">
        <p className="code-unknown">
          The programs and their consoles are not known for a capture: {timeline.capture.name} holds the bytes
          that crossed the wire, not the code that sent them or what it printed. The ladder, the bytes and the
          layers show everything the file holds.
        </p>
      </div>
    );
  }
  return <ProgramsAndConsoles />;
}

function ProgramsAndConsoles() {
  const timeline = useWirewalk((s) => s.timeline);
  const cursor = useWirewalk((s) => s.cursor);
  const step = useWirewalk(selectStep);
  const consoles = consolesByRole(timeline);
  const at = Math.min(cursor, timeline.steps.length - 1);
  const code = step?.code;
  return (
    <div className="code-panel">
      {SIDES.map(({ role, runs, console }) => (
        <div key={role} className="code-column">
          <ProgramView
            program={timeline.programs[role]}
            line={code?.program === role ? code.line : null}
            label={runs}
          />
          <ConsoleView title={console} lines={consoles[role].lines} count={consoles[role].countAt[at] ?? 0} />
        </div>
      ))}
    </div>
  );
}
