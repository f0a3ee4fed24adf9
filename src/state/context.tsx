/**
 * The store reaches components through context (zustand's "store per provider" pattern), so each test and
 * each embedded player gets its own store while components stay the same.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { WirewalkState, WirewalkStore } from './store';

const StoreContext = createContext<WirewalkStore | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  readonly store: WirewalkStore;
  readonly children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useWirewalkStore(): WirewalkStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useWirewalk needs a <StoreProvider> above it');
  return store;
}

/** Subscribe to one narrow slice of the state: the component re-renders only when that value changes. */
export function useWirewalk<T>(selector: (state: WirewalkState) => T): T {
  return useStore(useWirewalkStore(), selector);
}

type Actions = {
  [
    K in keyof WirewalkState as WirewalkState[K] extends (...args: never[]) => unknown ? K : never
  ]: WirewalkState[K];
};

/** The store's actions: stable functions, so reading them never subscribes to (or re-renders on) anything. */
export function useActions(): Actions {
  return useWirewalkStore().getState();
}
