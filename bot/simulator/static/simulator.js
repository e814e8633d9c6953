// Ruamkan chat simulator: renders what the bot sent through the stand-in LINE API and sends
// signed webhook events (via /simulator/api/event) the way the LINE app would.
"use strict";

const API = location.pathname.replace(/\/$/, "") + "/api";
const USERS_KEY = "ruamkan-simulator-users";
const VIA_LABEL = { reply: "ตอบกลับ", push: "แจ้งเตือน (push)", multicast: "multicast", broadcast: "ประกาศ (broadcast)",
  narrowcast: "narrowcast" };
const SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };
const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const ICON_SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };

const $ = (id) => document.getElementById(id);
const state = { users: [], current: null, lastSeq: 0, items: [], polling: false, menuId: null };

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function px(value, scale) {
  if (value === undefined || value === null) return null;
  if (scale && value in scale) return scale[value] + "px";
  return /^\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : null;
}

function randomHex(n) {
  const bytes = new Uint8Array(n / 2);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function setStatus(text, isError) {
  const node = $("status");
  node.textContent = text || "";
  node.classList.toggle("error", Boolean(isError));
}

// ---------------------------------------------------------------- users
function loadUsers() {
  try { state.users = JSON.parse(localStorage.getItem(USERS_KEY)) || []; } catch (e) { state.users = []; }
  if (!state.users.length) state.users.push(makeUser("ผู้ใช้ทดลอง 1", "resident"));
  saveUsers();
}
function saveUsers() { localStorage.setItem(USERS_KEY, JSON.stringify(state.users)); }
function makeUser(name, role) { return { id: "U" + randomHex(32), name, role, group: "" }; }

function renderUserSelect() {
  const sel = $("user-select");
  sel.replaceChildren();
  state.users.forEach((u, i) => {
    const opt = el("option", null, `${u.name} · ${u.role}`);
    opt.value = String(i);
    if (u === state.current) opt.selected = true;
    sel.append(opt);
  });
}

function selectUser(user) {
  state.current = user;
  $("user-id").value = user.id;
  $("display-name").value = user.name;
  $("role").value = user.role;
  $("group-id").value = user.group || "";
  $("chat-with").textContent = user.name + (user.group ? " · กลุ่ม" : "");
  state.lastSeq = 0;
  state.items = [];
  $("chat").replaceChildren();
  $("quick").replaceChildren();
  renderUserSelect();
  poll(true);
  loadRichMenu();
}

function readForm() {
  const u = state.current;
  u.id = $("user-id").value.trim() || u.id;
  u.name = $("display-name").value.trim() || u.name;
  u.role = $("role").value;
  u.group = $("group-id").value.trim();
  saveUsers();
}

async function saveRole() {
  readForm();
  renderUserSelect();
  const r = await fetch(API + "/role", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user_id: state.current.id, role: state.current.role, display_name: state.current.name }) });
  const data = await r.json().catch(() => ({}));
  setStatus(r.ok ? `บันทึกบทบาท ${data.role} แล้วค่ะ` : (data.error || `ตั้งบทบาทไม่สำเร็จ (${r.status})`), !r.ok);
  if (r.ok) loadRichMenu();  // the role's own menu (it kept showing the one loaded before)
}

// ---------------------------------------------------------------- sending events
async function sendEvent(payload) {
  if (!state.current) return;
  readForm();
  const u = state.current;
  const body = Object.assign({ user_id: u.id, display_name: u.name, group_id: u.group || undefined }, payload);
  setStatus("กำลังส่ง…");
  try {
    const r = await fetch(API + "/event", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    const data = await r.json().catch(() => ({}));
    if (!r.ok || data.status !== 200) {
      setStatus(data.error || `/callback ตอบ ${data.status || r.status}: ${data.response || ""}`, true);
    } else {
      setStatus(`ส่ง ${payload.kind} แล้ว (/callback ตอบ 200)`);
    }
  } catch (e) {
    setStatus("ส่งไม่สำเร็จ: " + e, true);
  }
  poll();
}

function pickDateTime(action) {
  const dialog = $("picker");
  const input = $("picker-input");
  const type = { date: "date", time: "time", datetime: "datetime-local" }[action.mode] || "datetime-local";
  input.type = type;
  input.value = action.initial ? action.initial.replace("t", "T") : "";
  input.min = action.min ? action.min.replace("t", "T") : "";
  input.max = action.max ? action.max.replace("t", "T") : "";
  $("picker-label").textContent = action.label || "เลือกวันเวลา";
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue !== "ok" || !input.value) return;
    const key = action.mode === "date" ? "date" : action.mode === "time" ? "time" : "datetime";
    sendEvent({ kind: "postback", data: action.data, params: { [key]: input.value } });
  };
  dialog.showModal();
}

