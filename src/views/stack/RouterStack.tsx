/**
 * The router between the two hosts, as the textbook draws it: its name and both cards' addresses, and only
 * layers 3, 2 and 1 (a router climbs to IPv4 and back down, RFC 1812 §5.2). The space of layers 7–4 says
 * so, and keeps layers 1–3 level with the hosts' own. With several routers one stack stands for the one the
 * step is at (stageRouter in ./layout.ts).
 */
import { useEffect, useMemo, useRef } from 'react';
import { useWirewalk } from '../../state/context';
import { selectStep } from '../../state/store';
import { LayerRow } from './HostStack';
import { routerRows, stageRouter } from './layout';
import '../theme/surfaces.css';
import './HostStack.css';

export function RouterStack() {
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const shown = stageRouter(timeline, step);
  const router = shown?.router;
  const rows = useMemo(() => (router ? routerRows(timeline, step, router) : []), [timeline, step, router]);
  const here = router !== undefined && step?.host === router.id;
  const ref = useRef<HTMLElement | null>(null);
  // In the phone's "Layers" tab the router stands below the two hosts: at its steps, scroll it into the
  // panel's view (only that panel scrolls, never the page).
  useEffect(() => {
    const section = ref.current;
    const panel = section?.closest<HTMLElement>('.hosts-panel');
    if (!here || !section || !panel) return;
    const below = section.offsetTop + section.offsetHeight - (panel.scrollTop + panel.clientHeight);
    if (below > 0) panel.scrollTop += below;
  }, [here]);
  if (!shown || !router) return null;
  const cards = router.cards ?? [router, router];
  const headingId = `host-${router.id}`;
  return (
    <section ref={ref} className="host host-router" aria-labelledby={headingId}>
      <header className="card host-head">
        <h2 id={headingId} className="host-name">
          {router.label}
          <span className="host-role">
            {shown.count > 1 ? ` (${shown.position} of ${shown.count})` : ' (router)'}
          </span>
        </h2>
        <ul className="badges" aria-label={`${router.label}: its two network cards`}>
          <li className="badge" title={`Card towards the browser: ${cards[0].ip}, MAC ${cards[0].mac}`}>
            <span className="badge-label">←</span> <strong className="badge-value">{cards[0].ip}</strong>
          </li>
          <li className="badge" title={`Card towards the server: ${cards[1].ip}, MAC ${cards[1].mac}`}>
            <span className="badge-label">→</span> <strong className="badge-value">{cards[1].ip}</strong>
          </li>
        </ul>
      </header>
      <div className="router-body">
        {/* RFC 1812 §5.2: a router hands the packet to IP and forwards it; TCP and above are the hosts'. */}
        <p className="router-above">No layers 4–7: a router reads up to IPv4 and forwards.</p>
        <ol className="stack router-stack" aria-label={`${router.label}: layers 3 to 1`} reversed>
          {rows.map((r) => (
            <LayerRow key={r.osi} row={r} />
          ))}
        </ol>
      </div>
    </section>
  );
}
