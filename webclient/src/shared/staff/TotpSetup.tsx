import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../http/api";
import type { ApiError, StaffUser, TotpSetup as Setup } from "../protocol/types";
import { ErrorAlert } from "../ui/Alert";
import { useTotpT } from "./totpText";

interface Props {
  api: StaffApi;
  /** Supervisors and admins must enrol before anything else; officers may. */
  required: boolean;
  onDone: (user: StaffUser) => void;
  onCancel?: () => void;
  /** The cancel button's text ("Later", or "Log out" when enrolment is required). */
  cancelLabel?: string;
}

/** The key in groups of four, easier to type into an app. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * Two-factor enrolment: the server makes a secret (shown here once, as a key and an otpauth://
 * link), a code from the app confirms it, and the ten recovery codes are shown once.
 */
export function TotpSetup({ api, required, onDone, onCancel, cancelLabel }: Props) {
  const t = useTotpT();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ user: StaffUser; codes: string[] } | null>(null);
  /** The server asks for the password again (the login was not a moment ago). */
  const [askPassword, setAskPassword] = useState(false);
  const [password, setPassword] = useState("");

  const start = async (again?: string) => {
    const ack = await api.totpSetup(again);
    if (ack.ok) {
      setAskPassword(false);
      setSetup(ack);
    } else if (ack.error.details?.["password"] === "required") {
      setAskPassword(true);
    } else {
      setError(ack.error);
    }
  };

  useEffect(() => {
    void start();
  }, []);

  if (askPassword) {
    return (
      <main class="login">
        <form
          class="login-form"
          aria-labelledby="totp-password-title"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            void start(password).then(() => setPassword(""));
          }}
        >
          <h1 id="totp-password-title">{t("totp.title")}</h1>
          <p>{t("totp.passwordAgain")}</p>
          <label for="totp-password">{t("totp.password")}</label>
          <input id="totp-password" data-testid="totp-password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <ErrorAlert error={error} />
          <button type="submit" class="primary" data-testid="totp-password-submit" disabled={!password}>
            {t("totp.continue")}
          </button>
          {onCancel ? (
            <button type="button" class="link-button" onClick={onCancel}>
              {cancelLabel ?? t("totp.later")}
            </button>
          ) : null}
        </form>
      </main>
    );
  }

  const confirm = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const ack = await api.totpConfirm(code.trim());
    setBusy(false);
    setCode("");
    if (ack.ok) setDone({ user: ack.user, codes: ack.recovery_codes });
    else setError(ack.error.code === "invalid" ? { code: "totp_wrong", message: t("totp.wrong") } : ack.error);
  };

  if (done) {
    return (
      <main class="login">
        <section class="login-form" aria-labelledby="totp-codes-title">
          <h1 id="totp-codes-title">{t("totp.codesTitle")}</h1>
          <p>{t("totp.codes")}</p>
          <ul class="recovery-codes" data-testid="recovery-codes">
            {done.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button type="button" class="primary" data-testid="totp-done" onClick={() => onDone(done.user)}>
            {t("totp.done")}
          </button>
        </section>
      </main>
    );
  }

  return (
    <main class="login">
      <form class="login-form" onSubmit={confirm}>
        <h1>{t("totp.title")}</h1>
        {required ? <p>{t("totp.required")}</p> : null}
        {setup ? (
          <>
            <p>{t("totp.step1")}</p>
            <p>
              {t("totp.key")}: <code data-testid="totp-secret">{grouped(setup.secret)}</code>
            </p>
            <p>
              <a href={setup.uri}>{t("totp.link")}</a>
            </p>
            <label>
              <span>{t("totp.step2")}</span>
              <input
                data-testid="totp-code"
                name="code"
                autocomplete="one-time-code"
                inputMode="numeric"
                maxLength={8}
                required
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
            </label>
          </>
        ) : null}
        <ErrorAlert error={error} />
        <button type="submit" class="primary" data-testid="totp-confirm" disabled={busy || !setup}>
          {t("totp.confirm")}
        </button>
        {onCancel ? (
          <button type="button" class="link-button" data-testid="totp-cancel" onClick={onCancel}>
            {cancelLabel ?? t("totp.later")}
          </button>
        ) : null}
      </form>
    </main>
  );
}
