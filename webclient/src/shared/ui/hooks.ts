import { useEffect, useReducer } from "preact/hooks";
import type { Observable } from "../store/observable";

/** Re-renders the component whenever one of the observables changes. */
export function useObservable(...observables: (Observable | null | undefined)[]): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const offs = observables.map((o) => o?.subscribe(bump));
    return () => offs.forEach((off) => off?.());
  }, observables);
}
