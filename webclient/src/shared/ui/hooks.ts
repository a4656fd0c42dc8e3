import { useEffect, useState } from "preact/hooks";
import type { Observable } from "../store/observable";

/** Re-renders the component whenever one of the observables changes. */
export function useObservable(...observables: (Observable | null | undefined)[]): void {
  const [, setTick] = useState(0);
  // The revisions this render saw: effects run after the browser paints, and a change in between
  // (an ack arriving right after the first render) would otherwise never re-render the view.
  const seen = observables.map((o) => o?.revision);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    const offs = observables.map((o) => o?.subscribe(bump));
    if (observables.some((o, i) => o && o.revision !== seen[i])) bump();
    return () => offs.forEach((off) => off?.());
  }, observables);
}

/** The current time in ms, refreshed every `intervalMs` while `active` (for ticking waits). */
export function useNow(intervalMs = 1000, active = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
