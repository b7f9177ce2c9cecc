// The map: Leaflet draws, the server clusters. The browser only ever receives the
// clusters and single points of the viewport it is showing, filtered by the page's form:
// by web-map tile where the page names a tile endpoint (data-api-tiles; the job map), so
// the server answers each tile from its cache until a job in it changes, else by
// viewport (data-api; the candidate map, whose privacy rules work per viewport).
//
// One browsing engine serves every kind of map: a mode (see MODES at the bottom) says
// what the points are called and how a single point is drawn; the page's markup names
// the endpoints (data-api, data-list) and the filter form (data-filters).
//
// Every point can be reached: a cluster that can't split any further (its members share
// one place, or the map is at street level) lists its members in a popup, from the same
// list endpoint and filters as the side list. Markers answer Enter and Space like a
// click, the list and the markers highlight each other, and the count is announced.
// With no tiles (offline, or none configured) a small vector basemap is drawn instead.
const L = window.L;

const DEFAULT_VIEW = { zoom: 3, lat: 30, lng: 0 };
const HOME_ZOOM = 10;
const MAX_ZOOM = 19;
const LIST_ZOOM = 16;
// From this zoom on a cluster is a building or a block: it lists its members instead of
// zooming further; below it, a click zooms at least one level and at most to LIST_ZOOM.
const PLACE_ZOOM = 12;
const PLACE_VIEW_ZOOM = 14;
// A cluster whose members share one point lists them from PLACE_ZOOM on; seen from
// further out, a first click shows where that place is (at PLACE_VIEW_ZOOM).
const MOVE_DEBOUNCE_MS = 250;
const FILTER_DEBOUNCE_MS = 350;
const TILE_FAILURES_BEFORE_BASEMAP = 2;
// The map asks for tiles of 512 px, each the ground of a tile one zoom out clustered for
// this zoom: a quarter of the requests 256 px tiles would take.
const TILE_PX = 512;
// Markers closer than this on screen are folded into one, within a tile by the server
// (the same radius) and across tile edges here.
const FOLD_PX = 40;
const PHONE = window.matchMedia("(max-width: 800px)");

function abbreviate(n) {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0).replace(/\.0$/, "")}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0).replace(/\.0$/, "")}M`;
}

function plural(n, [one, many]) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

// Great-circle distance in km (the server's geo/distance.py uses the same formula).
function distanceKm(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function formatKm(km) {
  return `${km < 10 ? km.toFixed(1) : Math.round(km).toLocaleString()} km`;
}

function readHash() {
  const parts = window.location.hash.replace(/^#/, "").split("/").map(Number);
  if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) return null;
  const [zoom, lat, lng] = parts;
  if (zoom < 0 || zoom > 22 || Math.abs(lat) > 90) return null;
  return { zoom, lat, lng };
}

function viewHash(map) {
  const c = map.getCenter();
  return `#${map.getZoom()}/${c.lat.toFixed(4)}/${c.wrap().lng.toFixed(4)}`;
}

// ---------------------------------------------------------------------------------------
// The offline basemap: land, borders and big cities' names from a static file
// (static/map/basemap.json, Natural Earth), drawn when tiles can't be had.

let basemapData = null;

function loadBasemap(url) {
  basemapData ??= fetch(url).then((response) => {
    if (!response.ok) throw new Error(`basemap: ${response.status}`);
    return response.json();
  });
  return basemapData;
}

// Which cities are named at a zoom: the largest few at world view, more as it zooms in.
const CITY_RANKS = [8, 12, 25, 60, 150, 350, 700, 1200, 2000];
const MAX_LABELS = 45;

function addBasemap(map, mapEl) {
  const url = mapEl.dataset.basemap;
  if (!url || map._basemap) return;
  map._basemap = true;
  mapEl.classList.add("map-offline");
  map.createPane("basemap").style.zIndex = 150;
  const labelPane = map.createPane("basemap-labels");
  labelPane.style.zIndex = 390;
  labelPane.setAttribute("aria-hidden", "true");
  const renderer = L.canvas({ pane: "basemap", padding: 0.3 });
  const labels = L.layerGroup().addTo(map);
  map.attributionControl?.addAttribution("Basemap: Natural Earth");
  loadBasemap(url)
    .then((data) => {
      L.geoJSON(data, {
        pane: "basemap",
        renderer,
        interactive: false,
        style: { stroke: true, color: "#a9b8c2", weight: 0.8, fillColor: "#f4f1e8", fillOpacity: 1 },
      }).addTo(map);
      L.geoJSON(data.borders, {
        pane: "basemap",
        renderer,
        interactive: false,
        style: { color: "#b3a89a", weight: 1, dashArray: "4 3" },
      }).addTo(map);
      const cities = data.cities || [];
      const drawLabels = () => {
        labels.clearLayers();
        const zoom = map.getZoom();
        const limit = CITY_RANKS[Math.min(Math.max(zoom - 1, 0), CITY_RANKS.length - 1)];
        const bounds = map.getBounds().pad(0.05);
        const taken = [];
        for (const [name, lat, lng, rank] of cities) {
          if (rank >= limit || taken.length >= MAX_LABELS) break;
          if (!bounds.contains([lat, lng])) continue;
          const p = map.latLngToContainerPoint([lat, lng]);
          const w = name.length * 7 + 10;
          if (taken.some((q) => Math.abs(q.x - p.x) < (q.w + w) / 2 && Math.abs(q.y - p.y) < 18)) {
            continue;
          }
          taken.push({ x: p.x, y: p.y, w });
          labels.addLayer(
            L.marker([lat, lng], {
              pane: "basemap-labels",
              interactive: false,
              keyboard: false,
              icon: L.divIcon({ className: "basemap-city", html: `<span></span>${name}`, iconSize: null }),
            }),
          );
        }
      };
      map.on("moveend", drawLabels);
      drawLabels();
    })
    .catch(() => mapEl.classList.add("map-no-basemap"));
}

