import { useState } from "preact/hooks";
import type { StaffApi } from "../http/api";
import type { ApiError, StaffUser } from "../protocol/types";
import { ErrorAlert } from "./Alert";
import { useT } from "../staff/i18n";
import { useTotpT } from "../staff/totpText";

interface Props {
  api: StaffApi;
  title: string;
  onLogin: (user: StaffUser) => void;
}

/** Username, password and (when the account has two-factor login) a code; the session
 * cookie is set by the server on success. */
export function LoginForm({ api, title, onLogin }: Props) {
  const t = useT();
  const tt = useTotpT();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const ack = await api.login(username.trim(), password, totp.trim() || undefined);
    setBusy(false);
    setTotp("");
    if (ack.ok) {
      setPassword("");
      onLogin(ack.user);
    } else if (ack.error.code === "unauthorized") {
      const second = ack.error.details?.totp;
      const message =
        second === "required" ? tt("login.totpNeeded") : second === "invalid" ? tt("login.totpWrong") : t("login.failed");
      setError({ code: "login_failed", message });
    } else {
      setError(ack.error);
    }
  };

  return (
    <main class="login">
      <form class="login-form" onSubmit={submit}>
        <h1>{title}</h1>
        <label>
          <span>{t("login.username")}</span>
          <input
            data-testid="login-username"
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{t("login.password")}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{tt("login.totp")}</span>
          <input
            data-testid="login-totp"
            name="totp"
            autocomplete="one-time-code"
            maxLength={16}
            value={totp}
            onInput={(e) => setTotp(e.currentTarget.value)}
          />
        </label>
        <ErrorAlert error={error} />
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
