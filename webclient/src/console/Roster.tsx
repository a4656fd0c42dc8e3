import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatUntil } from "../shared/ui/when";
import type { StaffClient } from "./controller";

/** Who is on duty in my rooms and until when (duty:roster on duty changes and every 60 s). */
export function Roster({ client }: { client: StaffClient }) {
  const { t, lang } = useI18n();
  useObservable(client);
  const roomName = (slug: string) => client.rooms.get(slug)?.neighbourhood?.name ?? slug;
  const mine = new Set(client.duty?.rooms ?? []);
  const rooms = client.roster.filter((r) => mine.has(r.room));

  return (
    <section class="roster" aria-labelledby="roster-title" data-testid="roster">
      <h2 id="roster-title">{t("roster.title")}</h2>
      {!client.duty ? <p class="hint">{t("roster.offDuty")}</p> : null}
      <ErrorAlert error={client.rosterError} />
      {client.duty ? (
        <ul class="roster-list">
          {(client.duty.rooms ?? []).map((slug) => {
            const officers = rooms.find((r) => r.room === slug)?.officers ?? [];
            const others = officers.filter((o) => String(o.id) !== String(client.user.id));
            return (
              <li key={slug} data-testid={`roster-room-${slug}`}>
                <span class="roster-room">{roomName(slug)}</span>
                {officers.length === 0 || others.length === 0 ? <span class="hint"> · {t("roster.none")}</span> : null}
                <ul class="roster-officers">
                  {officers.map((o) => (
                    <li key={o.id}>
                      {o.name}
                      {String(o.id) === String(client.user.id) ? ` (${t("roster.you")})` : ""}
                      <span class="hint">
                        {" · "}
                        {o.until ? t("roster.until", { time: formatUntil(o.until, lang) }) : t("roster.noUntil")}
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
