/**
 * The packet inspector, as Wireshark: the layer tree beside the hex + ASCII dump, linked both ways. Shows
 * the current step's packet, or the one most recently on screen; on a step about an ARP frame (`Step.link`),
 * that frame. Masked payloads and the accept key get their own step-by-step explanation above the tree.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toHex } from '../../protocol/bytes';
import { FCS_LENGTH } from '../../protocol/ethernet';
import { useWirewalk } from '../../state/context';
import { selectInspected, selectInspectedLink, selectStep } from '../../state/store';
import type { LinkFrame, Packet, Step, Timeline } from '../../sim/types';
import { changedNote, copyAtStep, packetAsCopy, packetCopies, type PacketCopy } from './hopCopy';
import { fieldBytes, fieldsAt, hexDump, trailerBytes, type DumpSource } from '../hex/layout';
import { linkFrameParts } from '../hex/linkFrame';
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

const NOTHING_CHANGED: ReadonlyMap<number, string> = new Map();

/** One frame as the body draws it, whether a packet (one of its copies) or an ARP frame. */
interface ShownFrame {
  /** What is shown: another one starts afresh (nothing selected, the lists at their top); another copy does not. */
  readonly key: object;
  readonly source: DumpSource;
  readonly title: string;
  /** A tag beside the title: `lost`, `never sent`. */
  readonly tag: string | null;
  readonly summary: string;
  readonly size: string;
  /** Index into the fields → the note beside a field a router changed. */
  readonly changed: ReadonlyMap<number, string>;
  /** The packet, for the worked tables (masking, accept key, TLS); an ARP frame has none. */
  readonly packet: Packet | null;
  /** The copies of a routed packet, to pick the card it is seen at (none for one LAN or an ARP frame). */
  readonly copies: {
    readonly list: readonly PacketCopy[];
    readonly current: number;
    pick(index: number): void;
  } | null;
}

export function Inspector() {
  const timeline = useWirewalk((s) => s.timeline);
  const inspected = useWirewalk(selectInspected);
  const link = useWirewalk(selectInspectedLink);
  const step = useWirewalk(selectStep);
  // Both always called (hooks' rules); an ARP frame, when there is one, is what the step is about.
  const packetFrame = usePacketFrame(timeline, link ? undefined : inspected, step);
  const shown = link ? linkFrameShown(timeline, link) : packetFrame;
  if (!shown) {
    return (
      <div className="inspector inspector-empty">
        <p>No packet has been sent yet. Step forward to see the first one.</p>
      </div>
    );
  }
  // One body for packets and ARP frames: going from one to the other keeps its elements and measurements.
  return <InspectorBody timeline={timeline} shown={shown} />;
}

const hostLabel = (timeline: Timeline, id: string): string =>
  timeline.hosts.find((h) => h.id === id)?.label ?? id;

/** A packet as the copy the step is about, or the one the learner picked. */
function usePacketFrame(
  timeline: Timeline,
  sent: Packet | undefined,
  step: Step | undefined,
): ShownFrame | null {
  // Across routers each card sees its own copy: the one the step is about, or the one the learner picked.
  const copies = useMemo(() => (sent ? packetCopies(timeline, sent) : []), [timeline, sent]);
  const [picked, setPicked] = useState<{ readonly packet: Packet; readonly copy: number } | null>(null);
  const stepCopy = sent ? copyAtStep(sent, step) : 0;
  const copyIndex = picked && picked.packet === sent ? picked.copy : stepCopy;
  const copy = copies[Math.min(copyIndex, copies.length - 1)];
  const view = useMemo(() => (sent && copy ? packetAsCopy(sent, copy) : null), [sent, copy]);
  const changed = useMemo(
    () =>
      view && copy && view.changed.size > 0
        ? new Map([...view.changed].map(([i, was]) => [i, changedNote(copy, was)]))
        : NOTHING_CHANGED,
    [view, copy],
  );
  const pick = useCallback(
    (index: number) => {
      if (sent) setPicked({ packet: sent, copy: index });
    },
    [sent],
  );
  if (!sent || !copy || !view) return null;
  const packet = view.packet;
  return {
    key: sent,
    source: packet,
    // A packet whose next hop never answered ARP never left (Packet.unresolved): it has no number on the wire.
    title:
      (packet.unresolved ? 'Packet' : `Packet ${packet.wireIndex}`) +
      `: ${hostLabel(timeline, packet.from)} → ${hostLabel(timeline, packet.to)}`,
    tag: packet.unresolved ? 'never sent' : packet.lost ? 'lost' : null,
    summary: packet.summary,
    size: packet.captured
      ? `${packet.frame.length} B captured (record ${packet.captured.record}` +
        (packet.captured.originalLength > packet.frame.length
          ? `, ${packet.captured.originalLength} B on the wire)`
          : ')')
      : `${packet.frame.length} B${packet.padding ? ` + ${packet.padding} padding` : ''} + ${FCS_LENGTH} FCS`,
    changed,
    packet,
    copies: copies.length > 1 ? { list: copies, current: copy.index, pick } : null,
  };
}

