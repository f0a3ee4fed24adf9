/**
 * Wires the pure keyboard map to the page and the store. Normally the listener sits on the window; an embed
 * passes its own root element instead, so the page around the iframe keeps its keys until the embed has focus
 * (and nothing is prevented before then). Keys pressed inside a modal dialog belong to the dialog.
 */
import { useEffect, type RefObject } from 'react';
import type { WirewalkStore } from '../state/store';
import { focusKind, keyAction, resolveKey, type KeyCommand } from './keyboard';

/** What keys do outside the store: the Fullscreen API and opening a window. */
export interface KeyEffects {
  fullscreen?(): void;
  speaker?(): void;
  /**
   * Scroll the narration a page down (1) or up (-1) if it has more that way; true if it did. PageDown and
   * PageUp (what clickers send) read the rest of a long step before they step.
   */
  scrollNarration?(direction: 1 | -1): boolean;
}

export function useKeyboard(
  store: WirewalkStore,
  options: {
    readonly root?: RefObject<HTMLElement | null>;
    readonly effects?: KeyEffects;
    /** Answer only these commands (the speaker window steps and blacks out, nothing else). */
    readonly only?: ReadonlySet<KeyCommand>;
  } = {},
): void {
  const { root, effects, only } = options;
  useEffect(() => {
    const target: HTMLElement | Window | null = root ? root.current : window;
    if (!target) return;
    const onKeyDown = (e: Event) => {
      if (!(e instanceof KeyboardEvent) || e.defaultPrevented) return;
      const element = e.target instanceof Element ? e.target : null;
      if (element?.closest('[aria-modal="true"]')) return;
      const s = store.getState();
      const command = resolveKey(
        keyAction({
          key: e.key,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          focus: focusKind(element as (Element & { type?: string; isContentEditable?: boolean }) | null),
          ownArrows: element?.closest('[data-own-arrows]') != null,
        }),
        { embed: s.view.embed, present: s.view.present, blackout: s.blackout, intro: s.introOpen },
      );
      if (!command || (only && !only.has(command))) return;
      e.preventDefault();
      const page = e.key === 'PageDown' ? 1 : e.key === 'PageUp' ? -1 : 0;
      if (page && (command === 'next' || command === 'prev') && effects?.scrollNarration?.(page)) return;
      // Holding Space would toggle play on and off thirty times a second; holding B would flicker.
      if (e.repeat && (command === 'togglePlay' || command.startsWith('blackout'))) return;
      run(store, command, effects);
    };
    target.addEventListener('keydown', onKeyDown);
    return () => target.removeEventListener('keydown', onKeyDown);
  }, [store, root, effects, only]);
}

function run(store: WirewalkStore, command: KeyCommand, effects: KeyEffects | undefined): void {
  const s = store.getState();
  switch (command) {
    case 'togglePlay':
      return s.togglePlay();
    case 'next':
      // Stepping by hand takes over from playing.
      if (s.playing) s.pause();
      return s.next();
    case 'prev':
      if (s.playing) s.pause();
      return s.prev();
    case 'first':
      return s.first();
    case 'last':
      return s.last();
    case 'present':
      return s.setPresent(!s.view.present);
    case 'leavePresent':
      return s.setPresent(false);
    case 'dismissIntro':
      return s.dismissIntro();
    case 'blackoutOn':
      return s.setBlackout(true);
    case 'blackoutOff':
      return s.setBlackout(false);
    case 'share':
      return s.openDialog('share');
    case 'fullscreen':
      return effects?.fullscreen?.();
    case 'speaker':
      return effects?.speaker?.();
  }
}
