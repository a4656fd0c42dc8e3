import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, QualityReview } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatStamp } from "../shared/ui/when";

const CHECKS = ["answered_in_time", "right_handoff", "good_tone", "secrecy_kept"] as const;

/** The quality reviews supervisors wrote of this officer's chats (GET /api/my/reviews). */
export function MyReviews({ api }: { api: StaffApi }) {
  const { t, lang } = useI18n();
  const [reviews, setReviews] = useState<QualityReview[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async () => {
    const ack = await api.myReviews();
    if (ack.ok) {
      setReviews(ack.reviews ?? []);
      setError(null);
    } else {
      setError(ack.error);
    }
  };

  useEffect(() => {
    void load();
  }, []);

  return (
    <details
      class="my-reviews"
      data-testid="my-reviews"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary>{t("myReviews.title", { n: reviews?.length ?? 0 })}</summary>
      <ErrorAlert error={error} />
      {reviews && reviews.length === 0 ? <p class="hint">{t("myReviews.none")}</p> : null}
      <ul class="my-reviews-list">
        {(reviews ?? []).map((r) => (
          <li key={r.id}>
            <p class="review-meta">{formatStamp(r.created_at, lang)}</p>
            <ul class="review-checks">
              {CHECKS.map((name) => (
                <li key={name} class={r[name] ? "check-yes" : "check-no"}>
                  <span aria-hidden="true">{r[name] ? "✓" : "✗"}</span> {t(`review.${name}`)}: {r[name] ? t("common.yes") : t("common.no")}
                </li>
              ))}
            </ul>
            {r.notes ? <p class="review-notes">{r.notes}</p> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
