/**
 * The packet inspector, as Wireshark: the layer tree beside the hex + ASCII dump, linked both ways. Shows
 * the current step's packet, or the one most recently on screen. Masked payloads and the accept key get
 * their own step-by-step explanation above the tree.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toHex } from '../../protocol/bytes';
import { FCS_LENGTH } from '../../protocol/ethernet';
import { useWirewalk } from '../../state/context';
import { selectInspected, selectStep } from '../../state/store';
import type { Packet, Timeline } from '../../sim/types';
import { changedNote, copyAtStep, packetAsCopy, packetCopies } from './hopCopy';
import { fieldBytes, fieldsAt, hexDump, trailerBytes } from '../hex/layout';
import { useElementSize } from '../motion/useElementSize';
import { layerColour, PROTO_LAYERS } from '../theme/layers';
import { AcceptPanel } from './AcceptPanel';

// The TLS panel decrypts records (@noble/ciphers): loaded only when a packet carries TLS.
const TlsPanel = lazy(() => import('./TlsPanel'));
import { FieldList } from './FieldList';
import { HexView } from './HexView';
import { MaskPanel } from './MaskPanel';
import { useScrollReset } from './useScrollReset';
import { bitPattern, fieldTree } from './tree';
import '../theme/surfaces.css';
import './Inspector.css';

/** Fields a worked table (MaskPanel, AcceptPanel) explains further, and that table's selector. */
const WORKED_FIELDS: Readonly<Record<string, string>> = {
  mask: '.explain.mask',
  maskingKey: '.explain.mask',
  payload: '.explain.mask',
  'header:sec-websocket-key': '.explain.accept',
  'header:sec-websocket-accept': '.explain.accept',
};

export function Inspector() {
  const timeline = useWirewalk((s) => s.timeline);
  const inspected = useWirewalk(selectInspected);
  const step = useWirewalk(selectStep);
  if (!inspected) {
    return (
      <div className="inspector inspector-empty">
        <p>No packet has been sent yet. Step forward to see the first one.</p>
      </div>
    );
  }
  return <InspectorBody timeline={timeline} packet={inspected} stepCopy={copyAtStep(inspected, step)} />;
}