function performAction(action) {
  if (!action) return;
  switch (action.type) {
    case "message": return sendEvent({ kind: "text", text: action.text });
    case "postback":
      return sendEvent({ kind: "postback", data: action.data, display_text: action.displayText || action.text });
    case "datetimepicker": return pickDateTime(action);
    case "uri":
      if (/^https?:/.test(action.uri)) window.open(action.uri, "_blank", "noopener");
      else setStatus("ลิงก์: " + action.uri);
      return;
    case "richmenuswitch":
      return sendEvent({ kind: "postback", data: action.data,
        params: { newRichMenuAliasId: action.richMenuAliasId, status: "SUCCESS" } }).then(loadRichMenu);
    case "camera": case "cameraRoll": return sendEvent({ kind: "image" });
    case "location": return sendLocation();
    case "clipboard":
      navigator.clipboard && navigator.clipboard.writeText(action.clipboardText);
      return setStatus("คัดลอกแล้ว: " + action.clipboardText);
    default: setStatus("ยังไม่รองรับ action " + action.type, true);
  }
}

function sendLocation() {
  return sendEvent({ kind: "location", latitude: parseFloat($("lat").value), longitude: parseFloat($("lng").value),
    title: "ตำแหน่งของฉัน", address: `${$("lat").value}, ${$("lng").value}` });
}

function clickable(node, action) {
  if (!action) return node;
  node.classList.add("fx-clickable");
  node.addEventListener("click", (e) => { e.stopPropagation(); performAction(action); });
  return node;
}

// ---------------------------------------------------------------- rendering: basic messages
function imagePlaceholder(url, ratio, label) {
  const box = el("div", "placeholder-img", label || ("🖼 " + String(url || "").split("/").pop()));
  box.title = url || "";
  if (ratio) {
    const [w, h] = String(ratio).split(":").map(Number);
    if (w && h) box.style.aspectRatio = `${w} / ${h}`;
  }
  return box;
}

function renderMessage(m) {
  switch (m.type) {
    case "text": case "textV2": return el("div", "bubble", m.text);
    case "sticker": {
      const s = el("div", "bubble sticker", "🐻");
      s.append(el("small", null, `สติกเกอร์ ${m.packageId}/${m.stickerId}`));
      return s;
    }
    case "image": {
      const b = el("div", "bubble");
      b.style.padding = "0"; b.style.width = "200px";
      b.append(imagePlaceholder(m.previewImageUrl || m.originalContentUrl, "4:3"));
      return b;
    }
    case "video": case "audio": {
      const b = el("div", "bubble", (m.type === "video" ? "🎬 วิดีโอ " : "🎵 เสียง ") + (m.originalContentUrl || ""));
      return b;
    }
    case "location": return locationCard(m);
    case "template": return renderTemplate(m.template);
    case "flex": return renderFlexContainer(m.contents);
    case "imagemap": {
      const b = el("div", "bubble"); b.style.padding = "0"; b.style.width = "240px";
      b.append(imagePlaceholder(m.baseUrl, "1:1", "imagemap: " + (m.altText || "")));
      return b;
    }
    default: return el("div", "bubble", `[${m.type}] ${m.altText || ""}`);
  }
}

function locationCard(m) {
  const card = el("div", "location-card");
  card.append(el("div", "map", "📍"));
  const info = el("div", "info");
  info.append(el("div", null, m.title || "ตำแหน่ง"));
  info.append(el("div", null, m.address || ""));
  info.append(el("small", null, `${m.latitude}, ${m.longitude}`));
  card.append(info);
  return card;
}

