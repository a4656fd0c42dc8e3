/**
 * Swedish, the default language. Every user-facing string of the web client lives here and
 * in en.ts; a unit test fails when the key sets differ or a string is empty.
 */

/** The few strings the embed loader needs, apart so that its bundle holds nothing else. */
export const svLoader = {
  "loader.launcher": "Chatta med polisen",
  "loader.frameTitle": "Kvarter – chatta med polisen",
  "loader.unread": "{n} olästa",
} as const;

/** Strings of the apps (widget, console, supervisor). */
export const sv = {
  "common.loading": "Laddar…",
  "common.dismiss": "Stäng",
  "common.cancel": "Avbryt",

  "lang.label": "Språk",
  "lang.sv": "Svenska",
  "lang.en": "English",

  "conn.connecting": "Ansluter…",
  "conn.reconnecting": "Återansluter…",
  "conn.refused": "Anslutningen nekades. Ladda om sidan.",

  "widget.pageTitle": "Kvarter – chatta med polisen",
  "widget.title": "Kvarter",
  "widget.close": "Stäng chatten",
  "widget.noRoom": "Ingen stadsdel vald. Sidan behöver en länk med ?room=…",

  "status.unknown": "Hämtar status…",
  "status.online": "Poliser online: {n}",
  "status.offline": "Ingen polis online just nu – ring 112 vid nödläge, 114 14 annars",

  "welcome.body":
    "Välkommen till {room}! Här kan du prata med nätpolisen om det som händer där du bor – ställ frågor eller berätta om något som känns otryggt.",
  "welcome.emergency": "Chatten är inte till för nödsituationer. Är någon i fara nu:",
  "welcome.call112": "ring 112",
  "welcome.public": "Det du skriver här syns för alla i rummet. Skriv aldrig ditt fullständiga namn, personnummer eller adress.",

  "nick.label": "Du syns som",
  "nick.change": "Byt namn",
  "nick.inputLabel": "Nytt smeknamn",
  "nick.save": "Spara",
  "nick.hint": "{min}–{max} tecken. Använd inte ditt riktiga namn.",

  "tab.label": "Vyer",
  "tab.room": "Rummet",
  "tab.chat": "Privat chatt med polisen",

  "room.logLabel": "Meddelanden i {room}",
  "room.inputLabel": "Skriv till rummet",
  "room.placeholder": "Skriv ett meddelande…",

  "chat.introTitle": "Privat chatt med polisen",
  "chat.introBody": "Här kan du chatta enskilt med en polis. Bara poliserna i tjänst kan se det du skriver.",
  "chat.introEmergency": "Är någon i fara just nu? Ring 112.",
  "chat.open": "Starta privat chatt",
  "chat.waiting": "Väntar på en polis…",
  "chat.waitingHint": "Du kan redan nu skriva vad det gäller, så läser polisen det när chatten tas.",
  "chat.with": "Du chattar med {name}",
  "chat.closed": "Chatten är avslutad.",
  "chat.new": "Starta en ny chatt",
  "chat.end": "Avsluta chatten",
  "chat.typing": "{name} skriver…",
  "chat.logLabel": "Privat chatt",
  "chat.inputLabel": "Skriv i den privata chatten",
  "chat.placeholder": "Skriv till polisen…",

  "message.sending": "Skickar…",
  "message.failed": "Kunde inte skickas: {reason}",
  "message.retry": "Försök igen",
  "message.discard": "Ta bort",
  "message.police": "Polisen",
  "message.badgeTitle": "Polisens tjänstebricka: namn · roll · polisområde",

  "role.officer": "polis",
  "role.supervisor": "arbetsledare",
  "role.admin": "administratör",

  "log.newMessages": "Nya meddelanden ↓",

  "composer.send": "Skicka",
  "composer.counter": "{n}/{max} tecken",

  "error.invalid": "Något i förfrågan var fel.",
  "error.too_long": "Meddelandet är för långt (högst 2 000 tecken).",
  "error.unauthorized": "Du är inte inloggad.",
  "error.forbidden": "Det här får du inte göra.",
  "error.not_found": "Hittades inte.",
  "error.rate_limited": "Du skickar för snabbt. Vänta en stund och försök igen.",
  "error.blocked": "Meddelandet stoppades av moderering.",
  "error.closed": "Det går inte just nu – ingen polis är i tjänst här, eller så är chatten avslutad. Vid nödläge: ring 112.",
  "error.conflict": "En annan polis har redan tagit den här chatten.",
  "error.unavailable": "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
  "error.internal": "Något gick fel. Försök igen.",
  "error.timeout": "Inget svar från servern.",
  "error.disconnected": "Ingen anslutning just nu.",
  "error.network": "Nätverksfel. Kontrollera anslutningen.",

  "error.nickname_blocked": "Det namnet går inte att använda – det kan förväxlas med polis eller personal. Välj ett annat.",
  "error.nickname_invalid": "Smeknamnet måste vara 2–32 tecken utan osynliga tecken.",

  "login.username": "Användarnamn",
  "login.password": "Lösenord",
  "login.submit": "Logga in",
  "login.busy": "Loggar in…",
  "login.failed": "Fel användarnamn eller lösenord.",

  "console.pageTitle": "Kvarter – patrullkonsol",
  "console.title": "Kvarter patrullkonsol",
  "console.loginTitle": "Logga in på patrullkonsolen",
  "console.logout": "Logga ut",

  "duty.title": "Tjänstgöring",
  "duty.rooms": "Stadsdelar",
  "duty.start": "Gå i tjänst",
  "duty.update": "Byt stadsdelar",
  "duty.end": "Gå ur tjänst",
  "duty.on": "I tjänst",
  "duty.off": "Ej i tjänst",

  "rooms.title": "Rum",
  "rooms.none": "Gå i tjänst för att se rummen.",
  "rooms.empty": "Inga meddelanden ännu.",
  "rooms.inputLabel": "Skriv i {room}",
  "rooms.placeholder": "Skriv som polis i rummet…",

  "inbox.title": "Privata chattar",
  "inbox.empty": "Inga chattar just nu.",
  "inbox.anonymous": "Anonym",
  "inbox.unread": "Nytt",
  "inbox.status.waiting": "väntar",
  "inbox.status.active": "pågår",
  "inbox.status.closed": "avslutad",

  "chat.panelTitle": "Chatt",
  "chat.panelWith": "Chatt med {name}",
  "chat.pick": "Välj en chatt i listan.",
  "chat.staffWaiting": "Väntar på att en polis tar chatten.",
  "chat.takenByOther": "En annan polis har den här chatten.",
  "chat.take": "Ta chatten",
  "chat.close": "Avsluta",
  "chat.staffPlaceholder": "Svara…",

  "supervisor.pageTitle": "Kvarter – arbetsledning",
  "supervisor.title": "Kvarter arbetsledning",
  "supervisor.loginTitle": "Logga in som arbetsledare",
  "supervisor.notSupervisor": "Den här sidan är till för arbetsledare.",
  "supervisor.staffing": "Bemanning just nu",
  "supervisor.summary": "Poliser i tjänst totalt: {n}. Uppdaterad {time}, uppdateras var 15:e sekund.",
  "supervisor.col.name": "Stadsdel",
  "supervisor.col.area": "Polisområde",
  "supervisor.col.region": "Region",
  "supervisor.col.open": "Status",
  "supervisor.col.officers": "Poliser i tjänst",
  "supervisor.open": "Öppen",
  "supervisor.closed": "Stängd",
  "supervisor.laterTitle": "Granskning av samtal",
  "supervisor.later": "Granskning av samtal, statistik och scheman kommer i en senare version. Den här sidan visar bara bemanningen.",
} as const;

export type AppKey = keyof typeof sv;
export type LoaderKey = keyof typeof svLoader;
export type MessageKey = AppKey | LoaderKey;
export type Catalog = Record<AppKey, string>;
