import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { StaffUser } from "../shared/protocol/types";
import { useT } from "../shared/staff/i18n";

type Props = { api: StaffApi; user: StaffUser };

/**
 * The notice review, loaded when first opened: it is the only supervisor page with a socket,
 * so the other pages do not download socket.io.
 */
export function NoticesPage(props: Props) {
  const t = useT();
  const [Review, setReview] = useState<ComponentType<Props> | null>(null);
  useEffect(() => {
    void import("./NoticeReview").then((m) => setReview(() => m.NoticeReview));
  }, []);
  return Review ? (
    <Review {...props} />
  ) : (
    <p class="loading" role="status">
      {t("common.loading")}
    </p>
  );
}
