import { useEffect, useMemo, useState } from "preact/hooks";
import { translator, type Lang } from "../shared/i18n";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Neighbourhood, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { I18nContext, useI18n } from "../shared/ui/i18n";
import { LangSwitch } from "../shared/ui/LangSwitch";
import { LoginForm } from "../shared/ui/LoginForm";
import { formatTime } from "../shared/ui/time";

const REFRESH_MS = 15_000;

/** Supervisor overview: live staffing per neighbourhood. Transcript review comes later. */
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
      ) : (
        <Overview
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

interface OverviewProps {
  api: StaffApi;
  user: StaffUser;
  setLang: (lang: Lang) => void;
  onLogout: () => void;
}

function Overview({ api, user, setLang, onLogout }: OverviewProps) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Neighbourhood[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [updated, setUpdated] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const ack = await api.neighbourhoods();
      if (stopped) return;
      if (ack.ok) {
        setList(ack.neighbourhoods);
        setError(null);
        setUpdated(new Date().toISOString());
      } else {
        setError(ack.error);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const onDuty = (list ?? []).reduce((sum, n) => sum + (n.availability?.officers_on_duty ?? 0), 0);

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
      <main class="supervisor-main">
        {user.role !== "supervisor" && user.role !== "admin" ? <p class="notice">{t("supervisor.notSupervisor")}</p> : null}
        <ErrorAlert error={error} />
        <section aria-labelledby="staffing-title">
          <h2 id="staffing-title">{t("supervisor.staffing")}</h2>
          <p class="hint" role="status">
            {list === null
              ? t("common.loading")
              : t("supervisor.summary", { n: onDuty, time: formatTime(updated, lang) })}
          </p>
          <table class="staffing" data-testid="neighbourhoods">
            <thead>
              <tr>
                <th scope="col">{t("supervisor.col.name")}</th>
                <th scope="col">{t("supervisor.col.area")}</th>
                <th scope="col">{t("supervisor.col.region")}</th>
                <th scope="col">{t("supervisor.col.open")}</th>
                <th scope="col">{t("supervisor.col.officers")}</th>
              </tr>
            </thead>
            <tbody>
              {(list ?? []).map((n) => (
                <tr key={n.slug} data-testid={`neighbourhood-${n.slug}`}>
                  <th scope="row">{n.name}</th>
                  <td>{n.police_area}</td>
                  <td>{n.region}</td>
                  <td>{n.availability?.open ? t("supervisor.open") : t("supervisor.closed")}</td>
                  <td>{n.availability?.officers_on_duty ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="later-title" class="later">
          <h2 id="later-title">{t("supervisor.laterTitle")}</h2>
          <p>{t("supervisor.later")}</p>
        </section>
      </main>
    </div>
  );
}
