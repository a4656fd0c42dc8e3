/**
 * Quick exit: where the widget goes when it is not embedded (the loader takes the host page's
 * `data-exit-url`, https only). Not taken from the widget's own address: a link could then
 * send people anywhere from the police's domain.
 */
export const EXIT_URL = "https://www.google.com/";
