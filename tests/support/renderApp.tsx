/** The whole app on a real timeline, built from a link the way the page builds it (state/boot.ts). */
import { fireEvent, render } from '@testing-library/react';
import { App } from '../../src/app/App';
import { storeFromLink } from '../../src/state/boot';
import { StoreProvider } from '../../src/state/context';

export function renderApp(link = '?lesson=websocket', syncAddressBar = false) {
  const store = storeFromLink(link, { reducedMotion: true });
  const result = render(
    <StoreProvider store={store}>
      <App syncAddressBar={syncAddressBar} />
    </StoreProvider>,
  );
  return { store, ...result };
}

/** A keydown at `target` (the window by default), as the app's keyboard map hears it. */
export const pressKey = (key: string, target: Element | Window = window) =>
  fireEvent.keyDown(target, { key });