// Tiles when they load; the vector basemap as soon as they don't (or none is configured).
function addTiles(map, mapEl) {
  const url = mapEl.dataset.tileUrl;
  if (!url) {
    addBasemap(map, mapEl);
    return;
  }
  const tiles = L.tileLayer(url, {
    attribution: mapEl.dataset.tileAttribution,
    maxZoom: MAX_ZOOM,
  }).addTo(map);
  let loaded = 0;
  let failed = 0;
  tiles.on("tileload", () => {
    loaded += 1;
    tiles.getContainer()?.classList.remove("tiles-failing");
  });
  tiles.on("tileerror", () => {
    failed += 1;
    if (!loaded && failed >= TILE_FAILURES_BEFORE_BASEMAP) {
      // Broken tiles would hide the basemap under grey squares.
      tiles.getContainer()?.classList.add("tiles-failing");
      addBasemap(map, mapEl);
    }
  });
}

// Countries shaded on the map (a remote job's allowed area), by ISO alpha-2 code.
function shadeCountries(map, mapEl, codes, { fit = false } = {}) {
  const wanted = new Set(codes.map((code) => code.toUpperCase()));
  if (!wanted.size || !mapEl.dataset.basemap) return Promise.resolve(null);
  if (!map.getPane("areas")) map.createPane("areas").style.zIndex = 350;
  return loadBasemap(mapEl.dataset.basemap)
    .then((data) => {
      const layer = L.geoJSON(data, {
        pane: "areas",
        interactive: false,
        filter: (feature) => wanted.has(feature.id),
        style: { className: "remote-area", color: "#0f766e", weight: 1.5, fillColor: "#14b8a6", fillOpacity: 0.22 },
      }).addTo(map);
      if (fit && layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [10, 10], maxZoom: 6 });
      }
      return layer;
    })
    .catch(() => null);
}

// ---------------------------------------------------------------------------------------
// Filters

// The filter form's non-empty values, in form order: the same search is one string.
function filterParams(form, mode) {
  const params = new URLSearchParams();
  if (!form) return params;
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.append(key, value.trim());
  }
  mode.prune?.(params);
  return params;
}

// Job filters: currency and period only mean something with an amount, a radius with a place.
function pruneJobFilters(params) {
  if (!params.has("salary_min")) {
    params.delete("currency");
    params.delete("period");
  }
  if (!params.has("near")) params.delete("radius_km");
}

// "Remote jobs open to me" asks for remote jobs too, so a server that doesn't know
// remote_for yet still answers with remote jobs rather than every job.
function jobRequestParams(params) {
  if (params.has("remote_for")) {
    params.delete("workplace");
    params.append("workplace", "remote");
  }
}

// Candidate filters: a budget's currency and period only mean something with an amount.
function pruneCandidateFilters(params) {
  if (!params.has("max_pay")) {
    params.delete("currency");
    params.delete("period");
  }
}

// The form's label for a parameter, so errors read "Near: …", never "near: …".
function fieldLabel(form, name) {
  const input = form?.querySelector(`[name="${CSS.escape(name)}"]`);
  const label = input?.labels?.[0] || input?.closest("fieldset")?.querySelector("legend");
  return label ? label.textContent.trim() : name.replace(/_/g, " ");
}

function readableErrors(form, detail) {
  return String(detail || "")
    .split(/;\s*/)
    .filter(Boolean)
    .map((part) => {
      const match = part.match(/^([a-z_]+):\s*(.*)$/);
      return match ? { field: match[1], label: fieldLabel(form, match[1]), text: match[2] } : { text: part };
    });
}

// ---------------------------------------------------------------------------------------
// Markers

function markerKey(feature) {
  const props = feature.properties;
  if (!props.cluster && props.id !== undefined) return `p:${props.id}`;
  const [lng, lat] = feature.geometry.coordinates;
  return `c:${lat.toFixed(6)},${lng.toFixed(6)}`;
}

function clusterSize(count) {
  return count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
}

function clusterIcon(count) {
  return L.divIcon({
    html: `<span aria-hidden="true">${abbreviate(count)}</span>`,
    className: `cluster cluster-${clusterSize(count)}`,
    iconSize: null,
  });
}

function pinIcon(extra = "") {
  return L.divIcon({ className: `job-pin ${extra}`.trim(), html: "<span></span>", iconSize: [18, 18] });
}

// Whether a cluster is one place (or one building): its bbox is a point or a few metres.
function isOnePlace(bbox) {
  const [w, s, e, n] = bbox;
  return Math.abs(e - w) < 2e-5 && Math.abs(n - s) < 2e-5;
}

// Where a feature is drawn: its tile's world copy is `shift` degrees east of the first.
function featureLatLng(feature) {
  const [lng, lat] = feature.geometry.coordinates;
  return L.latLng(lat, lng + (feature.shift || 0));
}

