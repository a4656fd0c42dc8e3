import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Conversation, Neighbourhood } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatClock, formatUntil, untilToIso } from "../shared/ui/when";
import type { StaffClient } from "./controller";
import { EndShiftDialog } from "./EndShiftDialog";
import { chatsLeft, grantNeeded, type ShiftDesk } from "./shift";

/** A duty change waiting for the officer to say what happens to the chats it would leave. */
interface Pending {
  chats: Conversation[];
  rooms: string[] | null;
  until: string | null;
}

/**
 * Choose neighbourhoods and, if wanted, when the shift ends (HH:MM Swedish time, today or
 * tomorrow); go on duty / change rooms / go off duty. Shows until when I am on duty, and a
 * notice when the duty ended by itself.
 */
export function DutyPanel({ api, client, shift }: { api: StaffApi; client: StaffClient; shift: ShiftDesk }) {
  const { t, lang } = useI18n();
  useObservable(client);
  const [until, setUntil] = useState("");
  const [untilError, setUntilError] = useState(false);
  const [list, setList] = useState<Neighbourhood[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const dutyRooms = client.duty?.rooms.join(",") ?? "";
  const needs = grantNeeded(client.dutyError);
  const nameOf = (slug: string) => list.find((n) => n.slug === slug)?.name ?? slug;

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

  /**
   * Changes duty to `next` (null: off duty). Chats I hold in rooms it leaves are not dropped: the
   * dialog asks, for each, a colleague or the queue first.
   */
  const change = async (next: string[] | null, untilIso: string | null): Promise<boolean> => {
    const left = chatsLeft(client.heldChats(), next);
    if (left.length > 0) {
      await client.refreshRoster();
      setPending({ chats: left, rooms: next, until: untilIso });
      return false;
    }
    return next ? client.startDuty(next, untilIso) : client.endDuty();
  };

  /** Goes on duty (or changes rooms) with the typed end; an update keeps the current end otherwise. */
  const start = () => {
    const typed = until.trim();
    const iso = typed ? untilToIso(typed) : null;
    if (typed && !iso) {
      setUntilError(true);
      return;
    }
    setUntilError(false);
    const keep = client.duty?.until && Date.parse(client.duty.until) > Date.now() ? client.duty.until : null;
    void run(async () => {
      if (await change(rooms, iso ?? keep)) setUntil("");
    });
  };

  const online = client.connection.state === "online";
  const rooms = [...chosen];
  const same = client.duty !== null && rooms.length === client.duty.rooms.length && rooms.every((r) => client.duty?.rooms.includes(r));
  const ended = client.dutyEnded;
  const endedAtShiftEnd = ended?.until ? Date.parse(ended.until) <= ended.at + 90_000 : false;

  return (
    <section class="duty" aria-labelledby="duty-title">
      <h2 id="duty-title">{t("duty.title")}</h2>
      <ErrorAlert error={loadError} />
      {ended ? (
        <div class="notice duty-ended" role="alert" data-testid="duty-ended">
          <span>
            {t("duty.ended")} {endedAtShiftEnd ? t("duty.endedShift", { time: formatClock(ended.until, lang) }) : t("duty.endedOther")}
          </span>
          <button type="button" class="link-button" onClick={() => client.clearDutyEnded()}>
            {t("common.dismiss")}
          </button>
        </div>
      ) : null}
      {client.duty ? (
        <p class="shift-until" data-testid="shift-until">
          {client.duty.until ? t("duty.shiftUntil", { time: formatUntil(client.duty.until, lang) }) : t("duty.on")}
        </p>
      ) : null}
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
      <div class="duty-until">
        <label for="duty-until">{t("duty.untilLabel")}</label>
        <input
          id="duty-until"
          type="time"
          data-testid="duty-until"
          value={until}
          aria-describedby="duty-until-hint"
          aria-invalid={untilError ? "true" : undefined}
          onInput={(e) => {
            setUntil(e.currentTarget.value);
            setUntilError(false);
          }}
        />
        <span class="hint" id="duty-until-hint">
          {t("duty.untilHint")}
        </span>
        {untilError ? (
          <span class="field-error" role="alert">
            {t("duty.untilInvalid")}
          </span>
        ) : null}
      </div>
      <div class="duty-actions">
        {client.duty ? (
          <>
            <button type="button" data-testid="duty-update" disabled={busy || !online || rooms.length === 0 || (same && !until)} onClick={start}>
              {same && until ? t("duty.changeUntil") : t("duty.update")}
            </button>
            <button type="button" data-testid="duty-end" disabled={busy || !online} onClick={() => run(() => change(null, null))}>
              {t("duty.end")}
            </button>
          </>
        ) : (
          <button type="button" class="primary" data-testid="duty-start" disabled={busy || !online || rooms.length === 0} onClick={start}>
            {t("duty.start")}
          </button>
        )}
      </div>
      {needs ? (
        <div class="alert" role="alert" data-testid="duty-needs-grant">
          <span>{t("duty.needsGrant", { room: nameOf(needs.room), region: needs.region })}</span>
          <button type="button" class="link-button" onClick={() => client.clearDutyError()}>
            {t("common.dismiss")}
          </button>
        </div>
      ) : (
        <ErrorAlert error={client.dutyError} detailed onDismiss={() => client.clearDutyError()} />
      )}
      {pending ? (
        <EndShiftDialog
          client={client}
          shift={shift}
          chats={pending.chats}
          rooms={pending.rooms}
          until={pending.until}
          onClose={(done) => {
            setPending(null);
            if (done) setUntil("");
          }}
        />
      ) : null}
    </section>
  );
}
