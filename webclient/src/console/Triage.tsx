import { useState } from "preact/hooks";
import type { Report } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useNow, useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import type { StaffClient } from "./controller";
import { PriorityBadge } from "./Priority";
import { categoryText, excerpt, formatWaiting, type QueueItem, queueItems, reasonText, waitedMs } from "./triage";

/** The live triage queue: most urgent first, waiting time ticking, one click to claim. */
export function Triage({ client }: { client: StaffClient }) {
  const t = useT();
  useObservable(client);
  const queue = client.triage();
  const waiting = queue.filter((r) => r.status === "new").length;
  const now = useNow(1000, waiting > 0);
  const [busy, setBusy] = useState<string | null>(null);

  const claim = async (reportId: string) => {
    setBusy(reportId);
    await client.claim(reportId);
    setBusy(null);
  };

  return (
    <section class="triage" data-testid="triage" aria-labelledby="triage-title">
      <h2 id="triage-title">
        {t("triage.title")} {waiting > 0 ? <span class="triage-count">{waiting}</span> : null}
      </h2>
      <p class="visually-hidden" aria-live="polite">
        {client.duty ? t("triage.count", { n: waiting }) : ""}
      </p>
      <ErrorAlert error={client.claimError} onDismiss={() => client.clearClaimError()} />
      {client.duty ? <ErrorAlert error={client.triageError} /> : null}
      <ul class="triage-list">
        {queue.length === 0 ? <li class="hint">{client.duty ? t("triage.empty") : t("triage.offDuty")}</li> : null}
        {queueItems(queue).map((item) =>
          item.rest.length === 0 ? (
            <TriageItem key={item.lead.id} client={client} report={item.lead} now={now} busy={busy !== null} onClaim={claim} />
          ) : (
            <BurstItem key={item.lead.id} client={client} item={item} now={now} busy={busy !== null} onClaim={claim} />
          ),
        )}
      </ul>
    </section>
  );
}

/** A burst folded into one line: its most urgent report, a count, "likely flood", the rest on demand. */
function BurstItem({ client, item, now, busy, onClaim }: { client: StaffClient; item: QueueItem; now: number; busy: boolean; onClaim: (id: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const n = item.rest.length + 1;
  return (
    <li class={`triage-burst${item.likelyFlood ? " triage-flood" : ""}`} data-testid="triage-burst" data-flood={item.likelyFlood ? "true" : undefined}>
      <p class="triage-burst-head">
        {item.likelyFlood ? <span class="flood-pill">{t("triage.flood")}</span> : null}
        <span>{item.reason === "same_text" ? t("triage.sameText", { n }) : t("triage.sameSource", { n })}</span>
        <button type="button" class="link-button" data-testid="triage-burst-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t("triage.burstHide") : t("triage.burstShow", { n })}
        </button>
      </p>
      <ul class="triage-list">
        {[item.lead, ...(open ? item.rest : [])].map((report) => (
          <TriageItem key={report.id} client={client} report={report} now={now} busy={busy} onClaim={onClaim} />
        ))}
      </ul>
    </li>
  );
}

interface ItemProps {
  client: StaffClient;
  report: Report;
  now: number;
  busy: boolean;
  onClaim: (reportId: string) => void;
}

function TriageItem({ client, report, now, busy, onClaim }: ItemProps) {
  const t = useT();
  const room = client.rooms.get(report.room)?.neighbourhood?.name ?? report.room;
  const conversationId = report.conversation_id;
  return (
    <li
      class={`triage-item triage-${report.status}${conversationId && conversationId === client.selected ? " selected" : ""}`}
      data-testid={`triage-item-${report.id}`}
      data-priority={report.priority}
      data-status={report.status}
    >
      <div class="triage-head">
        <PriorityBadge priority={report.priority} />
        <strong class="triage-category">{categoryText(t, report.category)}</strong>
        {report.happening_now ? <span class="now-pill">{t("triage.now")}</span> : <span class="hint">{t("triage.notNow")}</span>}
        {report.status === "new" ? (
          <span class="triage-wait" data-testid={`triage-wait-${report.id}`}>
            {t("triage.waited", { time: formatWaiting(waitedMs(report, now)) })}
          </span>
        ) : null}
      </div>
      <p class="triage-meta">
        {room} · {report.youth?.nickname ?? t("inbox.anonymous")} ·{" "}
        {report.location ? t("triage.location", { location: report.location }) : t("triage.noLocation")}
      </p>
      {report.body ? <p class="triage-body">{excerpt(report.body)}</p> : null}
      {report.reasons && report.reasons.length > 0 ? (
        <ul class="reasons" aria-label={t("triage.reasons")}>
          {report.reasons.map((code) => (
            <li key={code}>{reasonText(t, code)}</li>
          ))}
        </ul>
      ) : null}
      <div class="triage-actions">
        {report.status === "new" ? (
          <button type="button" class="primary" data-testid={`triage-claim-${report.id}`} disabled={busy} onClick={() => onClaim(report.id)}>
            {t("triage.claim")}
          </button>
        ) : (
          <>
            <span class="hint">{t("triage.claimedByYou")}</span>
            {conversationId ? (
              <button type="button" data-testid={`triage-open-${report.id}`} onClick={() => void client.select(conversationId)}>
                {t("triage.openChat")}
              </button>
            ) : null}
          </>
        )}
      </div>
    </li>
  );
}
