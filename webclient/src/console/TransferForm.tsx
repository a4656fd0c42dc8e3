import { useState } from "preact/hooks";
import type { ApiError } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import type { StaffClient } from "./controller";
import type { ShiftDesk } from "./shift";

/** "Lämna över": give the chat to a colleague on duty for its room, with a note for them. */
export function TransferForm({ client, shift, conversationId, room }: { client: StaffClient; shift: ShiftDesk; conversationId: string; room: string }) {
  const t = useT();
  useObservable(client);
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const colleagues = client.colleaguesIn(room);

  if (!open) {
    return (
      <button
        type="button"
        data-testid="transfer-open"
        onClick={() => {
          setOpen(true);
          void client.refreshRoster();
        }}
      >
        {t("transfer.open")}
      </button>
    );
  }
  const submit = async () => {
    setBusy(true);
    setError(null);
    const failed = await shift.transfer(conversationId, to, note);
    setBusy(false);
    if (failed) setError(failed);
    else {
      setOpen(false);
      setNote("");
      setTo("");
    }
  };
  return (
    <form
      class="transfer-form"
      data-testid="transfer-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (to) void submit();
      }}
    >
      {colleagues.length === 0 ? <p class="hint">{t("transfer.none")}</p> : null}
      <label>
        <span>{t("transfer.to")}</span>
        <select data-testid="transfer-to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="">{t("transfer.pick")}</option>
          {colleagues.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t("transfer.note")}</span>
        <textarea data-testid="transfer-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <ErrorAlert error={error} detailed />
      <div class="chat-actions">
        <button type="submit" class="primary" data-testid="transfer-send" disabled={busy || !to}>
          {t("transfer.send")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
