/**
 * The workbench shell: a header with the screens, the current screen, and a status line for jobs.
 * Navigation is plain state (no router): the screens are few and the app is a single window.
 */
import { useCallback, useEffect, useState } from 'react';
import { ImportView } from './views/ImportView';
import { LibraryView } from './views/LibraryView';
import { MeasurementView } from './views/MeasurementView';

export type Route = { screen: 'library' } | { screen: 'import' } | { screen: 'measurement'; id: number };

export function App() {
  const [route, setRoute] = useState<Route>({ screen: 'library' });
  const [theme, setTheme] = useState<'light' | 'dark'>(() =>
    localStorage.getItem('elyte.theme') === 'dark' ? 'dark' : 'light',
  );
  const navigate = useCallback((next: Route) => setRoute(next), []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('elyte.theme', theme);
  }, [theme]);

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
          className="theme-toggle"
          data-testid="theme-toggle"
          aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}
          onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')}
        >
          {theme === 'light' ? '☾' : '☀'}
        </button>
      </header>
      <main className="app-main">
        {route.screen === 'library' && (
          <LibraryView onOpen={(id) => navigate({ screen: 'measurement', id })} />
        )}
        {route.screen === 'import' && <ImportView onOpen={(id) => navigate({ screen: 'measurement', id })} />}
        {route.screen === 'measurement' && (
          <MeasurementView id={route.id} onBack={() => navigate({ screen: 'library' })} />
        )}
      </main>
    </div>
  );
}
