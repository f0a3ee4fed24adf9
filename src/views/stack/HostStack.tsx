/**
 * One host: its name and addresses, status badges (TCP state with seq/ack, WebSocket readyState, Socket.IO),
 * and its seven OSI layers, each labelled with number, name, unit and the real protocol at work. The layer
 * the current step happens at is outlined and arrowed; the layers the unit already passed are marked.
 */
import { useMemo } from 'react';
import { useWirewalk } from '../../state/context';
import { useStepMotion } from '../motion/useStepMotion';
import { selectStep } from '../../state/store';
import type { HostInfo } from '../../sim/types';
import { layerColour } from '../theme/layers';
import { hostBadges, stackRows, type StackRow } from './layout';
import '../theme/surfaces.css';
import './HostStack.css';

export function HostStack({ host, side }: { readonly host: HostInfo; readonly side: 'left' | 'right' }) {
  const timeline = useWirewalk((s) => s.timeline);
  const step = useWirewalk(selectStep);
  const rows = useMemo(() => stackRows(timeline, step, host), [timeline, step, host]);
  const state = step?.states[host.id];
  const badges = useMemo(() => hostBadges(state), [state]);
  const headingId = `host-${host.id}`;
  // A hurried step changes the layers' colours at once, like the other views (useStepMotion.ts).
  const { hurried } = useStepMotion();
  return (
    <section className={`host host-${side}`} aria-labelledby={headingId}>
      <header className="card host-head">
        <h2 id={headingId} className="host-name">
          {host.label}
          <span className="host-role"> ({host.role})</span>
        </h2>
        <ul className="badges" aria-label={`${host.label} status`}>
          {badges.map((b) => (
            <li
              key={b.label}
              className={`badge badge-${b.label.toLowerCase().replace(/\W/g, '')}`}
              title={b.title}
            >
              <span className="badge-label">{b.label}</span>{' '}
              <strong className="badge-value">{b.value}</strong>
              {b.detail ? <span className="badge-detail"> {b.detail}</span> : null}
            </li>
          ))}
        </ul>
      </header>
      <ol
        className={`stack${hurried ? ' is-hurried' : ''}`}
        aria-label={`${host.label}: the seven OSI layers`}
        reversed
      >
        {rows.map((r) => (
          <LayerRow key={r.osi} row={r} />
        ))}
      </ol>
    </section>
  );
}

/** One layer of a stack: number, name, unit and protocol; outlined and arrowed when the step is here. */
export function LayerRow({ row: r }: { readonly row: StackRow }) {
  return (
    <li
      className={
        `layer layer-osi-${r.osi} colour-${r.colour}` +
        (r.active ? ' is-active' : '') +
        (r.passed ? ' is-passed' : '') +
        (r.addsHeader ? '' : ' no-header')
      }
      style={layerColour(r.colour)}
      value={r.osi}
      title={`${r.name}: ${r.unit}, ${r.protocol}`}
      aria-current={r.active ? 'step' : undefined}
    >
      <span className="layer-num" aria-hidden="true">
        {r.osi}
      </span>
      <span className="layer-text">
        <span className="layer-name">{r.name}</span>
        <span className="layer-sub" title={`${r.unit}: ${r.detail}`}>
          <span className="layer-unit">{r.unit}</span> <span className="layer-proto">{r.protocol}</span>
          {r.addsHeader ? null : <span className="no-header-note"> · no header</span>}
        </span>
      </span>
      {r.direction ? (
        <span
          className={`layer-dir dir-${r.direction}`}
          aria-label={r.direction === 'down' ? 'going down' : 'going up'}
        >
          {r.direction === 'down' ? '▼' : '▲'}
        </span>
      ) : null}
    </li>
  );
}