// The tiles that cover the map's view at map zoom `zoom`. A column seen in more than one
// world copy (zoomed far out) is asked for once, for the copy nearest the middle of the view.
function viewTiles(map, zoom) {
  const size = zoom >= 1 ? TILE_PX : 256;
  const z = size === 256 ? zoom : zoom - Math.log2(size / 256);
  const n = 2 ** z;
  const { min, max } = map.getPixelBounds();
  const middle = (min.x + max.x) / 2;
  const nearest = new Map(); // column in the world -> column on screen
  for (let c = Math.floor(min.x / size); c <= Math.floor((max.x - 1) / size); c++) {
    const x = ((c % n) + n) % n;
    const best = nearest.get(x);
    const off = (column) => Math.abs((column + 0.5) * size - middle);
    if (best === undefined || off(c) < off(best)) nearest.set(x, c);
  }
  const tiles = [];
  const top = Math.max(0, Math.floor(min.y / size));
  const bottom = Math.min(n - 1, Math.floor((max.y - 1) / size));
  for (let y = top; y <= bottom; y++) {
    for (const [x, c] of nearest) tiles.push({ z, x, y, size, zoom, column: c, shift: Math.floor(c / n) * 360 });
  }
  return tiles;
}

// One cluster of features from neighbouring tiles: counts added, boxes joined, placed at
// the count-weighted middle (in the first member's world copy), cell tokens joined when
// they share a level and box (each job is in one tile, so no member is counted twice).
function foldFeatures(group) {
  const first = group[0];
  let count = 0;
  let sumLng = 0;
  let sumLat = 0;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const cells = new Set();
  let scope = null;
  for (const feature of group) {
    const props = feature.properties;
    const weight = props.cluster ? props.point_count : 1;
    const [lng, lat] = feature.geometry.coordinates;
    const moved = (feature.shift || 0) - (first.shift || 0);
    const [fw, fs, fe, fn] = props.cluster ? props.bbox : [lng, lat, lng, lat];
    count += weight;
    sumLng += (lng + moved) * weight;
    sumLat += lat * weight;
    [w, s, e, n] = [Math.min(w, fw + moved), Math.min(s, fs), Math.max(e, fe + moved), Math.max(n, fn)];
    const [level, ids, box] = (props.cell || "").split(":");
    if (scope === null) scope = `${level}:${box}`;
    if (!props.cell || scope !== `${level}:${box}`) scope = "";
    for (const id of (ids || "").split(".")) cells.add(id);
  }
  const samePlace = e - w < 2e-5 && n - s < 2e-5;
  const [level, box] = (scope || ":").split(":");
  const properties = {
    cluster: true,
    point_count: count,
    bbox: [w, s, e, n],
    same_place: samePlace,
    can_split: !samePlace,
  };
  if (scope) properties.cell = `${level}:${[...cells].sort((a, b) => a - b).join(".")}:${box}`;
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [sumLng / count, sumLat / count] },
    properties,
    shift: first.shift,
  };
}

// The features of a view's tiles as one answer: a marker near a tile edge that would
// overlap one across the edge is folded into it, biggest first, as the server folds
// markers within a tile.
function joinTiles(map, tiles, answers) {
  const all = [];
  const edge = [];
  tiles.forEach((tile, t) => {
    const [left, top, size] = [tile.column * tile.size, tile.y * tile.size, tile.size];
    for (const feature of answers[t].features) {
      feature.shift = tile.shift;
      all.push(feature);
      const p = map.project(featureLatLng(feature), tile.zoom);
      const near = Math.min(p.x - left, left + size - p.x, p.y - top, top + size - p.y) < FOLD_PX;
      if (near) edge.push({ feature, t, p, weight: feature.properties.point_count || 1 });
    }
  });
  if (edge.length < 2) return all;
  edge.sort((a, b) => b.weight - a.weight);
  const folded = new Set();
  const out = [];
  for (const [i, a] of edge.entries()) {
    if (folded.has(a.feature)) continue;
    const group = [a.feature];
    for (const b of edge.slice(i + 1)) {
      if (b.t === a.t || folded.has(b.feature)) continue;
      if ((a.p.x - b.p.x) ** 2 + (a.p.y - b.p.y) ** 2 < FOLD_PX * FOLD_PX) group.push(b.feature);
    }
    if (group.length === 1) continue;
    for (const feature of group) folded.add(feature);
    out.push(foldFeatures(group));
  }
  return folded.size ? [...all.filter((feature) => !folded.has(feature)), ...out] : all;
}

function jobPopupHead(props) {
  const box = el("div", { class: "popup-job" });
  box.append(el("a", { href: props.url, class: "popup-title" }, props.title));
  box.append(el("div", { class: "popup-company" }, props.company));
  box.append(el("div", { class: "popup-pay" }, props.pay));
  box.append(el("div", { class: "popup-place" }, props.place));
  if (props.responsiveness) {
    box.append(el("div", { class: "popup-responsiveness" }, props.responsiveness));
  }
  return box;
}

// ---------------------------------------------------------------------------------------
// Browsing

