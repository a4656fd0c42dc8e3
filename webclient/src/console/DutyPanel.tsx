import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Neighbourhood } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import type { StaffClient } from "./controller";

/** Choose neighbourhoods, go on duty / change rooms / go off duty. */
export function DutyPanel({ api, client }: { api: StaffApi; client: StaffClient }) {
  const t = useT();
  useObservable(client);
  const [list, setList] = useState<Neighbourhood[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const dutyRooms = client.duty?.rooms.join(",") ?? "";

  useEffect(() => {
    void api.neighbourhoods().then((ack) => {
      if (ack.ok) setList(ack.neighbourhoods);
      else setLoadError(ack.error);
    });
  }, []);

  useEffect(() => {
    if (client.duty) setChosen(new Set(client.duty.rooms));
  }, [dutyRooms]);

  const toggle = (slug: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(slug);
    else next.delete(slug);
    setChosen(next);
  };

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  const online = client.connection.state === "online";
  const rooms = [...chosen];
  const same = client.duty !== null && rooms.length === client.duty.rooms.length && rooms.every((r) => client.duty?.rooms.includes(r));

  return (
    <section class="duty" aria-labelledby="duty-title">
      <h2 id="duty-title">{t("duty.title")}</h2>
      <ErrorAlert error={loadError} />
      <fieldset>
        <legend>{t("duty.rooms")}</legend>
        {list.map((n) => (
          <label key={n.slug} class="duty-room">
            <input
              type="checkbox"
              data-testid={`duty-room-${n.slug}`}
              checked={chosen.has(n.slug)}
              onChange={(e) => toggle(n.slug, e.currentTarget.checked)}
            />
            <span>{n.name}</span>
            <span class="hint">{n.police_area}</span>
          </label>
        ))}
      </fieldset>
      <div class="duty-actions">
        {client.duty ? (
          <>
            <button type="button" data-testid="duty-update" disabled={busy || !online || rooms.length === 0 || same} onClick={() => run(() => client.startDuty(rooms))}>
              {t("duty.update")}
            </button>
            <button type="button" data-testid="duty-end" disabled={busy || !online} onClick={() => run(() => client.endDuty())}>
              {t("duty.end")}
            </button>
          </>
        ) : (
          <button type="button" class="primary" data-testid="duty-start" disabled={busy || !online || rooms.length === 0} onClick={() => run(() => client.startDuty(rooms))}>
            {t("duty.start")}
          </button>
        )}
      </div>
    </section>
  );
}
