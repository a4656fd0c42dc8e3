import { useEffect, useMemo, useState } from "preact/hooks";
import type { Lang } from "../shared/i18n";
import { translator } from "../shared/i18n";
import { ErrorAlert } from "../shared/ui/Alert";
import { ConnectionBanner } from "../shared/ui/Banner";
import { useObservable } from "../shared/ui/hooks";
import { I18nContext } from "../shared/ui/i18n";
import { LangSwitch } from "../shared/ui/LangSwitch";
import { ChatView } from "./ChatView";
import type { YouthClient } from "./controller";
import type { HostBridge } from "./embed";
import { Nickname } from "./Nickname";
import { ReportView } from "./ReportView";
import { RoomView } from "./RoomView";
import { OnlineStatus } from "./Status";

/** The report view has no tab of its own: the prominent button above the tabs opens it. */
type Tab = "room" | "chat" | "report";

interface Props {
  client: YouthClient;
  bridge: HostBridge;
  initialLang: Lang;
}

export function App({ client, bridge, initialLang }: Props) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [tab, setTab] = useState<Tab>(client.conversation ? "chat" : "room");
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const t = i18n.t;
  useObservable(client);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t("widget.pageTitle");
    client.setLang(lang);
  }, [lang]);

  // A claimed report or a handoff brings the chat to the front.
  useEffect(() => {
    if (client.chatFocus > 0) setTab("chat");
  }, [client.chatFocus]);

  const tabs: { id: Tab; label: string }[] = [
    { id: "room", label: t("tab.room") },
    { id: "chat", label: t("tab.chat") },
  ];

  return (
    <I18nContext.Provider value={i18n}>
      <div class="widget">
        <header class="widget-header">
          <div class="widget-title">
            <h1>{client.neighbourhood?.name ?? t("widget.title")}</h1>
            <OnlineStatus availability={client.availability} />
          </div>
          <div class="widget-tools">
            <LangSwitch onChange={setLang} />
            {bridge.embedded ? (
              <button type="button" class="icon-button" aria-label={t("widget.close")} title={t("widget.close")} onClick={() => bridge.post("close")}>
                <span aria-hidden="true">×</span>
              </button>
            ) : null}
          </div>
        </header>
        <ConnectionBanner connection={client.connection} />
        <ErrorAlert error={client.error} onDismiss={() => client.clearError()} />
        <Nickname nickname={client.youth?.nickname ?? null} onSave={(n) => client.setNickname(n)} />
        {client.room ? (
          <div class="report-entry">
            <button
              type="button"
              class="report-open"
              id="report-open"
              data-testid="report-open"
              aria-controls="panel-report"
              aria-expanded={tab === "report"}
              onClick={() => setTab("report")}
            >
              {t("report.open")}
            </button>
          </div>
        ) : null}
        <div class="tabs" role="tablist" aria-label={t("tab.label")}>
          {tabs.map(({ id, label }) => (
            <button
              type="button"
              role="tab"
              key={id}
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              data-testid={`tab-${id}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
        {client.room && tab === "report" ? (
          <section class="panel" id="panel-report" aria-labelledby="report-open">
            <ReportView client={client} onGoToChat={() => setTab("chat")} />
          </section>
        ) : client.room ? (
          <section class="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === "room" ? <RoomView client={client} /> : <ChatView client={client} />}
          </section>
        ) : (
          <p class="alert" role="alert">
            {t("widget.noRoom")}
          </p>
        )}
      </div>
    </I18nContext.Provider>
  );
}
