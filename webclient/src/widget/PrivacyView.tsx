import { useEffect, useRef, useState } from "preact/hooks";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import type { YouthClient } from "./controller";
import { TrustText } from "./TrustNote";
import { Welcome } from "./Welcome";

interface Props {
  client: YouthClient;
  /** The widget in a tab of its own (shown when the browser blocks storage in the iframe). */
  ownTabUrl: string | null;
  onNoTrace: (on: boolean) => void;
  onForget: () => void;
  onBack: () => void;
}

/** About the chat, "is this really the police?", and what this device keeps: no-trace, forget me. */
export function PrivacyView({ client, ownTabUrl, onNoTrace, onForget, onBack }: Props) {
  const t = useT();
  useObservable(client);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const mode = client.storageMode;
  const area = client.neighbourhood?.police_area;
  return (
    <div class="view privacy-view" data-testid="privacy">
      <div class="privacy-head">
        <h2 tabIndex={-1} ref={heading} id="privacy-title">
          {t("privacy.title")}
        </h2>
        <button type="button" class="link-button" data-testid="privacy-back" onClick={onBack}>
          {t("privacy.back")}
        </button>
      </div>

      <section aria-labelledby="privacy-device">
        <h3 id="privacy-device">{t("privacy.deviceTitle")}</h3>
        <p data-testid="storage-mode" data-mode={mode}>
          {mode === "device" ? t("privacy.device") : mode === "blocked" ? t("privacy.blocked") : t("privacy.notraceOn")}
        </p>
        {mode === "blocked" && ownTabUrl ? <OwnTabLink url={ownTabUrl} /> : null}
        <label class="switch">
          <input type="checkbox" data-testid="notrace" checked={mode === "notrace"} aria-describedby="notrace-hint" onChange={(e) => onNoTrace(e.currentTarget.checked)} />
          <span>{t("privacy.notrace")}</span>
        </label>
        <p id="notrace-hint" class="hint">
          {t("privacy.notraceHint")}
        </p>
        <p class="hint">{t("privacy.history")}</p>
        <p class="hint">{t("privacy.exitHint")}</p>
        <Forget onForget={onForget} />
      </section>

      <section aria-labelledby="privacy-trust">
        <h3 id="privacy-trust">{t("trust.summary")}</h3>
        <TrustText area={area} />
      </section>

      <section aria-labelledby="privacy-about">
        <h3 id="privacy-about">{t("privacy.aboutTitle")}</h3>
        <Welcome room={client.neighbourhood?.name ?? client.room} retention={client.retention} area={area} trust={false} />
      </section>
    </div>
  );
}

export function OwnTabLink({ url }: { url: string }) {
  const t = useT();
  return (
    <p>
      <a href={url} target="_blank" rel="noopener" data-testid="own-tab">
        {t("privacy.openOwnTab")}
        <span class="visually-hidden"> {t("card.newTab")}</span>
      </a>
    </p>
  );
}

/** Two steps, so that a stray tap does not end a chat. */
function Forget({ onForget }: { onForget: () => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="forget" data-testid="forget" onClick={() => setAsking(true)}>
        {t("privacy.forget")}
      </button>
    );
  }
  return (
    <div class="forget-confirm" role="group" aria-labelledby="forget-hint">
      <p id="forget-hint">{t("privacy.forgetHint")}</p>
      <div class="forget-buttons">
        <button
          type="button"
          class="danger"
          data-testid="forget-confirm"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            onForget();
          }}
        >
          {t("privacy.forgetConfirm")}
        </button>
        <button type="button" data-testid="forget-cancel" onClick={() => setAsking(false)}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}
