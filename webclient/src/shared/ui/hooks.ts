import { useEffect, useState } from "preact/hooks";
import type { Observable } from "../store/observable";

/** Re-renders the component whenever one of the observables changes. */
export function useObservable(...observables: (Observable | null | undefined)[]): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    const offs = observables.map((o) => o?.subscribe(bump));
    return () => offs.forEach((off) => off?.());
  }, observables);
}
