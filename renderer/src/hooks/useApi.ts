/** Data hooks over the typed client: load a call's result, refresh when the library changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../app/api/contract';
import type { AnalysisRecord } from '../../../app/api/types';
import { ApiError, api } from '../api/client';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function errorText(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/** Calls `name` with `input` (re-run when `key` changes or the library changes). */
export function useCall<K extends CallName>(
  name: K,
  input: CallInput<K> | null,
  key: string,
): Loaded<CallOutput<K>> {
  const [state, setState] = useState<{ data: CallOutput<K> | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: input !== null,
  });
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the input's content.
  useEffect(() => {
    const current = inputRef.current;
    if (current === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api
      .call(name, current)
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error: unknown) => live && setState({ data: null, error: errorText(error), loading: false }));
    return () => {
      live = false;
    };
  }, [name, key, tick]);

  useEffect(() => api.onEvent((event) => event.type === 'library.changed' && reload()), [reload]);
  return { ...state, reload };
}

export interface AnalysisState {
  record: AnalysisRecord | null;
  error: string | null;
  running: boolean;
  /** Progress of the running analysis (0…1) and what it is doing. */
  progress: { fraction: number; message: string } | null;
  /** The latest stored version (if any) has been looked up. */
  loaded: boolean;
  run: (settings: Record<string, unknown>) => void;
  cancel: () => void;
}

/**
 * Runs an analysis as a worker job and stores it as a new version. Changing a setting re-runs it
 * after a short pause (live recompute without a version per keystroke); a newer run supersedes an
 * older one, and a long one (a temperature series) shows progress and can be cancelled.
 */
export function useAnalysis(kind: string, measurementIds: number[], debounceMs = 400): AnalysisState {
  const [record, setRecord] = useState<AnalysisRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<AnalysisState['progress']>(null);
  const [loaded, setLoaded] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sequence = useRef(0);
  const jobId = useRef<string | null>(null);
  const pending = useRef<Record<string, unknown> | null>(null);
  const latest = useRef<AnalysisRecord | null>(null);
  const ids = measurementIds.join(',');

  // The stored result comes first: opening a measurement shows its latest version, and only a
  // changed setting makes a new one.
  useEffect(() => {
    let live = true;
    setLoaded(false);
    latest.current = null;
    const wanted = [...new Set(ids.split(',').map(Number))].sort((a, b) => a - b).join(',');
    api
      .call('analysis.list', { measurementId: Number(ids.split(',')[0]) })
      .then((records) => {
        if (!live) return;
        const same = records
          .filter((r) => r.kind === kind && [...r.measurementIds].sort((a, b) => a - b).join(',') === wanted)
          .sort((a, b) => b.id - a.id)[0];
        latest.current = same ?? null;
        if (same) setRecord(same);
      })
      .catch(() => undefined)
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [kind, ids]);

  const start = useCallback(
    (settings: Record<string, unknown>) => {
      if (latest.current && sameSettings(settings, latest.current.settings)) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const mine = ++sequence.current;
        const current = () => mine === sequence.current;
        setRunning(true);
        setError(null);
        setProgress(null);
        api
          .runJob<'analysis.run', AnalysisRecord>(
            'analysis.run',
            {
              kind: kind as CallInput<'analysis.run'>['kind'],
              measurementIds: ids.split(',').map(Number),
              settings,
            },
            (p) => current() && setProgress(p),
            (id) => {
              jobId.current = id;
            },
          )
          .then((value) => {
            if (!current()) return;
            latest.current = value;
            setRecord(value);
          })
          .catch((failure: unknown) => current() && setError(errorText(failure)))
          .finally(() => {
            if (!current()) return;
            setRunning(false);
            setProgress(null);
            jobId.current = null;
          });
      }, debounceMs);
    },
    [kind, ids, debounceMs],
  );

  // Requests made before the stored result is known wait for it.
  useEffect(() => {
    if (loaded && pending.current) {
      const settings = pending.current;
      pending.current = null;
      start(settings);
    }
  }, [loaded, start]);

  const run = useCallback(
    (settings: Record<string, unknown>) => {
      if (!loaded) pending.current = settings;
      else start(settings);
    },
    [loaded, start],
  );

  const cancel = useCallback(() => {
    if (jobId.current) void api.call('jobs.cancel', { jobId: jobId.current });
  }, []);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return { record, error, running, progress, loaded, run, cancel };
}

/** True when every requested setting equals the stored one (the stored ones also hold defaults). */
function sameSettings(requested: Record<string, unknown>, stored: Record<string, unknown>): boolean {
  return Object.entries(requested).every(
    ([key, value]) => JSON.stringify(value) === JSON.stringify(stored[key]),
  );
}
