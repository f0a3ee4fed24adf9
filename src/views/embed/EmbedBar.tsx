/**
 * The embed's one line of chrome: what it is, the locked range if any, and a small link to the same step in
 * the full app (a new tab, so the course page stays open).
 */
import { useWirewalk } from '../../state/context';
import { lessonById } from '../../state/lesson';
import { absoluteLink, stepQuery } from '../../state/links';
import { selectFirstAllowed, selectLastAllowed, selectStepCount } from '../../state/store';
import './EmbedBar.css';

export function EmbedBar({ href }: { readonly href: string }) {
  const title = useWirewalk((s) => lessonById(s.scenario.lesson)?.title ?? s.scenario.lesson);
  const full = useWirewalk((s) => absoluteLink(href, stepQuery(s)));
  const first = useWirewalk(selectFirstAllowed);
  const last = useWirewalk(selectLastAllowed);
  const count = useWirewalk(selectStepCount);
  const locked = first > 0 || last < count - 1;
  return (
    <div className="embed-bar">
      <span className="embed-title">
        <strong>Wirewalk</strong> · {title}
        {locked ? ` · steps ${first + 1}–${last + 1}` : ''}
      </span>
      <a className="embed-open" href={full} target="_blank" rel="noopener noreferrer">
        Open in Wirewalk
      </a>
    </div>
  );
}
