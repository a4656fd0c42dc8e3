import { useEffect, useState } from "preact/hooks";
import type { GrantDraft, StaffApi } from "../shared/http/api";
import type { ApiError, DutyGrant, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatUntil } from "../shared/ui/when";

const EMPTY: GrantDraft = { username: "", hours: 4, reason: "" };
const HOURS = Array.from({ length: 16 }, (_, i) => i + 1);

/**
 * Leave for officers of other regions to go on duty in the supervisor's region (help on a busy
 * evening): who, for how many hours, and why — audited. A grant ends by itself; revoking it ends
 * the officer's duty here at once, and their chats go back to the queue.
 */
export function DutyGrants({ api, user }: { api: StaffApi; user: StaffUser }) {
  const { t, lang } = useI18n();
  const [grants, setGrants] = useState<DutyGrant[] | null>(null);
  const [draft, setDraft] = useState<GrantDraft>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const ack = await api.grants();
    if (ack.ok) setGrants(ack.grants);
    else setError(ack.error);
  };
  useEffect(() => void load(), []);

  const give = async () => {
    setBusy(true);
    const ack = await api.giveGrant({ ...draft, username: draft.username.trim() });
    setBusy(false);
    setError(ack.ok ? null : ack.error);
    if (!ack.ok) return;
    setDraft(EMPTY);
    await load();
  };

  const revoke = async (grant: DutyGrant) => {
    const ack = await api.revokeGrant(grant.id);
    setError(ack.ok ? null : ack.error);
    await load();
  };

  return (
    <section aria-labelledby="grants-title" data-testid="duty-grants">
      <h2 id="grants-title">{t("grants.title", { region: user.region ?? "" })}</h2>
      <p class="hint">{t("grants.intro")}</p>
      {grants !== null && grants.length === 0 ? <p class="hint">{t("grants.none")}</p> : null}
      <ul class="plain-list" data-testid="grants-list">
        {(grants ?? []).map((g) => (
          <li key={g.id} data-testid="grant-item">
            <p>
              <strong>{g.staff.name}</strong> ({g.staff.username}, {t("grants.ofRegion", { region: g.staff.region })}) –{" "}
              {t("grants.until", { time: formatUntil(g.expires_at, lang) })}
            </p>
            <p class="hint">{t("grants.reasonBy", { reason: g.reason, name: g.granted_by.name })}</p>
            <button type="button" class="link-button" data-testid="grant-revoke" onClick={() => void revoke(g)}>
              {t("grants.revoke")}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="reply-form"
        data-testid="grant-form"
        onSubmit={(e) => {
          e.preventDefault();
          void give();
        }}
      >
        <h3>{t("grants.newTitle")}</h3>
        <label>
          <span>{t("grants.username")}</span>
          <input data-testid="grant-username" maxLength={64} autoComplete="off" value={draft.username} onInput={(e) => setDraft({ ...draft, username: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t("grants.hours")}</span>
          <select data-testid="grant-hours" value={String(draft.hours)} onChange={(e) => setDraft({ ...draft, hours: Number(e.currentTarget.value) })}>
            {HOURS.map((h) => (
              <option key={h} value={String(h)}>
                {t("grants.hoursOption", { n: h })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("grants.reason")}</span>
          <input data-testid="grant-reason" maxLength={500} value={draft.reason} onInput={(e) => setDraft({ ...draft, reason: e.currentTarget.value })} />
        </label>
        <ErrorAlert error={error} detailed testId="grant-error" onDismiss={() => setError(null)} />
        <div class="dialog-actions">
          <button type="submit" class="primary" data-testid="grant-give" disabled={busy || !draft.username.trim() || !draft.reason.trim()}>
            {t("grants.give")}
          </button>
        </div>
      </form>
    </section>
  );
}
