import type { Retention } from "../shared/protocol/types";
import { useT } from "../shared/ui/i18n";
import { keptText } from "./retention";
import { TrustNote } from "./TrustNote";

interface Props {
  room: string;
  /** The deployment's retention periods (null until the server has said them). */
  retention: Retention | null;
  area?: string | null | undefined;
  /** The public room: also say that everyone there reads along. */
  publicRoom?: boolean;
  /** "Is this really the police?" below (not where the explainer is shown already). */
  trust?: boolean;
}

/** What the chat is for, not for emergencies (112), that police may have to act, how long chats are kept. */
export function Welcome({ room, retention, area, publicRoom = false, trust = true }: Props) {
  const t = useT();
  const kept = keptText(t, retention);
  return (
    <div class="welcome" data-testid="welcome">
      <p>{t("welcome.body", { room })}</p>
      <p class="welcome-emergency">
        {t("welcome.emergency")} <a href="tel:112">{t("welcome.call112")}</a>
      </p>
      <p>{t("welcome.act")}</p>
      {kept ? <p data-testid="welcome-kept">{kept}</p> : null}
      {publicRoom ? <p class="hint">{t("welcome.public")}</p> : null}
      {trust ? <TrustNote area={area} /> : null}
    </div>
  );
}