function renderTemplate(t) {
  if (!t) return el("div", "bubble", "[template]");
  if (t.type === "confirm") {
    const card = el("div", "tpl");
    card.append(el("div", "tpl-text", t.text));
    const row = el("div", "tpl-actions confirm");
    (t.actions || []).forEach((a) => row.append(clickable(el("button", null, a.label), a)));
    card.append(row);
    return card;
  }
  if (t.type === "buttons") return templateColumn(t);
  if (t.type === "carousel") {
    const wrap = el("div", "carousel");
    (t.columns || []).forEach((c) => wrap.append(templateColumn(c)));
    return wrap;
  }
  if (t.type === "image_carousel") {
    const wrap = el("div", "carousel");
    (t.columns || []).forEach((c) => {
      const tile = el("div", "tpl");
      tile.style.width = "160px";
      tile.append(imagePlaceholder(c.imageUrl, "1:1", (c.action && c.action.label) || "รูป"));
      wrap.append(clickable(tile, c.action));
    });
    return wrap;
  }
  return el("div", "bubble", `[template ${t.type}]`);
}

function templateColumn(c) {
  const card = el("div", "tpl");
  if (c.thumbnailImageUrl) {
    const thumb = imagePlaceholder(c.thumbnailImageUrl, c.imageAspectRatio === "square" ? "1:1" : "151:100");
    if (c.imageBackgroundColor) thumb.style.background = c.imageBackgroundColor;
    card.append(thumb);
  }
  if (c.title) card.append(el("div", "tpl-title", c.title));
  card.append(el("div", "tpl-text", c.text));
  const actions = el("div", "tpl-actions");
  (c.actions || []).forEach((a) => actions.append(clickable(el("button", null, a.label), a)));
  card.append(actions);
  if (c.defaultAction) clickable(card, c.defaultAction);
  return card;
}

// ---------------------------------------------------------------- rendering: Flex
function renderFlexContainer(c) {
  if (!c) return el("div", "bubble", "[flex]");
  if (c.type === "carousel") {
    const wrap = el("div", "carousel");
    (c.contents || []).forEach((b) => wrap.append(renderBubble(b)));
    return wrap;
  }
  return renderBubble(c);
}

function renderBubble(b) {
  const node = el("div", "flex-bubble " + (b.size || "mega"));
  if (b.direction === "rtl") node.dir = "rtl";
  const styles = b.styles || {};
  for (const part of ["header", "hero", "body", "footer"]) {
    if (!b[part]) continue;
    const st = styles[part] || {};
    const block = el("div", "flex-block " + part);
    if (st.backgroundColor) block.style.background = st.backgroundColor;
    if (st.separator) block.style.borderTop = `1px solid ${st.separatorColor || "#d4d6da"}`;
    const child = renderFlexComponent(b[part], "vertical", true);
    if (part !== "hero" && b[part].type === "box" && !hasPadding(b[part])) child.style.padding = "20px";
    if (part === "footer" && b[part].type === "box" && !hasPadding(b[part])) child.style.padding = "10px";
    block.append(child);
    node.append(block);
  }
  if (b.action) clickable(node, b.action);
  return node;
}

function hasPadding(box) {
  return ["paddingAll", "paddingTop", "paddingBottom", "paddingStart", "paddingEnd"].some((k) => k in box);
}

function applyCommon(node, c, parentLayout, first) {
  const s = node.style;
  // flex: horizontal/baseline children default to 1, vertical children to 0
  const defFlex = parentLayout === "vertical" ? 0 : 1;
  const flex = c.flex !== undefined ? c.flex : defFlex;
  s.flex = `${flex} ${flex ? 1 : 0} ${flex ? "0" : "auto"}`;
  if (c.margin && !first) {
    const m = px(c.margin, SPACING);
    if (m) s[parentLayout === "vertical" ? "marginTop" : "marginInlineStart"] = m;
  }
  if (c.position === "absolute") {
    s.position = "absolute";
    for (const [k, prop] of [["offsetTop", "top"], ["offsetBottom", "bottom"], ["offsetStart", "left"], ["offsetEnd", "right"]]) {
      const v = px(c[k], SPACING); if (v) s[prop] = v;
    }
  } else {
    for (const [k, prop] of [["offsetTop", "top"], ["offsetBottom", "bottom"], ["offsetStart", "left"], ["offsetEnd", "right"]]) {
      const v = px(c[k], SPACING); if (v) { s.position = "relative"; s[prop] = v; }
    }
  }
  if (c.gravity) s.alignSelf = { top: "flex-start", center: "center", bottom: "flex-end" }[c.gravity] || "";
  if (c.align && parentLayout === "vertical" && c.type !== "text") {
    s.alignSelf = { start: "flex-start", center: "center", end: "flex-end" }[c.align] || "";
  }
}

