import { useEffect, useMemo, useState } from "preact/hooks";
import type { Lang } from "../shared/i18n";
import { translator } from "../shared/i18n";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { I18nContext } from "../shared/ui/i18n";
import { ChatView } from "./ChatView";
import { Connectivity } from "./Connectivity";
import type { YouthClient } from "./controller";
import { Header } from "./Header";
import type { Network } from "./network";
import { Nickname } from "./Nickname";
import { PrivacyView } from "./PrivacyView";
import { ReportView } from "./ReportView";
import { RoomView } from "./RoomView";
import { Tabs, type TabItem } from "./Tabs";

/** The report and privacy views have no tab: a button opens each, and "back" returns to the tab. */
type TabId = "room" | "chat";
type View = TabId | "report" | "privacy";

/** What the widget does beyond the socket: leave, forget, no-trace, close (main.tsx wires them). */
export interface WidgetActions {
  exit: () => void;
  forget: () => void;
  setNoTrace: (on: boolean) => void;
  close: () => void;
}

interface Props {
  client: YouthClient;
  network: Network;
  embedded: boolean;
  initialLang: Lang;
  /** Just back from "forget me": say it is done. */
  forgotten: boolean;
  /** The full page in a tab of its own, offered when the iframe may not store anything. */
  ownTabUrl: string | null;
  actions: WidgetActions;
}

export function App({ client, network, embedded, initialLang, forgotten, ownTabUrl, actions }: Props) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<View>(client.conversation ? "chat" : "room");
  const [lastTab, setLastTab] = useState<TabId>("room");
  const [showForgotten, setShowForgotten] = useState(forgotten);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const t = i18n.t;
  useObservable(client);
  const noTrace = client.storageMode === "notrace";

  useEffect(() => {
    document.documentElement.lang = lang;
    // No trace: a tab title that says nothing about the police.
    document.title = noTrace ? t("widget.neutralTitle") : t("widget.pageTitle");
    client.setLang(lang);
  }, [lang, noTrace]);

  // A claimed report or a handoff brings the chat to the front.
  useEffect(() => {
    if (client.chatFocus > 0) show("chat");
  }, [client.chatFocus]);

  function show(next: View) {
    if (next === "room" || next === "chat") setLastTab(next);
    setView(next);
  }

  const tabs: TabItem<TabId>[] = [
    { id: "room", label: t("tab.room") },
    { id: "chat", label: t("tab.chat") },
  ];

  return (
    <I18nContext.Provider value={i18n}>
      <div class="widget">
        <Header client={client} embedded={embedded} onLang={setLang} onExit={actions.exit} onClose={actions.close} />
        <main class="widget-main">
          <Connectivity network={network} connection={client.connection} />
          {showForgotten ? (
            <div class="notice notice-done" role="status" data-testid="forgotten">
              <span>{t("widget.forgotten")}</span>
              <button type="button" class="link-button" onClick={() => setShowForgotten(false)}>
                {t("common.dismiss")}
              </button>
            </div>
          ) : null}
          <ErrorAlert error={client.error} onDismiss={() => client.clearError()} />
          <div class="widget-me">
            <Nickname nickname={client.youth?.nickname ?? null} onSave={(n) => client.setNickname(n)} />
            <button
              type="button"
              class="link-button privacy-open"
              data-testid="privacy-open"
              aria-expanded={view === "privacy"}
              onClick={() => show(view === "privacy" ? lastTab : "privacy")}
            >
              {t("widget.privacyOpen")}
            </button>
          </div>
          {client.room ? (
            <div class="report-entry">
              <button
                type="button"
                class="report-open"
                id="report-open"
                data-testid="report-open"
                aria-controls="panel-report"
                aria-expanded={view === "report"}
                onClick={() => show("report")}
              >
                {t("report.open")}
              </button>
            </div>
          ) : null}
          <Tabs tabs={tabs} current={view} label={t("tab.label")} onSelect={show} />
          {!client.room ? (
            <p class="alert" role="alert">
              {t("widget.noRoom")}
            </p>
          ) : view === "privacy" ? (
            <section class="panel" id="panel-privacy" aria-labelledby="privacy-title">
              <PrivacyView client={client} ownTabUrl={ownTabUrl} onNoTrace={actions.setNoTrace} onForget={actions.forget} onBack={() => show(lastTab)} />
            </section>
          ) : view === "report" ? (
            <section class="panel" id="panel-report" aria-labelledby="report-open">
              <ReportView client={client} onGoToChat={() => show("chat")} />
            </section>
          ) : (
            <section class="panel" role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
              {view === "room" ? <RoomView client={client} /> : <ChatView client={client} ownTabUrl={ownTabUrl} />}
            </section>
          )}
        </main>
      </div>
    </I18nContext.Provider>
  );
}
