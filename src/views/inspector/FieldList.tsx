/**
 * The layer tree as a list box grouped by layer (Ethernet II ▸ IPv4 ▸ TCP ▸ HTTP/WebSocket ▸ …): one option
 * per field with its value (the bit picture of sub-byte fields is in the detail). Arrow keys, Home and End move the
 * selection; hovering a field highlights its bytes.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type RefObject } from 'react';
import type { FieldAnnotation } from '../../protocol/fields';
import { scrollWithin } from '../motion/scrollWithin';
import { layerColour, PROTO_LAYERS } from '../theme/layers';
import type { TreeLayer } from './tree';
import './FieldList.css';

export interface FieldListProps {
  readonly tree: readonly TreeLayer[];
  readonly fields: readonly FieldAnnotation[];
  readonly selected: number | null;
  readonly hovered: number | null;
  onSelect(field: number): void;
  onHover(field: number | null): void;
  /** The box that scrolls the list (default: the list's parent). */
  readonly scrollBox?: RefObject<HTMLElement | null>;
  /** Fields a router changed on the way, with the note shown beside them (hopCopy.ts). */
  readonly changed?: ReadonlyMap<number, string>;
}

export function FieldList({
  tree,
  fields,
  selected,
  hovered,
  onSelect,
  onHover,
  scrollBox,
  changed,
}: FieldListProps) {
  const base = useId().replace(/:/g, '');
  const listRef = useRef<HTMLDivElement | null>(null);
  const order = tree.flatMap((t) => t.fields);
  const optionId = (i: number) => `${base}-f${i}`;

  useEffect(() => {
    if (selected === null) return;
    const el = document.getElementById(`${base}-f${selected}`);
    const box = scrollBox?.current ?? listRef.current?.parentElement;
    if (el && box) scrollWithin(box, el);
  }, [selected, base, scrollBox]);

  const onKeyDown = (e: KeyboardEvent) => {
    const at = selected === null ? -1 : order.indexOf(selected);
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = order[Math.min(order.length - 1, at + 1)];
    else if (e.key === 'ArrowUp') next = order[Math.max(0, at - 1)];
    else if (e.key === 'Home') next = order[0];
    else if (e.key === 'End') next = order[order.length - 1];
    else return;
    e.preventDefault();
    if (next !== undefined) onSelect(next);
  };

  return (
    <div
      ref={listRef}
      className="field-list"
      role="listbox"
      tabIndex={0}
      aria-label="Fields of every layer (arrow keys to move)"
      aria-activedescendant={selected !== null ? optionId(selected) : undefined}
      onKeyDown={onKeyDown}
      onMouseLeave={() => onHover(null)}
    >
      {tree.map((layer) => {
        const info = PROTO_LAYERS[layer.layer];
        const groupId = `${base}-${layer.layer}`;
        return (
          <div
            key={layer.layer}
            role="group"
            aria-labelledby={groupId}
            className={`field-group colour-${info.colour}`}
            style={layerColour(info.colour)}
          >
            <div id={groupId} className="field-group-title" role="presentation">
              <span className="layer-chip">{info.osi}</span> {layer.title}
              <span className="field-group-range">
                {' '}
                bytes {layer.start}–{layer.end - 1} ({layer.end - layer.start} B)
              </span>
            </div>
            {layer.fields.map((i) => {
              const f = fields[i]!;
              return (
                <div
                  key={i}
                  id={optionId(i)}
                  role="option"
                  aria-selected={selected === i}
                  className={
                    `field${selected === i ? ' is-selected' : ''}${hovered === i ? ' is-hovered' : ''}` +
                    (changed?.has(i) ? ' is-changed' : '')
                  }
                  onClick={() => onSelect(i)}
                  onMouseEnter={() => onHover(i)}
                >
                  <span className="field-name">{f.name}:</span> <span className="field-value">{f.value}</span>
                  {changed?.has(i) ? <span className="field-changed"> {changed.get(i)}</span> : null}
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
