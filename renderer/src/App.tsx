/**
 * The workbench shell: screens, keyboard shortcuts, undo of the last library edit, themes, and a
 * status line. Navigation is plain state (no router): the app is one window with a few screens.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import { errorText } from './hooks/useApi';
import { ImportView } from './views/ImportView';
import { LibraryView } from './views/LibraryView';

// The plotting screens carry plotly.js (most of the bundle): loaded after the shell has painted, so
// the library shows without waiting for it, and fetched in the background right after first paint.
const loadMeasurement = () => import('./views/MeasurementView');
const MeasurementView = lazy(() => loadMeasurement().then((m) => ({ default: m.MeasurementView })));
const ArrheniusView = lazy(() => import('./views/ArrheniusView').then((m) => ({ default: m.ArrheniusView })));
const CompareView = lazy(() => import('./views/CompareView').then((m) => ({ default: m.CompareView })));

export type Route =
  | { screen: 'library' }
  | { screen: 'import' }
  | { screen: 'measurement'; id: number }
  | { screen: 'arrhenius'; cellId: number }
  | { screen: 'compare'; sampleIds: number[] };

const SHORTCUTS = [
  ['Alt+1', 'Library'],
  ['Alt+2', 'Import'],
  ['Ctrl+O', 'Choose files to import'],
  ['/', 'Search the library'],
  ['Ctrl+Z', 'Undo the last library edit'],
  ['?', 'Show these shortcuts'],
] as const;

export function App() {
  const [route, setRoute] = useState<Route>({ screen: 'library' });
  const [theme, setTheme] = useState<'light' | 'dark'>(() =>
    localStorage.getItem('elyte.theme') === 'dark' ? 'dark' : 'light',
  );
  const [status, setStatus] = useState<string>('');
  const [help, setHelp] = useState(false);
  const navigate = useCallback((next: Route) => setRoute(next), []);

  const undo = useCallback(() => {
    api
      .call('library.undo', {})
      .then((result) => setStatus(result.undone ? `Undone: ${result.undone}` : 'Nothing to undo'))
      .catch((error: unknown) => setStatus(`Undo failed: ${errorText(error)}`));
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('elyte.theme', theme);
  }, [theme]);

  useEffect(() => {
    performance.mark('elyte:shell-rendered');
    const preload = setTimeout(
      () => void loadMeasurement().then(() => performance.mark('elyte:plots-loaded')),
      0,
    );
    const onKey = (event: KeyboardEvent) => {
      const typing =
        event.target instanceof HTMLInputElement ||
        event.target instanceof HTMLTextAreaElement ||
        event.target instanceof HTMLSelectElement;
      if (event.altKey && event.key === '1') navigate({ screen: 'library' });
      else if (event.altKey && event.key === '2') navigate({ screen: 'import' });
      else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        navigate({ screen: 'import' });
        setTimeout(() => document.querySelector<HTMLInputElement>('[data-testid="file-input"]')?.click(), 0);
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && !typing) {
        event.preventDefault();
        undo();
      } else if (event.key === '/' && !typing) {
        event.preventDefault();
        navigate({ screen: 'library' });
        setTimeout(() => document.getElementById('library-search')?.focus(), 0);
      } else if (event.key === '?' && !typing) setHelp((h) => !h);
      else if (event.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(preload);
      window.removeEventListener('keydown', onKey);
    };
  }, [navigate, undo]);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Elyte</h1>
        <nav aria-label="Screens">
          <button
            type="button"
            data-testid="nav-library"
            aria-current={route.screen === 'library' ? 'page' : undefined}
            onClick={() => navigate({ screen: 'library' })}
          >
            Library
          </button>
          <button
            type="button"
            data-testid="nav-import"
            aria-current={route.screen === 'import' ? 'page' : undefined}
            onClick={() => navigate({ screen: 'import' })}
          >
            Import
          </button>
        </nav>
        <button
          type="button"
          data-testid="undo-button"
          onClick={undo}
          title="Undo the last library edit (Ctrl+Z)"
        >
          ↶ Undo
        </button>
        <output className="status" data-testid="status-line" aria-live="polite">
          {status}
        </output>
        <button type="button" aria-label="Keyboard shortcuts" onClick={() => setHelp(!help)}>
          ?
        </button>
        <button
          type="button"
          className="theme-toggle"
          data-testid="theme-toggle"
          aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}
          onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')}
        >
          {theme === 'light' ? '☾' : '☀'}
        </button>
      </header>
      {help && (
        <dialog open className="shortcuts" aria-label="Keyboard shortcuts" data-testid="shortcuts">
          <table>
            <tbody>
              {SHORTCUTS.map(([key, what]) => (
                <tr key={key}>
                  <td>
                    <kbd>{key}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => setHelp(false)}>
            Close
          </button>
        </dialog>
      )}
      <main className="app-main">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {route.screen === 'library' && (
            <LibraryView
              onOpen={(id) => navigate({ screen: 'measurement', id })}
              onArrhenius={(cellId) => navigate({ screen: 'arrhenius', cellId })}
              onCompare={(sampleIds) => navigate({ screen: 'compare', sampleIds })}
            />
          )}
          {route.screen === 'import' && (
            <ImportView onOpen={(id) => navigate({ screen: 'measurement', id })} />
          )}
          {route.screen === 'measurement' && (
            <MeasurementView id={route.id} onBack={() => navigate({ screen: 'library' })} />
          )}
          {route.screen === 'arrhenius' && (
            <ArrheniusView cellId={route.cellId} onBack={() => navigate({ screen: 'library' })} />
          )}
          {route.screen === 'compare' && (
            <CompareView sampleIds={route.sampleIds} onBack={() => navigate({ screen: 'library' })} />
          )}
        </Suspense>
      </main>
    </div>
  );
}
