import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError, Conversation } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useT } from "../shared/staff/i18n";
import type { StaffClient } from "./controller";
import type { Handover, ShiftDesk } from "./shift";

interface Props {
  client: StaffClient;
  shift: ShiftDesk;
  /** The chats that would be left: each goes to a colleague or back to the queue. */
  chats: Conversation[];
  /** The new set of rooms, or null for going off duty. */
  rooms: string[] | null;
  until?: string | null;
  onClose: (done: boolean) => void;
}

/**
 * Before a shift ends (or rooms are left) with chats open: for each chat, a colleague on duty in
 * its room with a note, or back to the queue. A modal dialog; Escape or "Avbryt" keeps everything.
 */
export function EndShiftDialog({ client, shift, chats, rooms, until, onClose }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [plan, setPlan] = useState<Map<string, Handover>>(() => new Map(chats.map((c) => [c.id, { to: null, note: "" }])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const set = (id: string, change: Partial<Handover>) => {
    const next = new Map(plan);
    next.set(id, { ...(plan.get(id) ?? { to: null, note: "" }), ...change });
    setPlan(next);
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const failed = await shift.endShift(plan, rooms, until);
    setBusy(false);
    if (failed) setError(failed);
    else onClose(true);
  };

  return (
    <dialog ref={ref} class="end-shift" aria-labelledby="end-shift-title" data-testid="end-shift-dialog" onCancel={() => onClose(false)}>
      <h2 id="end-shift-title">{t("shift.dialogTitle")}</h2>
      <p>{rooms ? t("shift.dialogIntroRooms") : t("shift.dialogIntro")}</p>
      <ul class="end-shift-chats">
        {chats.map((chat) => {
          const colleagues = client.colleaguesIn(chat.room);
          const choice = plan.get(chat.id) ?? { to: null, note: "" };
          const roomName = client.rooms.get(chat.room)?.neighbourhood?.name ?? chat.room;
          return (
            <li key={chat.id} data-testid={`end-shift-chat-${chat.id}`}>
              <p class="end-shift-who">{t("shift.chatLine", { name: chat.youth?.nickname ?? t("inbox.anonymous"), room: roomName })}</p>
              <label>
                <span>{t("shift.choice")}</span>
                <select
                  data-testid="end-shift-choice"
                  value={choice.to ?? ""}
                  onChange={(e) => set(chat.id, { to: e.currentTarget.value || null })}
                >
                  <option value="">{t("shift.toQueue")}</option>
                  {colleagues.map((o) => (
                    <option key={o.id} value={o.id}>
                      {t("shift.toColleague", { name: o.name })}
                    </option>
                  ))}
                </select>
              </label>
              {colleagues.length === 0 ? <p class="hint">{t("shift.noColleague")}</p> : null}
              {choice.to ? (
                <label>
                  <span>{t("shift.note")}</span>
                  <textarea data-testid="end-shift-note" rows={2} maxLength={2000} value={choice.note} onInput={(e) => set(chat.id, { note: e.currentTarget.value })} />
                </label>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ErrorAlert error={error} detailed />
      <div class="dialog-actions">
        <button type="button" class="primary" data-testid="end-shift-confirm" disabled={busy} onClick={() => void confirm()}>
          {rooms ? t("shift.confirmRooms") : t("shift.confirmEnd")}
        </button>
        <button type="button" data-testid="end-shift-cancel" disabled={busy} onClick={() => onClose(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </dialog>
  );
}
