import { useT } from "../shared/ui/i18n";

const POLISEN = "https://polisen.se/";

/** "Is this really the police?": how to tell, and how to check on polisen.se or 114 14. */
export function TrustNote({ area, open = false }: { area?: string | null | undefined; open?: boolean }) {
  const t = useT();
  return (
    <details class="trust" data-testid="trust" open={open}>
      <summary>{t("trust.summary")}</summary>
      <TrustText area={area} />
    </details>
  );
}

export function TrustText({ area }: { area?: string | null | undefined }) {
  const t = useT();
  return (
    <div class="trust-text">
      <p>{t("trust.badge")}</p>
      <p>{t("trust.never")}</p>
      <p>{area ? t("trust.verify", { area }) : t("trust.verifyNoArea")}</p>
      <p>
        <a href={POLISEN} target="_blank" rel="noopener noreferrer">
          {t("trust.link")}
          <span class="visually-hidden"> {t("card.newTab")}</span>
        </a>
      </p>
    </div>
  );
}
