import { useEffect, useMemo, useState } from "preact/hooks";
import type { Lang } from "../shared/i18n";
import type { StaffApi } from "../shared/http/api";
import type { StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { ConnectionBanner } from "../shared/ui/Banner";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import { LangSwitch } from "../shared/ui/LangSwitch";
import { beep, primeAudio } from "./beep";
import { ChatAlerts } from "./ChatAlerts";
import { ChatPanel } from "./ChatPanel";
import { StaffClient } from "./controller";
import { DutyPanel } from "./DutyPanel";
import { Handover } from "./Handover";
import { Inbox } from "./Inbox";
import { MyReviews } from "./MyReviews";
import { NotesDesk } from "./notes";
import { NoticeDesk } from "./notices";
import { NoticesPanel } from "./NoticesPanel";
import { QaDesk } from "./qa";
import { QaPanel } from "./QaPanel";
import { RepliesDesk } from "./replies";
import { Roster } from "./Roster";
import { Rooms } from "./Rooms";
import { type Section, SectionNav } from "./Sections";
import { ShiftDesk } from "./shift";
import { Triage } from "./Triage";
import { TriageAlerts } from "./TriageAlerts";

interface Props {
  api: StaffApi;
  user: StaffUser;
  onLogout: () => void;
  onRefused: () => void;
  setLang: (lang: Lang) => void;
}

/** The patrol console once logged in: duty, roster and handover, urgent alerts, rooms, triage queue, inbox and the selected chat. */
export function Console({ api, user, onLogout, onRefused, setLang }: Props) {
  const t = useT();
  const client = useMemo(() => new StaffClient(location.origin, user), [user.id]);
  useObservable(client, client.connection);
  const [section, setSection] = useState<Section>("patrol");
  const qa = useMemo(() => new QaDesk(client), [client]);
  const notices = useMemo(() => new NoticeDesk(client), [client]);
  const shift = useMemo(() => new ShiftDesk(client), [client]);
  const notes = useMemo(() => new NotesDesk(client), [client]);
  const replies = useMemo(() => new RepliesDesk(client), [client]);

  useEffect(() => {
    client.onAlert = () => beep();
    shift.onAlert = () => beep();
    client.start();
    return () => {
      client.onAlert = null;
      shift.onAlert = null;
      client.stop();
    };
  }, [client]);

  // Browsers let a page play sound only after an interaction: unlock audio on the first one.
  useEffect(() => {
    const remove = () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
    const unlock = () => {
      primeAudio();
      remove();
    };
    window.addEventListener("pointerdown", unlock);
    window.addEventListener("keydown", unlock);
    return remove;
  }, []);

  useEffect(() => {
    if (client.connection.state === "refused" && client.connection.refusal === "unauthorized") onRefused();
  }, [client.connection.state]);

  return (
    <div class="console">
      <header class="console-header">
        <h1>{t("console.title")}</h1>
        <p class="who">
          {user.display_name}
          {user.police_area ? ` · ${user.police_area}` : ""}
          <span class={client.duty ? "duty-pill on" : "duty-pill"}>{client.duty ? t("duty.on") : t("duty.off")}</span>
        </p>
        <LangSwitch onChange={setLang} />
        <button type="button" data-testid="logout" onClick={() => {
          client.stop();
          onLogout();
        }}>
          {t("console.logout")}
        </button>
      </header>
      <ConnectionBanner connection={client.connection} />
      <ErrorAlert error={client.error} onDismiss={() => client.clearError()} />
      <TriageAlerts client={client} />
      <ChatAlerts client={client} shift={shift} />
      <DutyPanel api={api} client={client} shift={shift} />
      <SectionNav section={section} onSelect={setSection} notices={notices} />
      {section === "qa" ? <QaPanel api={api} client={client} desk={qa} /> : null}
      {section === "notices" ? <NoticesPanel api={api} client={client} desk={notices} /> : null}
      {section === "patrol" ? (
        <>
          <div class="shift">
            <Roster client={client} />
            <Handover client={client} />
          </div>
          <MyReviews api={api} />
          <main class="console-main">
            <Rooms client={client} />
            <div class="queues">
              <Triage client={client} />
              <Inbox client={client} shift={shift} />
            </div>
            <ChatPanel client={client} shift={shift} notes={notes} replies={replies} />
          </main>
        </>
      ) : null}
    </div>
  );
}
