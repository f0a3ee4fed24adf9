/**
 * Whether the page is laid out for a phone or a small tablet: one column (narration, the wire, one panel
 * chosen by tabs), the header's tools behind a menu button and a bottom bar with large Previous / Next.
 * Narrow windows (a phone in portrait, a tablet in portrait up to 900 px) and short ones (a phone in
 * landscape: 390 px high leaves no room for the stacks beside the diagram) qualify.
 *
 * The answer is a class on the app root (.is-compact), so every stylesheet keys off one decision made here.
 * Read synchronously on the first render: the first frame is already laid out for the device.
 */
import { useEffect, useState } from 'react';

export const COMPACT_QUERY = '(max-width: 900px), (max-height: 500px)';

function matches(win: Window | undefined): boolean {
  return typeof win?.matchMedia === 'function' ? win.matchMedia(COMPACT_QUERY).matches : false;
}

export function useCompactLayout(win: Window | undefined = globalThis.window): boolean {
  const [compact, setCompact] = useState(() => matches(win));
  useEffect(() => {
    if (typeof win?.matchMedia !== 'function') return;
    const query = win.matchMedia(COMPACT_QUERY);
    const update = () => setCompact(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [win]);
  return compact;
}
