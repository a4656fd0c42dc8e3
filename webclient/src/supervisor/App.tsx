import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Lang } from "../shared/i18n";
import type { StaffApi } from "../shared/http/api";
import type { StaffUser } from "../shared/protocol/types";
import { translator, useI18n, type Key } from "../shared/staff/i18n";
import { I18nContext } from "../shared/ui/i18n";
import { LangSwitch } from "../shared/ui/LangSwitch";
import { LoginForm } from "../shared/ui/LoginForm";
import { TotpSetup } from "../shared/staff/TotpSetup";
import { Alerts } from "./Alerts";
import { Audit } from "./Audit";
import { Dashboard } from "./Dashboard";
import { NoticesPage } from "./NoticesPage";
import { Overview } from "./Overview";
import { RepliesPage } from "./RepliesPage";
import { Transcripts } from "./Transcripts";

/** The pages of the supervisor site; the review pages are for supervisors only (the server says so too). */
export const PAGES = ["overview", "transcripts", "notices", "replies", "audit", "dashboard"] as const;
export type Page = (typeof PAGES)[number];

const NAV_KEYS: Record<Page, Key> = {
  overview: "nav.overview",
  transcripts: "nav.transcripts",
  notices: "nav.notices",
  replies: "nav.replies",
  audit: "nav.audit",
  dashboard: "nav.dashboard",
};

/** The page named by the URL's hash ("#transcripts"); the overview otherwise. */
export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, "");
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : "overview";
}

/**
 * Supervisor site: staffing and schedules (Översikt), transcript review (Samtal), the audit
 * log (Logg) and the dashboard (Statistik). Every transcript read states a reason.
 */
export function App({ api }: { api: StaffApi }) {
  const [lang, setLang] = useState<Lang>("sv");
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t("supervisor.pageTitle");
  }, [lang]);

  useEffect(() => {
    void api.me().then((ack) => setUser(ack.ok ? ack.user : null));
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {user === undefined ? (
        <p class="loading" role="status">
          {i18n.t("common.loading")}
        </p>
      ) : user === null ? (
        <LoginForm api={api} title={i18n.t("supervisor.loginTitle")} onLogin={setUser} />
      ) : user.totp_required && !user.totp_enabled ? (
        <TotpSetup
          api={api}
          required
          onDone={setUser}
          onCancel={async () => {
            await api.logout();
            setUser(null);
          }}
          cancelLabel={i18n.t("console.logout")}
        />
      ) : (
        <Shell
          api={api}
          user={user}
          setLang={setLang}
          onLogout={async () => {
            await api.logout();
            setUser(null);
          }}
        />
      )}
    </I18nContext.Provider>
  );
}

interface ShellProps {
  api: StaffApi;
  user: StaffUser;
  setLang: (lang: Lang) => void;
  onLogout: () => void;
}

function Shell({ api, user, setLang, onLogout }: ShellProps) {
  const { t } = useI18n();
  const reviewer = user.role === "supervisor";
  const pages: readonly Page[] = reviewer ? PAGES : ["overview"];
  const [page, setPage] = useState<Page>(() => pageFromHash(location.hash));
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  // After navigating, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [page]);

  const shown: Page = pages.includes(page) ? page : "overview";

  return (
    <div class="supervisor">
      <header class="console-header">
        <h1>{t("supervisor.title")}</h1>
        <p class="who">{user.display_name}</p>
        <LangSwitch onChange={setLang} />
        <button type="button" data-testid="logout" onClick={onLogout}>
          {t("console.logout")}
        </button>
      </header>
      {reviewer ? <Alerts /> : null}
      <nav class="supervisor-nav" aria-label={t("nav.label")}>
        <ul>
          {pages.map((p) => (
            <li key={p}>
              <a href={`#${p}`} data-testid={`nav-${p}`} aria-current={p === shown ? "page" : undefined}>
                {t(NAV_KEYS[p])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="supervisor-main" ref={main} tabIndex={-1} aria-label={t(NAV_KEYS[shown])}>
        {shown === "overview" ? <Overview api={api} user={user} /> : null}
        {shown === "transcripts" ? <Transcripts api={api} user={user} /> : null}
        {shown === "notices" ? <NoticesPage api={api} user={user} /> : null}
        {shown === "replies" ? <RepliesPage api={api} user={user} /> : null}
        {shown === "audit" ? <Audit api={api} user={user} /> : null}
        {shown === "dashboard" ? <Dashboard api={api} /> : null}
      </main>
    </div>
  );
}
