import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../http/api";
import type { ApiError, Neighbourhood, StaffUser } from "../protocol/types";

/** The neighbourhoods of my region (all of them when the account has no region). */
export function useNeighbourhoods(api: StaffApi, user: StaffUser): { list: Neighbourhood[]; error: ApiError | null } {
  const [list, setList] = useState<Neighbourhood[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    void api.neighbourhoods().then((ack) => {
      if (!live) return;
      if (ack.ok) setList(ack.neighbourhoods.filter((n) => !user.region || !n.region || n.region === user.region));
      else setError(ack.error);
    });
    return () => {
      live = false;
    };
  }, [user.id]);
  return { list, error };
}
