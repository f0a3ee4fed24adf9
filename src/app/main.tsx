import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { storeFromLink } from '../state/boot';
import { StoreProvider } from '../state/context';
import { App } from './App';
import { initialPrefs } from './environment';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  const store = storeFromLink(window.location.search, initialPrefs(window));
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
