/**
 * The minimal client and server programs, each above its own console (the browser's and the server's), the
 * line that causes the current step highlighted, and every console line printed up to this step.
 */
import { useEffect, useMemo, useRef } from 'react';
import { consoleUpTo } from '../../state/derive';
import { scrollWithin } from '../motion/scrollWithin';
import { useWirewalk } from '../../state/context';
import { selectStep } from '../../state/store';
import type { Program } from '../../sim/types';

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

function ConsoleView({
  title,
  lines,
}: {
  readonly title: string;
  readonly lines: readonly { text: string; step: number }[];
}) {
  const ref = useRef<HTMLOListElement | null>(null);
  const cursor = useWirewalk((s) => s.cursor);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <figure className="console">
      <figcaption>{title}</figcaption>
      <ol className="console-lines" ref={ref} aria-label={title}>
        {lines.length === 0 ? <li className="console-empty">(nothing printed yet)</li> : null}
        {lines.map((l, i) => (
          <li key={i} className={l.step === cursor ? 'is-new' : undefined}>
            <code>{l.text}</code>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export function CodePanel() {
  const timeline = useWirewalk((s) => s.timeline);
  const cursor = useWirewalk((s) => s.cursor);
  const step = useWirewalk(selectStep);
  const lines = useMemo(() => consoleUpTo(timeline, cursor), [timeline, cursor]);
  const hostRole = (id: string) => timeline.hosts.find((h) => h.id === id)?.role;
  const clientLines = lines.filter((l) => hostRole(l.host) === 'client');
  const serverLines = lines.filter((l) => hostRole(l.host) === 'server');
  const code = step?.code;
  return (
    <div className="code-panel">
      <div className="code-column">
        <ProgramView
          program={timeline.programs.client}
          line={code?.program === 'client' ? code.line : null}
          label="runs in the browser"
        />
        <ConsoleView title="Browser console" lines={clientLines} />
      </div>
      <div className="code-column">
        <ProgramView
          program={timeline.programs.server}
          line={code?.program === 'server' ? code.line : null}
          label="runs on the server"
        />
        <ConsoleView title="Server console" lines={serverLines} />
      </div>
    </div>
  );
}
