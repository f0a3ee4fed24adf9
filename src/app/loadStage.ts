/**
 * Loads the stage's heavy half (StageBody.tsx: stacks, wire, panels) as its own chunk. main.tsx starts the
 * fetch before the first step is simulated, so it is usually here by the time App wants it (the frame after
 * the first paint); `useStageBody` hands it over once loaded. A failed fetch (offline before the chunk was
 * cached) is reported, and the next call tries again.
 */
import { useEffect, useState } from 'react';

export type StageBodyModule = typeof import('./StageBody');

let loaded: StageBodyModule | null = null;
let loading: Promise<StageBodyModule> | null = null;

export function loadStageBody(): Promise<StageBodyModule> {
  loading ??= import('./StageBody').then(
    (m) => (loaded = m),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

export type StageBodyState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly body: StageBodyModule }
  | { readonly kind: 'failed' };

/** The loaded module, at once when it is already here (then the first render has it). */
export function useStageBody(): StageBodyState {
  const [state, setState] = useState<StageBodyState>(() =>
    loaded ? { kind: 'ready', body: loaded } : { kind: 'loading' },
  );
  useEffect(() => {
    if (state.kind === 'ready') return;
    let live = true;
    loadStageBody().then(
      (body) => live && setState({ kind: 'ready', body }),
      () => live && setState({ kind: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [state.kind]);
  return state;
}