function createBrowser(mapEl, mode) {
  const home = mapEl.dataset.homeLat
    ? { lat: Number(mapEl.dataset.homeLat), lng: Number(mapEl.dataset.homeLng), label: mapEl.dataset.homeLabel }
    : null;
  const form = mapEl.dataset.filters ? document.getElementById(mapEl.dataset.filters) : null;
  const layout = mapEl.closest(".map-layout");
  // With JavaScript a phone shows the map first (without it, the list); the map must
  // have its size before Leaflet measures it.
  if (layout?.querySelector(".view-toggle")) layout.dataset.view = "map";
  if (PHONE.matches) form?.querySelector(".filter-more")?.removeAttribute("open");
  const hashView = readHash();
  const startsNear = !hashView && filterParams(form, mode).has("near");
  const start = hashView || (home && !startsNear ? { ...home, zoom: HOME_ZOOM } : DEFAULT_VIEW);
  const map = L.map(mapEl, { worldCopyJump: true, minZoom: 1, maxZoom: MAX_ZOOM }).setView(
    [start.lat, start.lng],
    start.zoom,
  );
  addTiles(map, mapEl);
  const layer = L.layerGroup().addTo(map);
  const status = document.getElementById("map-status");
  const loading = document.getElementById("map-loading");
  const list = document.getElementById("job-list");
  const popup = L.popup({ minWidth: 220, maxWidth: 320, autoPanPadding: [16, 16], className: "map-popup" });
  const markers = new Map(); // key -> marker
  // The page names the tile 0/0/0; the others are beside it.
  const tileApi = (mapEl.dataset.apiTiles || "").replace(/\/0\/0\/0\/?$/, "");
  let mapRequest = null;
  let listRequest = null;
  let popupRequest = null;
  let moveTimer = null;
  let filterTimer = null;
  let loadedKey = null;
  let boxKey = null;
  let nearCircle = null;
  let nearShown = null;
  let fitNear = startsNear;
  let popupPanned = false;
  let listPage = Number(new URLSearchParams(window.location.search).get("page")) || 1;
  let remoteLayer = null;
  let popupOwner = null;

  if (home) {
    L.marker([home.lat, home.lng], {
      icon: L.divIcon({ className: "home-pin", html: "<span></span>", iconSize: [16, 16] }),
      keyboard: false,
      interactive: false,
      zIndexOffset: -1000,
    }).addTo(map);
  }

  function bboxParam() {
    const b = map.getBounds();
    const west = b.getWest();
    const east = b.getEast();
    const south = Math.max(b.getSouth(), -90).toFixed(5);
    const north = Math.min(b.getNorth(), 90).toFixed(5);
    if (east - west >= 360) return `-180,${south},180,${north}`;
    return `${west.toFixed(5)},${south},${east.toFixed(5)},${north}`;
  }

  function requestQuery(filters) {
    const query = new URLSearchParams(filters);
    mode.request?.(query);
    return query;
  }

  function writeUrl(filters) {
    const query = new URLSearchParams(filters);
    if (listPage > 1) query.set("page", listPage);
    const text = query.toString();
    const url = `${window.location.pathname}${text ? `?${text}` : ""}${viewHash(map)}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      history.replaceState(null, "", url);
    }
  }

  // --- the side list ----------------------------------------------------------------
  // Returns the list's count ("1,500", "1,000+"; "0"), or null when it has none to give.
  async function loadList(url) {
    if (!list) return null;
    listRequest?.abort();
    listRequest = new AbortController();
    list.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { headers: { "HX-Request": "true" }, signal: listRequest.signal });
      list.innerHTML = await response.text();
      const count = list.querySelector(".result-count strong");
      document.querySelectorAll("[data-list-count]").forEach((node) => {
        node.textContent = count ? count.textContent : "0";
      });
      announceHint();
      if (home) addHomeDistances(list);
      if (count) return count.textContent;
      return list.querySelector(".result-count") ? "0" : null;
    } catch (error) {
      if (error.name !== "AbortError") list.querySelector(".result-count")?.append(" (not refreshed)");
      return null;
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  // "Did you mean nurse?" from the list joins the map's "No jobs" line, whichever
  // of the two answers comes last.
  function announceHint() {
    const hint = list?.querySelector(".did-you-mean")?.textContent.trim();
    if (hint && mapEl.dataset.total === "0" && !status.textContent.includes(hint)) {
      status.textContent += ` ${hint}`;
    }
  }

  function addHomeDistances(root) {
    for (const card of root.querySelectorAll(".job-card[data-lat]")) {
      if (card.querySelector(".job-card-distance")) continue;
      const km = distanceKm(home.lat, home.lng, Number(card.dataset.lat), Number(card.dataset.lng));
      const meta = card.querySelector(".job-card-meta");
      meta?.prepend(el("span", { class: "job-card-distance job-card-home" }, `${formatKm(km)} from your area`));
    }
  }

  function listUrl(filters, bbox, page = 1) {
    const query = requestQuery(filters);
    query.set("bbox", bbox);
    if (page > 1) query.set("page", page);
    return `${mapEl.dataset.list}?${query}`;
  }

  // --- the near circle --------------------------------------------------------------
  function showNear(near) {
    const key = near ? `${near.lat},${near.lng},${near.radius_km}` : null;
    if (key !== null && key === nearShown) return;
    nearShown = key;
    nearCircle?.remove();
    nearCircle = null;
    if (!near) return;
    nearCircle = L.circle([near.lat, near.lng], {
      radius: near.radius_km * 1000,
      className: "near-circle",
      interactive: false,
      weight: 2,
      fillOpacity: 0.05,
    }).addTo(map);
    if (fitNear) map.fitBounds(nearCircle.getBounds(), { maxZoom: 13 });
  }

  // --- popups -----------------------------------------------------------------------
  function openPopup(marker, { fromKeyboard = false } = {}) {
    const feature = marker.feature;
    const props = feature.properties;
    popupRequest?.abort();
    popupRequest = new AbortController();
    const signal = popupRequest.signal;
    const box = el("div", { class: "popup-body" });
    const [lng, lat] = feature.geometry.coordinates;
    const pad = mode.bboxPad ?? 1e-6;
    const [w, s, e, n] = props.cluster ? props.bbox : [lng, lat, lng, lat];
    const bbox = [w - pad, s - pad, e + pad, n + pad].map((v) => v.toFixed(7)).join(",");
    if (props.cluster) {
      const heading = `${plural(props.point_count, mode.noun)} here`;
      box.classList.add("popup-list");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading);
      box.append(el("p", { class: "popup-list-head" }, heading));
      box.append(el("div", { class: "popup-list-body" }, "Loading…"));
    } else {
      box.append(jobPopupHead(props));
    }
    popup.setLatLng(marker.getLatLng()).setContent(box);
    popupOwner = marker;
    popupPanned = false;
    popup.openOn(map);
    const filters = filterParams(form, mode);
    const fill = async (url) => {
      try {
        const response = await fetch(url, { headers: { "HX-Request": "true" }, signal });
        const html = fragment(await response.text());
        if (props.cluster) {
          const body = box.querySelector(".popup-list-body");
          body.replaceChildren();
          const cards = html.querySelector(".job-cards");
          const pages = html.querySelector(".pagination");
          const problem = html.querySelector(".message-error");
          if (cards) body.append(cards);
          else body.append(problem || el("p", { class: "empty" }, `No ${mode.noun[1]} here any more.`));
          if (pages) body.append(pages);
          if (home) addHomeDistances(body);
        } else {
          const card = html.querySelector(".job-card");
          if (card) {
            const extra = el("div", { class: "popup-extra" });
            const distance = card.querySelector(".job-card-distance");
            if (distance) extra.append(el("div", { class: "popup-distance" }, distance.textContent.trim()));
            else if (home) {
              const km = distanceKm(home.lat, home.lng, lat, lng);
              extra.append(el("div", { class: "popup-distance" }, `${formatKm(km)} from your area`));
            }
            const address = card.dataset.address;
            if (address) extra.append(el("div", { class: "popup-address" }, address));
            const remote = (card.dataset.remoteCountries || "").split(",").filter(Boolean);
            if (remote.length) {
              extra.append(el("div", { class: "popup-remote" }, `Remote, open to applicants in ${card.dataset.remoteNames}`));
              remoteLayer?.remove();
              shadeCountries(map, mapEl, remote).then((shaded) => {
                if (map.hasLayer(popup) && popupOwner === marker) remoteLayer = shaded;
                else shaded?.remove();
              });
            }
            box.append(extra);
          }
        }
        popup.update();
        if (fromKeyboard) box.querySelector("a")?.focus();
      } catch (error) {
        if (error.name === "AbortError") return;
        const body = box.querySelector(".popup-list-body");
        if (body) body.textContent = `Couldn't load these ${mode.noun[1]}. Try again.`;
      }
    };
    fill(listUrl(filters, bbox));
    box.addEventListener("click", (event) => {
      const link = event.target.closest(".pagination a");
      if (!link) return;
      event.preventDefault();
      fromKeyboard = event.detail === 0;
      fill(link.href);
    });
    if (fromKeyboard && !props.cluster) box.querySelector("a")?.focus();
  }

  map.on("popupclose", (event) => {
    if (event.popup !== popup) return;
    popupRequest?.abort();
    remoteLayer?.remove();
    remoteLayer = null;
    const owner = popupOwner;
    popupOwner = null;
    // Back to the marker, if the focus was in the popup that just went.
    const active = document.activeElement;
    if (owner && (!active || active === document.body || active.closest?.(".leaflet-popup"))) {
      const target = owner.getElement?.();
      if (target?.isConnected) target.focus({ preventScroll: true });
    }
  });
  // Escape closes the popup wherever the focus is on the map (a marker, the popup).
  mapEl.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && map.hasLayer(popup)) map.closePopup(popup);
  });
  map.on("autopanstart", () => {
    popupPanned = true;
  });

  // Zoom towards a cluster's members, or list them when it won't split any further.
  function activateCluster(marker, fromKeyboard) {
    const feature = marker.feature;
    const [w, s, e, n] = feature.properties.bbox;
    const zoom = map.getZoom();
    if (listsMembers(feature, zoom)) {
      openPopup(marker, { fromKeyboard });
      return;
    }
    if (isOnePlace(feature.properties.bbox)) {
      // The marker keeps its key at the new zoom, so the keyboard focus stays on it.
      map.setView(marker.getLatLng(), Math.max(PLACE_VIEW_ZOOM, zoom + 1));
      return;
    }
    const bounds = L.latLngBounds([s, w], [n, e]);
    const fit = map.getBoundsZoom(bounds.pad(0.15));
    const target = Math.min(Math.max(fit, zoom + 1), LIST_ZOOM, map.getMaxZoom());
    map.setView(bounds.getCenter(), target);
    if (fromKeyboard) mapEl.focus({ preventScroll: true });
  }

  function listsMembers(feature, zoom) {
    const onePlace = isOnePlace(feature.properties.bbox);
    return (onePlace && zoom >= PLACE_ZOOM) || zoom >= LIST_ZOOM || zoom >= map.getMaxZoom();
  }

  function activate(marker, fromKeyboard = false) {
    if (marker.feature.properties.cluster || !mode.single) activateCluster(marker, fromKeyboard);
    else openPopup(marker, { fromKeyboard });
  }

  function makeMarker(feature) {
    const props = feature.properties;
    let marker;
    if (props.cluster || !mode.single) {
      marker = L.marker(featureLatLng(feature), { icon: clusterIcon(props.point_count), keyboard: true, riseOnHover: true });
    } else {
      marker = mode.single(feature);
    }
    marker.feature = feature;
    marker.key = markerKey(feature);
    marker.on("click", (event) => activate(marker, event.originalEvent?.detail === 0));
    marker.on("add", () => describeMarker(marker));
    return marker;
  }

  function describeMarker(marker) {
    const node = marker.getElement();
    if (!node) return;
    const props = marker.feature.properties;
    let label;
    if (props.cluster || !mode.single) {
      const what = plural(props.point_count, mode.noun);
      if (listsMembers(marker.feature, map.getZoom())) label = `${what} at one place: list them`;
      else if (isOnePlace(props.bbox)) label = `${what} at one place: zoom in to it`;
      else label = `${what} here: zoom in`;
    } else {
      label = `${props.title}, ${props.company}, ${props.pay}`;
    }
    node.setAttribute("aria-label", label);
    node.setAttribute("title", label);
    node.dataset.key = marker.key;
    if (!node._keys) {
      node._keys = true;
      node.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          event.stopPropagation();
          activate(marker, true);
        }
      });
      node.addEventListener("focus", () => linkCards(marker, true));
      node.addEventListener("blur", () => linkCards(marker, false));
      node.addEventListener("mouseenter", () => linkCards(marker, true));
      node.addEventListener("mouseleave", () => linkCards(marker, false));
    }
  }

  // Replace the markers with an answer's, keeping those still in it (and their popup).
  function showFeatures(features, { keepOpen = false } = {}) {
    const next = new Map();
    for (const feature of features) next.set(markerKey(feature), feature);
    const open = map.hasLayer(popup) ? popupOwner : null;
    for (const [key, marker] of markers) {
      const feature = next.get(key);
      if (feature) {
        const oldCount = marker.feature.properties.point_count;
        // The same marker in another world copy (the view moved across the date line).
        if (feature.shift !== marker.feature.shift) marker.setLatLng(featureLatLng(feature));
        marker.feature = feature;
        if (feature.properties.cluster && feature.properties.point_count !== oldCount) {
          marker.setIcon(clusterIcon(feature.properties.point_count));
        }
        describeMarker(marker);
        next.delete(key);
      } else if (marker === open && keepOpen) {
        // The pan that opening this popup caused must not take it away.
      } else {
        layer.removeLayer(marker);
        markers.delete(key);
      }
    }
    for (const [key, feature] of next) {
      const marker = makeMarker(feature);
      markers.set(key, marker);
      layer.addLayer(marker);
    }
    // A card pointed at before its marker was drawn (the list came first) lights it now.
    const pointed = list?.querySelector(".job-card.is-linked:hover, .job-card.is-linked:focus-within");
    if (pointed) highlightMarker(markerFor(pointed));
  }

  function clearFeatures() {
    map.closePopup(popup);
    layer.clearLayers();
    markers.clear();
  }

  // --- list and markers in step -----------------------------------------------------
  function cardsFor(marker) {
    if (!list) return [];
    const props = marker.feature.properties;
    if (!props.cluster && props.id !== undefined) {
      return [...list.querySelectorAll(`.job-card[data-job-id="${props.id}"]`)];
    }
    if (!props.bbox) return [];
    const pad = mode.bboxPad ?? 1e-6;
    const [w, s, e, n] = props.bbox;
    return [...list.querySelectorAll(".job-card[data-lat]")].filter((card) => {
      const lat = Number(card.dataset.lat);
      const lng = Number(card.dataset.lng);
      return lat >= s - pad && lat <= n + pad && lng >= w - pad && lng <= e + pad;
    });
  }

  function linkCards(marker, on) {
    for (const card of cardsFor(marker)) card.classList.toggle("is-linked", on);
  }

  function markerFor(card) {
    const single = markers.get(`p:${card.dataset.jobId}`);
    if (single) return single;
    const lat = Number(card.dataset.lat);
    const lng = Number(card.dataset.lng);
    if (!Number.isFinite(lat)) return null;
    const pad = mode.bboxPad ?? 1e-6;
    let best = null;
    let bestDistance = Infinity;
    for (const marker of markers.values()) {
      const bbox = marker.feature.properties.bbox;
      if (!bbox) continue;
      const [w, s, e, n] = bbox;
      if (lat < s - pad || lat > n + pad || lng < w - pad || lng > e + pad) continue;
      const at = marker.getLatLng();
      const d = (at.lat - lat) ** 2 + (at.lng - lng) ** 2;
      if (d < bestDistance) [best, bestDistance] = [marker, d];
    }
    return best;
  }

  function highlightFromCard(event, on) {
    const card = event.target.closest?.(".job-card");
    if (!card || !list.contains(card)) return;
    if (!on && card.contains(event.relatedTarget)) return;
    list.querySelectorAll(".job-card.is-linked").forEach((c) => c !== card && c.classList.remove("is-linked"));
    card.classList.toggle("is-linked", on);
    highlightMarker(on ? markerFor(card) : null);
  }

  function highlightMarker(marker) {
    for (const node of mapEl.querySelectorAll(".is-highlighted")) node.classList.remove("is-highlighted");
    marker?.getElement()?.classList.add("is-highlighted");
    if (marker) marker.setZIndexOffset(1000);
  }

  // --- loading ----------------------------------------------------------------------
  function showErrors(problems) {
    form?.querySelector(".filter-errors")?.remove();
    if (!form || !problems.length) return;
    const box = el("div", { class: "message message-error filter-errors", role: "alert" });
    box.append(el("p", {}, "Please check the search:"));
    const items = el("ul");
    for (const problem of problems) {
      const item = el("li", {}, problem.label ? `${problem.label}: ${problem.text}` : problem.text);
      const guess = problem.text.match(/Did you mean “([^”]+)”/);
      if (guess && problem.field) {
        const fix = el("button", { type: "button", class: "link did-you-mean-fix" }, `Search for ${guess[1]}`);
        fix.addEventListener("click", () => {
          const input = form.querySelector(`[name="${problem.field}"]`);
          if (input) input.value = guess[1];
          form.requestSubmit();
        });
        item.append(" ", fix);
      }
      items.append(item);
    }
    box.append(items);
    form.append(box);
  }

  // A connection that failed or an answer cut short (a server killed behind the load
  // balancer mid-answer) is asked once more; an answer with an error status is final.
  async function fetchAnswer(url, signal, tries = 2) {
    let response;
    let data;
    try {
      response = await fetch(url, { signal });
      data = await response.json().catch((error) => {
        if (response.ok) throw error;
        return { detail: response.statusText };
      });
    } catch (error) {
      if (error.name === "AbortError" || tries <= 1) throw error;
      return fetchAnswer(url, signal, tries - 1);
    }
    if (!response.ok) {
      const error = new Error(data.detail || response.statusText);
      error.problems = response.status === 400 ? readableErrors(form, data.detail) : null;
      throw error;
    }
    return data;
  }

  // The view's markers, and how many points are in view when the answer says. By tile,
  // the markers are the tiles' joined.
  async function fetchView(query, bbox, zoom, signal) {
    if (!tileApi) {
      query.set("bbox", bbox);
      query.set("zoom", zoom);
      const data = await fetchAnswer(`${mapEl.dataset.api}?${query}`, signal);
      return { ...data, count: data.total.toLocaleString() };
    }
    const tiles = viewTiles(map, zoom);
    const asked = new URLSearchParams(query);
    if (tiles[0]?.size !== 256) asked.set("size", tiles[0]?.size);
    const answers = await Promise.all(
      tiles.map((t) => fetchAnswer(`${tileApi}/${t.z}/${t.x}/${t.y}?${asked}`, signal)),
    );
    return { features: joinTiles(map, tiles, answers), count: null, near: answers[0]?.near ?? null };
  }

  // Tiles reach past the view, so the count in view is the list's (the same filters and
  // box), or, without one, what the markers in view add up to.
  async function countInView(listed, features) {
    const count = await listed;
    if (count !== null) return count;
    const view = map.getBounds();
    const shown = features.filter((f) => view.contains(featureLatLng(f)));
    return shown.reduce((sum, f) => sum + (f.properties.point_count || 1), 0).toLocaleString();
  }

  async function load({ force = false } = {}) {
    const filters = filterParams(form, mode);
    const bbox = bboxParam();
    const zoom = map.getZoom();
    const newBox = `${filters}&bbox=${bbox}&zoom=${zoom}`;
    // The view or the search changed (not the first load): back to the list's first page.
    if (boxKey !== null && newBox !== boxKey) listPage = 1;
    boxKey = newBox;
    writeUrl(filters);
    const query = requestQuery(filters);
    const key = `${query}&bbox=${bbox}&zoom=${zoom}`;
    // Nothing changed (a tiny pan inside rounding, a repeated submit): no request.
    if (key === loadedKey && !force) return;
    loadedKey = key;
    const keepOpen = popupPanned;
    popupPanned = false;
    mapRequest?.abort();
    mapRequest = new AbortController();
    const { signal } = mapRequest;
    if (loading) loading.hidden = false;
    mapEl.setAttribute("aria-busy", "true");
    mapEl.dataset.total = "";
    const listed = loadList(listUrl(filters, bbox, listPage));
    try {
      const data = await fetchView(query, bbox, zoom, signal);
      if (signal.aborted) return;
      showErrors([]);
      showFeatures(data.features, { keepOpen });
      showNear(data.near);
      fitNear = false;
      const count = data.count ?? (await countInView(listed, data.features));
      if (signal.aborted) return;
      const total = Number(count.replace(/\D/g, ""));
      mapEl.dataset.total = total;
      const [one, many] = mode.noun;
      status.textContent = total
        ? `${count} ${count === "1" ? one : many} in view`
        : `No ${many} in this area. Zoom out${form ? " or loosen the filters" : ""} to see more.`;
      announceHint();
    } catch (error) {
      if (error.name === "AbortError") return;
      loadedKey = null;
      // Nothing stale stays on the map: no old circle, no old clusters.
      clearFeatures();
      showNear(null);
      mapEl.dataset.total = "";
      if (error.problems?.length) {
        showErrors(error.problems);
        status.textContent = `Check the filters: ${error.problems
          .map((p) => (p.label ? `${p.label}: ${p.text}` : p.text))
          .join(" ")}`;
      } else {
        status.textContent = `Couldn't load ${mode.noun[1]}. Move the map to try again.`;
      }
    } finally {
      if (!signal.aborted) {
        mapEl.removeAttribute("aria-busy");
        if (loading) loading.hidden = true;
      }
    }
  }

  function scheduleLoad(delay) {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(load, delay);
  }

  map.on("moveend", () => {
    writeUrl(filterParams(form, mode));
    scheduleLoad(MOVE_DEBOUNCE_MS);
  });
  map.on("zoomend", () => {
    for (const marker of markers.values()) describeMarker(marker);
  });
  window.addEventListener("hashchange", () => {
    const view = readHash();
    if (view) map.setView([view.lat, view.lng], view.zoom);
  });
  list?.addEventListener("click", (event) => {
    const link = event.target.closest(".pagination a");
    if (link) {
      event.preventDefault();
      listPage = Number(link.dataset.page || new URL(link.href).searchParams.get("page")) || 1;
      writeUrl(filterParams(form, mode));
      loadList(link.href).then(() => list.querySelector(".job-card a")?.focus({ preventScroll: true }));
      list.closest(".list-pane")?.scrollTo(0, 0);
      return;
    }
    const fix = event.target.closest(".did-you-mean a[data-q]");
    if (fix && form) {
      event.preventDefault();
      const input = form.querySelector("[name=q]");
      if (input) input.value = fix.dataset.q;
      form.requestSubmit();
    }
  });
  list?.addEventListener("mouseover", (event) => highlightFromCard(event, true));
  list?.addEventListener("mouseout", (event) => highlightFromCard(event, false));
  list?.addEventListener("focusin", (event) => highlightFromCard(event, true));
  list?.addEventListener("focusout", (event) => highlightFromCard(event, false));

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(filterTimer);
      fitNear = filterParams(form, mode).has("near");
      nearShown = null;
      listPage = 1;
      load({ force: true });
      if (PHONE.matches) form.querySelector(".filter-more")?.removeAttribute("open");
    });
    // Ticking a box or choosing from a list applies at once (debounced); typed text
    // waits for Enter or the Search button, so typing never fires a search per key.
    form.addEventListener("change", (event) => {
      if (event.target.matches("input[type=search], input[type=text], input[type=number], input:not([type])")) return;
      clearTimeout(filterTimer);
      filterTimer = setTimeout(load, FILTER_DEBOUNCE_MS);
    });
    // Clearing reloads the bare page at the same view: every field back to its default.
    form.querySelector(".filter-clear")?.addEventListener("click", (event) => {
      event.preventDefault();
      window.location.assign(event.currentTarget.href + viewHash(map));
    });
    form.querySelector(".sheet-done")?.addEventListener("click", () => {
      form.querySelector(".filter-more")?.removeAttribute("open");
    });
  }

  // On a phone the page shows the map or the list, one tap apart.
  function showView(view) {
    if (!layout) return;
    layout.dataset.view = view;
    for (const button of document.querySelectorAll("[data-show-view]")) {
      button.setAttribute("aria-pressed", String(button.dataset.showView === view));
    }
    if (view === "map") map.invalidateSize();
  }
  for (const button of document.querySelectorAll("[data-show-view]")) {
    button.addEventListener("click", () => showView(button.dataset.showView));
  }
  document.querySelector(".skip-to-list")?.addEventListener("click", () => {
    if (PHONE.matches) showView("list");
  });

  load();
  return map;
}