function renderFlexComponent(c, parentLayout, first) {
  let node;
  switch (c.type) {
    case "box": node = renderBox(c); break;
    case "text": node = renderText(c); break;
    case "button": node = renderButton(c); break;
    case "image": {
      node = imagePlaceholder(c.url, c.aspectRatio || "1:1");
      const size = c.size || "md";
      const widths = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, "3xl": 180, "4xl": 200, "5xl": 220 };
      node.style.width = size === "full" ? "100%" : (px(size, widths) || "100px");
      node.style.maxWidth = "100%";
      if (parentLayout === "vertical") node.style.alignSelf = { start: "flex-start", end: "flex-end" }[c.align] || "center";
      if (c.backgroundColor) node.style.background = c.backgroundColor;
      if (c.action) clickable(node, c.action);
      applyCommon(node, c, parentLayout, first);
      if (parentLayout === "vertical") node.style.flex = "none";
      return node;
    }
    case "icon": {
      node = el("span", "fx-icon");
      node.title = c.url || "";
      const sz = px(c.size || "md", ICON_SIZES) || "16px";
      node.style.width = sz; node.style.height = sz;
      node.style.flex = "none";
      if (c.margin && !first) node.style.marginInlineStart = px(c.margin, SPACING) || "";
      return node;
    }
    case "separator": {
      node = el("hr", "fx-separator");
      if (c.color) node.style.borderColor = c.color;
      const m = px(c.margin, SPACING);
      if (m && !first) node.style[parentLayout === "vertical" ? "marginTop" : "marginInlineStart"] = m;
      node.style.flex = "none";
      return node;
    }
    case "filler": node = el("div"); node.style.flex = `${c.flex !== undefined ? c.flex : 1} 1 0`; return node;
    case "spacer": node = el("div"); node.style.flex = "none"; node.style.height = px(c.size || "md", SPACING) || "8px"; return node;
    case "video": node = imagePlaceholder(c.url, c.aspectRatio || "16:9", "🎬 วิดีโอ"); break;
    default: node = el("div", null, `[${c.type}]`);
  }
  applyCommon(node, c, parentLayout, first);
  return node;
}

function renderBox(c) {
  const layout = c.layout || "vertical";
  const node = el("div", "fx-box " + layout);
  const s = node.style;
  const gap = px(c.spacing, SPACING);
  const kids = c.contents || [];
  kids.forEach((child, i) => {
    const childNode = renderFlexComponent(child, layout, i === 0);
    if (gap && i > 0 && !child.margin && child.type !== "filler") {
      childNode.style[layout === "vertical" ? "marginTop" : "marginInlineStart"] = gap;
    }
    node.append(childNode);
  });
  if (c.backgroundColor) s.background = c.backgroundColor;
  if (c.background && c.background.type === "linearGradient") {
    s.background = `linear-gradient(${c.background.angle || "0deg"}, ${c.background.startColor}, ${c.background.endColor})`;
  }
  if (c.borderColor) s.borderColor = c.borderColor;
  if (c.borderWidth) {
    s.borderStyle = "solid";
    s.borderWidth = { none: "0", light: "0.5px", normal: "1px", medium: "2px", "semi-bold": "3px", bold: "4px" }[c.borderWidth] || c.borderWidth;
  }
  if (c.cornerRadius) s.borderRadius = px(c.cornerRadius, SPACING) || c.cornerRadius;
  if (c.width) s.width = c.width;
  if (c.maxWidth) s.maxWidth = c.maxWidth;
  if (c.height) s.height = c.height;
  if (c.maxHeight) s.maxHeight = c.maxHeight;
  const pad = (k, prop) => { const v = px(c[k], SPACING); if (v) s[prop] = v; };
  pad("paddingAll", "padding");
  pad("paddingTop", "paddingTop"); pad("paddingBottom", "paddingBottom");
  pad("paddingStart", "paddingInlineStart"); pad("paddingEnd", "paddingInlineEnd");
  if (c.justifyContent) s.justifyContent = c.justifyContent;
  if (c.alignItems) s.alignItems = c.alignItems;
  if (c.action) clickable(node, c.action);
  return node;
}

