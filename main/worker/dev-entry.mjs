// Worker entry when the services run from TypeScript sources (browser mode, tests): registers tsx's
// loader inside the worker, then loads the real entry. The packaged app uses dist/electron/worker.cjs.
import { register } from 'tsx/esm/api';

register();
await import('./entry.ts');