/** An ARP frame (RFC 826): its own bytes read back as Ethernet and ARP fields (hex/linkFrame.ts). */
function linkFrameShown(timeline: Timeline, link: LinkFrame): ShownFrame {
  const parts = linkFrameParts(link);
  // A request goes to ff:ff:ff:ff:ff:ff, every card on the link (RFC 826 "Packet Generation").
  const to = link.to === 'broadcast' ? 'everyone (broadcast)' : hostLabel(timeline, link.to);
  // Only frames on the browsers' LAN are numbered (LinkFrame.wireIndex): a router's other segments are not.
  const name = link.wireIndex !== undefined ? `Frame ${link.wireIndex}` : 'ARP frame';
  return {
    key: link,
    source: parts,
    title: `${name}: ${hostLabel(timeline, link.from)} → ${to}`,
    tag: link.lost ? 'lost' : null,
    summary: link.summary,
    // IEEE 802.3 §3.2.8: the 42-byte frame is padded to 60 bytes before the FCS.
    size: `${parts.frame.length} B${parts.padding ? ` + ${parts.padding} padding` : ''} + ${FCS_LENGTH} FCS`,
    changed: NOTHING_CHANGED,
    packet: null,
    copies: null,
  };
}

function InspectorBody({ timeline, shown }: { readonly timeline: Timeline; readonly shown: ShownFrame }) {
  const { source, changed, packet, copies } = shown;
  const [hexRef, hexSize] = useElementSize<HTMLDivElement>({ width: 380, height: 240 });
  // 16 bytes a row (as Wireshark) only when the enlarged panel leaves room for it.
  const bytesPerRow = hexSize.width >= 640 ? 16 : 8;
  const dump = useMemo(() => hexDump(source, bytesPerRow), [source, bytesPerRow]);
  const tree = useMemo(() => fieldTree(dump.fields), [dump]);
  const allBytes = useMemo(() => {
    const out = new Uint8Array(dump.length);
    out.set(source.frame);
    out.set(trailerBytes(source), source.frame.length);
    return out;
  }, [dump, source]);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  // Another packet starts afresh: nothing selected, the field list and the dump at their top. (Not by remounting the body: that
  // would rebuild every element and measure the boxes again on each step.) Another copy of the same packet
  // keeps the selection: its fields sit at the same bytes.
  const [shownKey, setShownKey] = useState(shown.key);
  if (shownKey !== shown.key) {
    setShownKey(shown.key);
    setSelected(null);
    setHovered(null);
  }
  const columnRef = useRef<HTMLDivElement | null>(null);
  useScrollReset(columnRef, shown.key);

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
          {shown.title}
          {shown.tag ? <span className="tag tag-lost">{shown.tag}</span> : null}
        </h3>
        <p className="inspector-summary" title={shown.summary}>
          {shown.summary}
        </p>
        {copies ? (
          <div className="copy-picker" role="radiogroup" aria-label="Which copy of the packet">
            {copies.list.map((c) => (
              <label key={c.index} className={`copy-choice${c.index === copies.current ? ' is-picked' : ''}`}>
                <input
                  type="radio"
                  name="packet-copy"
                  checked={c.index === copies.current}
                  onChange={() => copies.pick(c.index)}
                />{' '}
                {c.label} <span className="copy-ttl">(TTL {c.ttl})</span>
              </label>
            ))}
          </div>
        ) : null}
        <p className="inspector-size">{shown.size}</p>
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
          {/* The worked tables read a TCP payload: an ARP frame has none. */}
          {packet ? (
            <>
              <MaskPanel packet={packet} />
              <AcceptPanel timeline={timeline} packet={packet} />
              {packet.layers.tls ? (
                <Suspense fallback={null}>
                  <TlsPanel timeline={timeline} packet={packet} />
                </Suspense>
              ) : null}
            </>
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
              resetKey={shown.key}
            />
          </div>
        </div>
      </div>
    </div>
  );
}