// A job's own page: its pin, and a remote job's allowed area shaded.
function single(mapEl) {
  const lat = Number(mapEl.dataset.lat);
  const lng = Number(mapEl.dataset.lng);
  const map = L.map(mapEl, { scrollWheelZoom: false, keyboard: false }).setView([lat, lng], 11);
  addTiles(map, mapEl);
  L.marker([lat, lng], { icon: pinIcon(), keyboard: false, interactive: false }).addTo(map);
  const remote = (mapEl.dataset.remoteCountries || "").split(",").filter(Boolean);
  if (remote.length) shadeCountries(map, mapEl, remote, { fit: true });
  return map;
}

// Kinds of map. A mode names its points (one, many) and how a single point is drawn;
// without `single`, every feature is drawn as a cluster.
// `prune` drops filter parameters that mean nothing on their own; `request` adds what
// the requests need beyond the URL's filters; `bboxPad` widens a one-point box by the
// rounding of the coordinates the API sends.
function jobMarker(feature) {
  return L.marker(featureLatLng(feature), { icon: pinIcon(feature.properties.remote ? "job-pin-remote" : ""), keyboard: true });
}

const MODES = {
  browse: {
    noun: ["job", "jobs"],
    single: jobMarker,
    prune: pruneJobFilters,
    request: jobRequestParams,
    bboxPad: 1e-6,
  },
  // People are only ever clusters (the server never sends fewer than five together).
  candidates: { noun: ["candidate", "candidates"], prune: pruneCandidateFilters, bboxPad: 1e-4 },
};
const GENERIC = { noun: ["point", "points"] };

const mapEl = document.getElementById("map");
if (mapEl && L) {
  window.mapertunityMap =
    mapEl.dataset.mode === "single"
      ? single(mapEl)
      : createBrowser(mapEl, MODES[mapEl.dataset.mode] || GENERIC);
}
