/**
 * The speaker window's shell (`speaker=1`): the speaker view, kept in step with the presenting window over the
 * BroadcastChannel; its keys step the lesson and black the class's screen, nothing else.
 */
import { useEffect } from 'react';
import { useWirewalk, useWirewalkStore } from '../state/context';
import { SpeakerView } from '../views/speaker/SpeakerView';
import { openPresenterChannel } from './presenterChannel';
import { useKeyboard } from './useKeyboard';

const SPEAKER_KEYS = new Set([
  'togglePlay',
  'next',
  'prev',
  'first',
  'last',
  'blackoutOn',
  'blackoutOff',
] as const);

export function SpeakerApp() {
  const store = useWirewalkStore();
  const theme = useWirewalk((s) => s.theme);
  useKeyboard(store, { only: SPEAKER_KEYS });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => openPresenterChannel(store, 'speaker'), [store]);
  return <SpeakerView />;
}
