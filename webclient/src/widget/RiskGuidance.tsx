import type { GuidancePlace, YouthClient } from "./controller";
import { GuidanceCard } from "../shared/ui/GuidanceCard";
import { useT } from "../shared/ui/i18n";

/**
 * The cards an ack carried when what the young person wrote sounded like danger: at once, where
 * it was written, the 112 card first, until dismissed. Whether or not an officer holds the chat.
 */
export function RiskGuidance({ client, where }: { client: YouthClient; where: GuidancePlace }) {
  const t = useT();
  const shown = client.riskGuidance;
  if (!shown || shown.where !== where) return null;
  return (
    <section class="guidance risk-guidance" role="alert" data-testid={`risk-guidance-${where}`}>
      <p class="risk-guidance-title">{where === "report" ? t("report.guidanceTitle") : t("guidance.afterMessage")}</p>
      <ul class="cards">
        {shown.cards.map((card) => (
          <li key={card.kind}>
            <GuidanceCard card={card} testId={`risk-card-${card.kind}`} />
          </li>
        ))}
      </ul>
      <button type="button" class="link-button" data-testid="risk-guidance-dismiss" onClick={() => client.dismissGuidance()}>
        {t("common.dismiss")}
      </button>
    </section>
  );
}
