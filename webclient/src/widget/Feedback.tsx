import type { YouthClient } from "./controller";
import { ErrorAlert } from "../shared/ui/Alert";
import { useT } from "../shared/ui/i18n";
import { FEEDBACK_SCORES } from "./moderation";

/**
 * "Känner du dig tryggare nu?" 1–5 after a private chat has closed: optional, asked once per
 * conversation, and reported only in aggregate.
 */
export function Feedback({ client }: { client: YouthClient }) {
  const t = useT();
  const feedback = client.feedback;
  if (!feedback || feedback.conversationId !== client.conversation?.id) return null;
  if (feedback.status === "thanks") {
    return (
      <p class="feedback feedback-thanks" role="status" data-testid="feedback-thanks">
        {t("feedback.thanks")}
      </p>
    );
  }
  const sending = feedback.status === "sending";
  return (
    <div class="feedback" role="group" aria-labelledby="feedback-question" aria-describedby="feedback-scale" data-testid="feedback">
      <p id="feedback-question" class="feedback-question">
        {t("feedback.question")}
      </p>
      <p id="feedback-scale" class="hint">
        {t("feedback.scale")}
      </p>
      <div class="feedback-scores">
        {FEEDBACK_SCORES.map((score) => (
          <button
            type="button"
            key={score}
            data-testid={`feedback-${score}`}
            aria-label={t("feedback.scoreLabel", { n: score })}
            disabled={sending}
            onClick={() => void client.submitFeedback(score)}
          >
            {score}
          </button>
        ))}
      </div>
      <ErrorAlert error={feedback.error ?? null} />
      <button type="button" class="link-button" data-testid="feedback-skip" disabled={sending} onClick={() => client.skipFeedback()}>
        {t("feedback.skip")}
      </button>
    </div>
  );
}
