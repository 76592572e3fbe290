/**
 * Electron main process: one window, locked down (context isolation, sandbox, no Node in the
 * renderer, a strict CSP, no navigation, no new windows), the API served over one IPC channel per
 * call with the sender checked and the argument validated before anything runs. Heavy work goes to
 * the worker pool; the main thread only routes.
 */
import { join } from 'node:path';
import { app, BrowserWindow, type IpcMainInvokeEvent, ipcMain, session, shell } from 'electron';
import { CALL_NAME_LIST, IPC_EVENT_CHANNEL, ipcChannel } from '../../app/api/call-names';
import { CONTENT_SECURITY_POLICY } from '../serve/csp';
import { createServices, type Services } from '../services/services';

const RENDERER_INDEX = join(__dirname, '../renderer/index.html');
let services: Services | null = null;
let mainWindow: BrowserWindow | null = null;

/** Only our own page, loaded from our own file, may call the API. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || !mainWindow || event.sender !== mainWindow.webContents) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' && decodeURIComponent(url.pathname).endsWith('/renderer/index.html');
  } catch {
    return false;
  }
}

function registerIpc(active: Services): void {
  for (const name of CALL_NAME_LIST) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: {
            kind: 'invalid-argument',
            message: "refused: the request did not come from Elyte's window",
          },
        };
      }
      return active.dispatch(name, input);
    });
  }
  active.events.subscribe((event) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, event));
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Elyte',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadFile(RENDERER_INDEX);
}

function lockDown(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser; the app itself never opens windows.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

app.enableSandbox();
app
  .whenReady()
  .then(async () => {
    lockDown();
    services = await createServices({
      libraryPath: process.env.ELYTE_LIBRARY ?? join(app.getPath('userData'), 'library.sqlite'),
      version: app.getVersion(),
      transport: 'electron',
      workerEntry: join(__dirname, 'worker.cjs'),
      workerExecArgv: [],
    });
    registerIpc(services);
    createWindow();
    // A first start opens on the reference-study demo, so there is something to explore.
    const demo = app.isPackaged
      ? join(process.resourcesPath, 'examples', 'reference-study')
      : join(__dirname, '../../examples/reference-study');
    void services
      .importDemo(demo)
      .catch((error: unknown) => console.error('[elyte] demo import failed', error));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  })
  .catch((error: unknown) => {
    console.error('[elyte] failed to start', error);
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void services?.close();
});
