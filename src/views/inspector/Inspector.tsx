/**
 * The packet inspector, as Wireshark: the layer tree beside the hex + ASCII dump, linked both ways. Shows
 * the current step's packet, or the one most recently on screen. Masked payloads and the accept key get
 * their own step-by-step explanation above the tree.
 */
import { Suspense, lazy, useCallback, useMemo, useRef, useState } from 'react';
import { toHex } from '../../protocol/bytes';
import { FCS_LENGTH } from '../../protocol/ethernet';
import { useWirewalk } from '../../state/context';
import { selectInspected } from '../../state/store';
import type { Packet, Timeline } from '../../sim/types';
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

/** Fields that the masking and accept-key panels explain better than a sentence. */
const EXPLAINED_FIELDS: ReadonlySet<string> = new Set([
  'mask',
  'maskingKey',
  'payload',
  'header:sec-websocket-key',
  'header:sec-websocket-accept',
]);

export function Inspector() {
  const timeline = useWirewalk((s) => s.timeline);
  const packet = useWirewalk(selectInspected);
  if (!packet) {
    return (
      <div className="inspector inspector-empty">
        <p>No packet has been sent yet. Step forward to see the first one.</p>
      </div>
    );
  }
  return <InspectorBody timeline={timeline} packet={packet} />;
}

function InspectorBody({ timeline, packet }: { readonly timeline: Timeline; readonly packet: Packet }) {
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
  // would rebuild every element and measure the boxes again on each step.)
  const [shown, setShown] = useState(packet);
  if (shown !== packet) {
    setShown(packet);
    setSelected(null);
    setHovered(null);
  }
  const treeRef = useRef<HTMLDivElement | null>(null);
  useScrollReset(treeRef, packet);

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
  const explained = field !== undefined && EXPLAINED_FIELDS.has(field.key);

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
        <p className="inspector-size">
          {packet.frame.length} B{packet.padding ? ` + ${packet.padding} padding` : ''} + {FCS_LENGTH} FCS
        </p>
      </header>
      <div className="inspector-body">
        <div className="inspector-side">
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
                {explained ? null : (
                  <>
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
                    <p className="field-detail-meaning">{field.meaning}</p>
                  </>
                )}
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
        </div>
        <div className="inspector-tree" ref={treeRef}>
          <FieldList
            tree={tree}
            fields={dump.fields}
            selected={selected}
            hovered={hovered}
            onSelect={setSelected}
            onHover={setHovered}
          />
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
              resetKey={packet}
            />
          </div>
        </div>
      </div>
    </div>
  );
}