function textStyle(node, c) {
  const s = node.style;
  const size = px(c.size, SIZES);
  if (size) s.fontSize = size;
  if (c.weight === "bold") s.fontWeight = "bold";
  if (c.color) s.color = c.color;
  if (c.style === "italic") s.fontStyle = "italic";
  if (c.decoration && c.decoration !== "none") s.textDecoration = c.decoration;
}

function renderText(c) {
  const node = el("div", "fx-text" + (c.wrap ? " wrap" : ""));
  if (c.contents && c.contents.length) {
    c.contents.forEach((span) => {
      if (span.type !== "span") return;
      const sp = el("span", null, span.text);
      textStyle(sp, span);
      node.append(sp);
    });
  } else {
    node.textContent = c.text || "";
  }
  textStyle(node, c);
  if (!c.size) node.style.fontSize = "16px";
  if (!c.color) node.style.color = "#111111";
  if (c.align) node.style.textAlign = { start: "start", center: "center", end: "end" }[c.align] || "";
  if (c.lineSpacing) node.style.lineHeight = `calc(1.4em + ${c.lineSpacing})`;
  if (c.maxLines && c.wrap) {
    node.style.display = "-webkit-box";
    node.style.webkitLineClamp = String(c.maxLines);
    node.style.webkitBoxOrient = "vertical";
  }
  if (c.action) clickable(node, c.action);
  return node;
}

function renderButton(c) {
  const style = c.style || "link";
  const node = el("button", `fx-button ${style} ${c.height === "sm" ? "sm" : ""}`, (c.action && c.action.label) || "");
  node.type = "button";
  if (c.color) {
    if (style === "link") node.style.color = c.color; else node.style.background = c.color;
  }
  return clickable(node, c.action);
}

// ---------------------------------------------------------------- chat log
function viaLabel(via) { return VIA_LABEL[via] || via; }

function renderItem(item) {
  const chat = $("chat");
  if (item.via === "user") {
    if (item.kind === "note") {
      const n = el("div", "note"); n.append(el("span", null, item.text)); chat.append(n); return;
    }
    const row = el("div", "msg user");
    let content;
    if (item.kind === "text") content = el("div", "bubble", item.text);
    else if (item.kind === "sticker") content = renderMessage({ type: "sticker", packageId: item.packageId, stickerId: item.stickerId });
    else if (item.kind === "location") content = locationCard(item);
    else content = el("div", "bubble", { image: "🖼 รูปภาพ", video: "🎬 วิดีโอ", audio: "🎵 เสียง", file: "📄 ไฟล์" }[item.kind] || item.kind);
    row.append(el("span", "meta", "อ่านแล้ว"), content);
    chat.append(row);
    return;
  }
  const m = item.message || {};
  const row = el("div", "msg bot" + (m.type === "flex" || m.type === "template" ? " wide" : ""));
  const content = renderMessage(m);
  row.append(content, el("span", "meta", viaLabel(item.via)));
  chat.append(row);
}

function renderQuickReplies() {
  const quick = $("quick");
  quick.replaceChildren();
  const last = state.items[state.items.length - 1];
  if (!last || last.via === "user") return;
  const qr = last.message && last.message.quickReply;
  if (!qr || !qr.items) return;
  qr.items.forEach((it) => {
    const a = it.action || {};
    const label = a.label || { camera: "กล้อง", cameraRoll: "รูปภาพ", location: "ตำแหน่ง" }[a.type] || a.type;
    const chip = el("button", "chip", label);
    chip.type = "button";
    chip.addEventListener("click", () => performAction(a));
    quick.append(chip);
  });
}

function setTyping(on) {
  const chat = $("chat");
  let t = chat.querySelector(".typing");
  if (on && !t) {
    t = el("div", "msg bot typing");
    t.append(el("div", "bubble", "•••"));
    chat.append(t);
  } else if (!on && t) {
    t.remove();
  }
}