function InspectorBody({
  timeline,
  packet: sent,
  stepCopy,
}: {
  readonly timeline: Timeline;
  readonly packet: Packet;
  /** The copy the current step is about (hopCopy.ts copyAtStep). */
  readonly stepCopy: number;
}) {
  // Across routers each card sees its own copy: the one the step is about, or the one the learner picked.
  const copies = useMemo(() => packetCopies(timeline, sent), [timeline, sent]);
  const [picked, setPicked] = useState<{ readonly packet: Packet; readonly copy: number } | null>(null);
  const copyIndex = picked?.packet === sent ? picked.copy : stepCopy;
  const copy = copies[Math.min(copyIndex, copies.length - 1)]!;
  const view = useMemo(() => packetAsCopy(sent, copy), [sent, copy]);
  const packet = view.packet;
  const [hexRef, hexSize] = useElementSize<HTMLDivElement>({ width: 380, height: 240 });
  // 16 bytes a row (as Wireshark) only when the enlarged panel leaves room for it.
  const bytesPerRow = hexSize.width >= 640 ? 16 : 8;
  const dump = useMemo(() => hexDump(packet, bytesPerRow), [packet, bytesPerRow]);
  const tree = useMemo(() => fieldTree(dump.fields), [dump]);
  const allBytes = useMemo(() => {
    const out = new Uint8Array(dump.length);
    out.set(packet.frame);
    out.set(trailerBytes(packet), packet.frame.length);
    return out;
  }, [dump, packet]);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  // Another packet starts afresh: nothing selected, the field list and the dump at their top. (Not by remounting the body: that
  // would rebuild every element and measure the boxes again on each step.) Another copy of the same packet
  // keeps the selection: its fields sit at the same bytes.
  const [shown, setShown] = useState(sent);
  if (shown !== sent) {
    setShown(sent);
    setSelected(null);
    setHovered(null);
  }
  const columnRef = useRef<HTMLDivElement | null>(null);
  useScrollReset(columnRef, sent);
  const changed = useMemo(
    () => new Map([...view.changed].map(([i, was]) => [i, changedNote(copy, was)])),
    [view, copy],
  );

  const range = (field: number | null): readonly [number, number] | null => {
    if (field === null) return null;
    const r = fieldBytes(dump, field);
    return r ? [r.start, r.end] : null;
  };

  const onByte = useCallback(
    (offset: number) => {
      const candidates = fieldsAt(dump.fields, offset);
      if (candidates.length === 0) return;
      // A second click on a byte of the selected field walks outwards to the next field covering it.
      setSelected((current) => {
        const at = current === null ? -1 : candidates.indexOf(current);
        return candidates[(at + 1) % candidates.length]!;
      });
    },
    [dump],
  );
  const onHoverByte = useCallback(
    (offset: number | null) =>
      setHovered(
        offset === null ? null : (dump.byteToField[offset] ?? -1) >= 0 ? dump.byteToField[offset]! : null,
      ),
    [dump],
  );

  const from = timeline.hosts.find((h) => h.id === packet.from)?.label ?? packet.from;
  const to = timeline.hosts.find((h) => h.id === packet.to)?.label ?? packet.to;
  const field = selected !== null ? dump.fields[selected] : undefined;
  const fieldRange = range(selected);
  // A field that a worked table explains brings the table into view under its sentence (the list's own
  // scroll to the selected row runs first: child effects before parent ones).
  const workedKey = field && WORKED_FIELDS[field.key];
  useEffect(() => {
    const column = columnRef.current;
    if (!workedKey || !column) return;
    const table = column.querySelector<HTMLElement>(workedKey);
    const detail = column.querySelector<HTMLElement>('.field-detail');
    if (table) column.scrollTop = Math.max(0, table.offsetTop - (detail?.offsetHeight ?? 0) - 4);
  }, [workedKey, selected]);

  return (
    <div className="inspector">
      <header className="inspector-head">
        <h3 className="inspector-title">
          Packet {packet.wireIndex}: {from} → {to}
          {packet.lost ? <span className="tag tag-lost">lost</span> : null}
        </h3>
        <p className="inspector-summary" title={packet.summary}>
          {packet.summary}
        </p>
        {copies.length > 1 ? (
          <div className="copy-picker" role="radiogroup" aria-label="Which copy of the packet">
            {copies.map((c) => (
              <label key={c.index} className={`copy-choice${c.index === copy.index ? ' is-picked' : ''}`}>
                <input
                  type="radio"
                  name="packet-copy"
                  checked={c.index === copy.index}
                  onChange={() => setPicked({ packet: sent, copy: c.index })}
                />{' '}
                {c.label} <span className="copy-ttl">(TTL {c.ttl})</span>
              </label>
            ))}
          </div>
        ) : null}
        <p className="inspector-size">
          {packet.captured
            ? `${packet.frame.length} B captured (record ${packet.captured.record}` +
              (packet.captured.originalLength > packet.frame.length
                ? `, ${packet.captured.originalLength} B on the wire)`
                : ')')
            : `${packet.frame.length} B${packet.padding ? ` + ${packet.padding} padding` : ''} + ${FCS_LENGTH} FCS`}
        </p>
      </header>
      <div className="inspector-body">
        {/* One scrolling column for the explanation and the field list: the masking and accept tables are
            never cut by a box of their own. */}
        <div className="inspector-column" ref={columnRef}>
          <div className="field-detail" aria-live="polite">
            {field && fieldRange ? (
              <>
                <p className="field-detail-head">
                  <strong>{field.name}</strong> = <span className="field-detail-value">{field.value}</span>
                  <span className="field-detail-where">
                    {' '}
                    · {PROTO_LAYERS[field.layer].name}, byte{fieldRange[1] - fieldRange[0] === 1 ? '' : 's'}{' '}
                    {fieldRange[0]}
                    {fieldRange[1] - fieldRange[0] > 1 ? `–${fieldRange[1] - 1}` : ''}
                  </span>
                </p>
                <p className="field-detail-bytes">
                  <code>
                    {toHex(allBytes.subarray(fieldRange[0], Math.min(fieldRange[1], fieldRange[0] + 16)))}
                    {fieldRange[1] - fieldRange[0] > 16 ? ' …' : ''}
                  </code>
                  {field.bits ? (
                    <>
                      {' '}
                      bits <code>{bitPattern(field, allBytes)}</code>
                    </>
                  ) : null}
                </p>
                {/* The hint below promises what every field means: the sentence is shown for every field, the
                    masking and accept boxes add the worked example (tests/views/inspector/explained.test.ts). */}
                <p className="field-detail-meaning">{field.meaning}</p>
                {selected !== null && changed.has(selected) ? (
                  <p className="field-detail-changed">{changed.get(selected)}</p>
                ) : null}
              </>
            ) : (
              <p className="field-detail-hint">Select a field, or click a byte, to see what it means.</p>
            )}
          </div>
          <MaskPanel packet={packet} />
          <AcceptPanel timeline={timeline} packet={packet} />
          {packet.layers.tls ? (
            <Suspense fallback={null}>
              <TlsPanel timeline={timeline} packet={packet} />
            </Suspense>
          ) : null}
          <div className="inspector-tree">
            <FieldList
              tree={tree}
              fields={dump.fields}
              selected={selected}
              hovered={hovered}
              onSelect={setSelected}
              onHover={setHovered}
              scrollBox={columnRef}
              changed={changed}
            />
          </div>
        </div>
        <div className="inspector-bytes">
          <ul className="legend" aria-label="Colour key">
            {tree.map((t) => (
              <li
                key={t.layer}
                className={`legend-item colour-${PROTO_LAYERS[t.layer].colour}`}
                style={layerColour(PROTO_LAYERS[t.layer].colour)}
              >
                <span className="swatch" aria-hidden="true" />
                {t.title}
              </li>
            ))}
          </ul>
          <div className="hex-scroll" ref={hexRef}>
            <HexView
              dump={dump}
              selected={fieldRange}
              hovered={range(hovered)}
              onByte={onByte}
              onHoverByte={onHoverByte}
              scrollBox={hexRef}
              viewHeight={hexSize.height}
              resetKey={sent}
            />
          </div>
        </div>
      </div>
    </div>
  );
}
