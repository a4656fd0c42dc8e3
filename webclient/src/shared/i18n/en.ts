/** English. Must have exactly the keys of sv.ts (checked by the type and by a unit test). */
import type { Catalog, LoaderKey } from "./sv";

export const enLoader: Record<LoaderKey, string> = {
  "loader.launcher": "Chat with the police",
  "loader.frameTitle": "Kvarter – chat with the police",
  "loader.unread": "{n} unread",
};

export const en: Catalog = {
  "common.loading": "Loading…",
  "common.dismiss": "Dismiss",
  "common.cancel": "Cancel",

  "lang.label": "Language",
  "lang.sv": "Svenska",
  "lang.en": "English",

  "conn.connecting": "Connecting…",
  "conn.reconnecting": "Reconnecting…",
  "conn.refused": "The connection was refused. Reload the page.",

  "widget.pageTitle": "Kvarter – chat with the police",
  "widget.title": "Kvarter",
  "widget.close": "Close the chat",
  "widget.noRoom": "No neighbourhood chosen. The page needs a link with ?room=…",

  "status.unknown": "Checking status…",
  "status.online": "Police online: {n}",
  "status.offline": "No police online right now – call 112 in an emergency, otherwise 114 14",

  "welcome.body":
    "Welcome to {room}! Here you can talk with the net-patrol police about what happens where you live – ask questions or tell us about something that feels unsafe.",
  "welcome.emergency": "This chat is not for emergencies. If someone is in danger now:",
  "welcome.call112": "call 112",
  "welcome.public": "What you write here is seen by everyone in the room. Never write your full name, personal identity number or address.",

  "nick.label": "You appear as",
  "nick.change": "Change name",
  "nick.inputLabel": "New nickname",
  "nick.save": "Save",
  "nick.hint": "{min}–{max} characters. Don't use your real name.",

  "tab.label": "Views",
  "tab.room": "The room",
  "tab.chat": "Private chat with the police",

  "room.logLabel": "Messages in {room}",
  "room.inputLabel": "Write to the room",
  "room.placeholder": "Write a message…",

  "chat.introTitle": "Private chat with the police",
  "chat.introBody": "Here you can chat one to one with a police officer. Only the officers on duty can see what you write.",
  "chat.introEmergency": "Is someone in danger right now? Call 112.",
  "chat.open": "Start a private chat",
  "chat.waiting": "Waiting for a police officer…",
  "chat.waitingHint": "You can already write what it is about; the officer reads it when they take the chat.",
  "chat.with": "You are chatting with {name}",
  "chat.closed": "The chat has ended.",
  "chat.new": "Start a new chat",
  "chat.end": "End the chat",
  "chat.typing": "{name} is typing…",
  "chat.logLabel": "Private chat",
  "chat.inputLabel": "Write in the private chat",
  "chat.placeholder": "Write to the police…",

  "message.sending": "Sending…",
  "message.failed": "Could not be sent: {reason}",
  "message.retry": "Try again",
  "message.discard": "Remove",
  "message.police": "Police",
  "message.badgeTitle": "Police badge: name · role · police area",

  "role.officer": "police officer",
  "role.supervisor": "supervisor",
  "role.admin": "administrator",

  "log.newMessages": "New messages ↓",

  "composer.send": "Send",
  "composer.counter": "{n}/{max} characters",

  "error.invalid": "Something in the request was wrong.",
  "error.too_long": "The message is too long (2,000 characters at most).",
  "error.unauthorized": "You are not logged in.",
  "error.forbidden": "You are not allowed to do this.",
  "error.not_found": "Not found.",
  "error.rate_limited": "You are sending too fast. Wait a moment and try again.",
  "error.blocked": "The message was stopped by moderation.",
  "error.closed": "Not possible right now – no officer is on duty here, or the chat has ended. In an emergency: call 112.",
  "error.conflict": "Another officer has already taken this chat.",
  "error.unavailable": "The service is temporarily unavailable. Try again in a moment.",
  "error.internal": "Something went wrong. Try again.",
  "error.timeout": "No answer from the server.",
  "error.disconnected": "Not connected right now.",
  "error.network": "Network error. Check your connection.",

  "error.nickname_blocked": "That name can't be used – it could be mistaken for police or staff. Choose another.",
  "error.nickname_invalid": "The nickname must be 2–32 characters without invisible characters.",

  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.busy": "Logging in…",
  "login.failed": "Wrong username or password.",

  "console.pageTitle": "Kvarter – patrol console",
  "console.title": "Kvarter patrol console",
  "console.loginTitle": "Log in to the patrol console",
  "console.logout": "Log out",

  "duty.title": "Duty",
  "duty.rooms": "Neighbourhoods",
  "duty.start": "Go on duty",
  "duty.update": "Change neighbourhoods",
  "duty.end": "Go off duty",
  "duty.on": "On duty",
  "duty.off": "Off duty",

  "rooms.title": "Rooms",
  "rooms.none": "Go on duty to see the rooms.",
  "rooms.empty": "No messages yet.",
  "rooms.inputLabel": "Write in {room}",
  "rooms.placeholder": "Write as police in the room…",

  "inbox.title": "Private chats",
  "inbox.empty": "No chats right now.",
  "inbox.anonymous": "Anonymous",
  "inbox.unread": "New",
  "inbox.status.waiting": "waiting",
  "inbox.status.active": "active",
  "inbox.status.closed": "closed",

  "chat.panelTitle": "Chat",
  "chat.panelWith": "Chat with {name}",
  "chat.pick": "Pick a chat in the list.",
  "chat.staffWaiting": "Waiting for an officer to take the chat.",
  "chat.takenByOther": "Another officer has this chat.",
  "chat.take": "Take chat",
  "chat.close": "Close chat",
  "chat.staffPlaceholder": "Reply…",

  "supervisor.pageTitle": "Kvarter – supervision",
  "supervisor.title": "Kvarter supervision",
  "supervisor.loginTitle": "Log in as supervisor",
  "supervisor.notSupervisor": "This page is meant for supervisors.",
  "supervisor.staffing": "Staffing now",
  "supervisor.summary": "Officers on duty in total: {n}. Updated {time}, refreshed every 15 seconds.",
  "supervisor.col.name": "Neighbourhood",
  "supervisor.col.area": "Police area",
  "supervisor.col.region": "Region",
  "supervisor.col.open": "Status",
  "supervisor.col.officers": "Officers on duty",
  "supervisor.open": "Open",
  "supervisor.closed": "Closed",
  "supervisor.laterTitle": "Transcript review",
  "supervisor.later": "Transcript review, statistics and schedules come in a later version. This page shows staffing only.",
};