async function poll(force) {
  if (!state.current || (state.polling && !force)) return;
  state.polling = true;
  const u = state.current;
  try {
    const q = new URLSearchParams({ user_id: u.id, after: String(state.lastSeq) });
    if (u.group) q.set("group_id", u.group);
    const r = await fetch(API + "/messages?" + q);
    const data = await r.json();
    if (u !== state.current) return;
    const fresh = data.messages.filter((m) => m.seq > state.lastSeq);
    const chat = $("chat");
    const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
    setTyping(false);
    fresh.forEach((item) => { state.items.push(item); renderItem(item); state.lastSeq = Math.max(state.lastSeq, item.seq); });
    setTyping(data.loading);
    if (fresh.length) {
      renderQuickReplies();
      if (atBottom || force || fresh.some((f) => f.via === "user")) chat.scrollTop = chat.scrollHeight;
    }
  } catch (e) {
    setStatus("อ่านข้อความไม่สำเร็จ: " + e, true);
  } finally {
    state.polling = false;
  }
}

// ---------------------------------------------------------------- rich menu
async function loadRichMenu() {
  if (!state.current) return;
  const r = await fetch(API + "/richmenu?" + new URLSearchParams({ user_id: state.current.id }));
  const data = await r.json().catch(() => ({}));
  const menu = data.richMenu;
  const box = $("richmenu");
  const key = menu ? menu.richMenuId + (data.imageUrl || "") : null;
  if (key === state.menuId) return;
  state.menuId = key;
  box.replaceChildren();
  $("toggle-menu").title = menu ? (menu.chatBarText || "เมนู") : "ไม่มีริชเมนู";
  if (!menu) { box.hidden = true; return; }
  const { width, height } = menu.size;
  box.style.aspectRatio = `${width} / ${height}`;
  box.style.backgroundImage = data.imageUrl ? `url(${data.imageUrl})` : "";
  (menu.areas || []).forEach((area) => {
    const b = area.bounds;
    const a = area.action || {};
    // With an uploaded image the picture already shows the label; keep it as a tooltip only.
    const label = a.label || a.displayText || a.text || a.data || a.uri || a.type;
    const btn = el("button", "area", data.imageUrl ? "" : label);
    btn.title = label;
    btn.setAttribute("aria-label", label);
    btn.type = "button";
    Object.assign(btn.style, { left: `${(b.x / width) * 100}%`, top: `${(b.y / height) * 100}%`,
      width: `${(b.width / width) * 100}%`, height: `${(b.height / height) * 100}%` });
    btn.addEventListener("click", () => performAction(a));
    box.append(btn);
  });
  box.hidden = !menu.selected && box.dataset.userToggled !== "open";
  if (menu.selected) box.hidden = false;
}

// ---------------------------------------------------------------- wiring
function init() {
  loadUsers();
  $("user-select").addEventListener("change", (e) => selectUser(state.users[Number(e.target.value)]));
  $("new-user").addEventListener("click", () => {
    const u = makeUser(`ผู้ใช้ทดลอง ${state.users.length + 1}`, "resident");
    state.users.push(u); saveUsers(); selectUser(u);
  });
  $("delete-user").addEventListener("click", () => {
    if (state.users.length <= 1) return;
    state.users = state.users.filter((u) => u !== state.current); saveUsers(); selectUser(state.users[0]);
  });
  $("save-user").addEventListener("click", saveRole);
  $("group-id").addEventListener("change", () => { readForm(); selectUser(state.current); });
  $("user-id").addEventListener("change", () => { readForm(); selectUser(state.current); });
  document.querySelectorAll("[data-kind]").forEach((b) => b.addEventListener("click", () => {
    const kind = b.dataset.kind;
    if (kind === "location") return sendLocation();
    if (kind === "sticker") return sendEvent({ kind, package_id: "446", sticker_id: "1988" });
    if ((kind === "join" || kind === "leave" || kind === "memberJoined") && !$("group-id").value.trim()) {
      $("group-id").value = "C" + randomHex(32); readForm(); selectUser(state.current);
    }
    return sendEvent({ kind });
  }));
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value;
    if (!text.trim()) return;
    $("text").value = "";
    sendEvent({ kind: "text", text });
  });
  $("toggle-menu").addEventListener("click", () => {
    const box = $("richmenu");
    if (!box.children.length) { setStatus("ผู้ใช้นี้ยังไม่มีริชเมนูค่ะ"); return; }
    box.hidden = !box.hidden;
    box.dataset.userToggled = box.hidden ? "closed" : "open";
  });
  selectUser(state.users[0]);
  setInterval(poll, 1000);
  setInterval(loadRichMenu, 3000);
}

document.addEventListener("DOMContentLoaded", init);
