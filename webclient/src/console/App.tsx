import { useEffect, useMemo, useState } from "preact/hooks";
import { pickLang, type Lang } from "../shared/i18n";
import type { StaffApi } from "../shared/http/api";
import type { StaffUser } from "../shared/protocol/types";
import { translator } from "../shared/staff/i18n";
import { I18nContext } from "../shared/ui/i18n";
import { LoginForm } from "../shared/ui/LoginForm";
import { TotpSetup } from "../shared/staff/TotpSetup";
import { totpTranslator } from "../shared/staff/totpText";
import { Console } from "./Console";

const LANG_KEY = "kvarter.console.lang";

function storedLang(): Lang {
  try {
    return pickLang(localStorage.getItem(LANG_KEY));
  } catch {
    return "sv";
  }
}

/** Login gate: asks the server who we are, shows the login form or the console. */
export function App({ api }: { api: StaffApi }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  // Two-factor login: required for supervisors and admins, offered (and nagged) to officers.
  const [enrolling, setEnrolling] = useState(false);
  const [nagHidden, setNagHidden] = useState(false);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const tt = totpTranslator(lang);

  const setLang = (next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      // Not kept; the default applies next time.
    }
  };

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t("console.pageTitle");
  }, [lang]);

  useEffect(() => {
    void api.me().then((ack) => setUser(ack.ok ? ack.user : null));
  }, []);

  const logout = async () => {
    await api.logout();
    setUser(null);
  };

  return (
    <I18nContext.Provider value={i18n}>
      {user === undefined ? (
        <p class="loading" role="status">
          {i18n.t("common.loading")}
        </p>
      ) : user === null ? (
        <LoginForm api={api} title={i18n.t("console.loginTitle")} onLogin={setUser} />
      ) : user.totp_required && !user.totp_enabled ? (
        <TotpSetup api={api} required onDone={setUser} onCancel={logout} cancelLabel={i18n.t("console.logout")} />
      ) : enrolling ? (
        <TotpSetup
          api={api}
          required={false}
          onDone={(u) => {
            setUser(u);
            setEnrolling(false);
          }}
          onCancel={() => setEnrolling(false)}
        />
      ) : (
        <>
          {!user.totp_enabled && !nagHidden ? (
            <div class="banner totp-nag" role="status" data-testid="totp-nag">
              {tt("totp.nag")}{" "}
              <button type="button" class="link-button" onClick={() => setEnrolling(true)}>
                {tt("totp.nagAction")}
              </button>{" "}
              <button type="button" class="link-button" onClick={() => setNagHidden(true)}>
                {tt("totp.later")}
              </button>
            </div>
          ) : null}
          <Console api={api} user={user} onLogout={logout} onRefused={() => setUser(null)} setLang={setLang} />
        </>
      )}
    </I18nContext.Provider>
  );
}
