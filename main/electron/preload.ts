/**
 * The whole bridge between the sandboxed renderer and the main process: one object of named
 * functions, one per API call, each bound to its own IPC channel, plus an event subscription.
 * Never ipcRenderer itself, never a generic invoke(channel).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { CALL_NAME_LIST, IPC_EVENT_CHANNEL, ipcChannel } from '../../app/api/call-names';

const calls = Object.fromEntries(
  CALL_NAME_LIST.map((name) => [name, (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input)]),
);

const bridge = {
  calls,
  onEvent(listener: (event: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
};

export type ElyteBridge = typeof bridge;

contextBridge.exposeInMainWorld('elyte', bridge);
