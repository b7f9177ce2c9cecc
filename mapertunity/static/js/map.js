// The map: Leaflet draws, the server clusters. The browser only ever receives the
// clusters and single points of the viewport it is showing, filtered by the page's form.
//
// One browsing engine serves every kind of map: a mode (see MODES at the bottom) says
// what the points are called and how a single point is drawn; the page's markup names
// the endpoints (data-api, data-list) and the filter form (data-filters).
const L = window.L;

const DEFAULT_VIEW = { zoom: 3, lat: 30, lng: 0 };
const MOVE_DEBOUNCE_MS = 250;
const FILTER_DEBOUNCE_MS = 350;

function abbreviate(n) {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0).replace(/\.0$/, "")}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0).replace(/\.0$/, "")}M`;
}

function plural(n, [one, many]) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function addTiles(map, el) {
  L.tileLayer(el.dataset.tileUrl, {
    attribution: el.dataset.tileAttribution,
    maxZoom: 19,
  }).addTo(map);
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

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

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

// Candidate filters: a budget's currency and period only mean something with an amount.
function pruneCandidateFilters(params) {
  if (!params.has("max_pay")) {
    params.delete("currency");
    params.delete("period");
  }
}

function clusterMarker(map, feature, noun) {
  const [lng, lat] = feature.geometry.coordinates;
  const count = feature.properties.point_count;
  const size = count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
  const icon = L.divIcon({
    html: `<span>${abbreviate(count)}</span>`,
    className: `cluster cluster-${size}`,
    iconSize: null,
  });
  const marker = L.marker([lat, lng], {
    icon,
    title: `${plural(count, noun)} here: zoom in`,
    alt: plural(count, noun),
    keyboard: true,
    riseOnHover: true,
  });
  marker.on("click", () => {
    const [w, s, e, n] = feature.properties.bbox;
    const bounds = L.latLngBounds([s, w], [n, e]);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView([lat, lng], Math.min(map.getZoom() + 3, map.getMaxZoom()));
    } else {
      map.fitBounds(bounds.pad(0.1), { maxZoom: Math.max(map.getZoom() + 1, 3) + 6 });
    }
  });
  return marker;
}

function jobPopup(props) {
  const box = el("div", { class: "popup-job" });
  const title = el("a", { href: props.url, class: "popup-title" }, props.title);
  box.append(title, el("div", { class: "popup-company" }, props.company));
  box.append(el("div", { class: "popup-pay" }, props.pay));
  box.append(el("div", { class: "popup-place" }, props.place));
  return box;
}

function jobMarker(feature) {
  const [lng, lat] = feature.geometry.coordinates;
  const props = feature.properties;
  const marker = L.marker([lat, lng], {
    icon: L.divIcon({ className: "job-pin", html: "<span></span>", iconSize: [18, 18] }),
    title: `${props.title}, ${props.company}`,
    alt: props.title,
    keyboard: true,
  });
  marker.bindPopup(() => jobPopup(props), { minWidth: 200 });
  return marker;
}

// Browse a map of clustered points: debounced requests on every move, stale ones
// cancelled, the list beside the map kept to the same box and filters.
function createBrowser(mapEl, mode) {
  const start = readHash() || DEFAULT_VIEW;
  const map = L.map(mapEl, { worldCopyJump: true, minZoom: 1, maxZoom: 19 }).setView(
    [start.lat, start.lng],
    start.zoom,
  );
  addTiles(map, mapEl);
  const layer = L.layerGroup().addTo(map);
  const status = document.getElementById("map-status");
  const list = document.getElementById("job-list");
  const form = mapEl.dataset.filters ? document.getElementById(mapEl.dataset.filters) : null;
  let mapRequest = null;
  let listRequest = null;
  let moveTimer = null;
  let filterTimer = null;
  let loadedKey = null;
  let nearCircle = null;
  let nearShown = null;
  let fitNear = false;

  function bboxParam() {
    const b = map.getBounds();
    const west = b.getWest();
    const east = b.getEast();
    const south = Math.max(b.getSouth(), -90).toFixed(5);
    const north = Math.min(b.getNorth(), 90).toFixed(5);
    if (east - west >= 360) return `-180,${south},180,${north}`;
    return `${west.toFixed(5)},${south},${east.toFixed(5)},${north}`;
  }

  function writeUrl(filters) {
    const query = filters.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ""}${viewHash(map)}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      history.replaceState(null, "", url);
    }
  }

  async function loadList(url) {
    if (!list) return;
    listRequest?.abort();
    listRequest = new AbortController();
    list.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        headers: { "HX-Request": "true" },
        signal: listRequest.signal,
      });
      list.innerHTML = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") list.querySelector(".result-count")?.append(" (not refreshed)");
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  function showNear(near) {
    const key = near ? `${near.lat},${near.lng},${near.radius_km}` : null;
    if (key === nearShown) return;
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

  async function load({ force = false } = {}) {
    const filters = filterParams(form, mode);
    const query = new URLSearchParams(filters);
    query.set("bbox", bboxParam());
    writeUrl(filters);
    const key = `${query}&zoom=${map.getZoom()}`;
    // Nothing changed (a tiny pan inside rounding, a repeated submit): no request.
    if (key === loadedKey && !force) return;
    loadedKey = key;
    loadList(`${mapEl.dataset.list}?${query}`);
    mapRequest?.abort();
    mapRequest = new AbortController();
    query.set("zoom", map.getZoom());
    status.textContent = `Loading ${mode.noun[1]}…`;
    mapEl.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${mapEl.dataset.api}?${query}`, { signal: mapRequest.signal });
      const data = await response.json();
      if (!response.ok) throw new Error(data.detail || response.statusText);
      layer.clearLayers();
      for (const feature of data.features) {
        const props = feature.properties;
        layer.addLayer(
          props.cluster || !mode.single
            ? clusterMarker(map, feature, mode.noun)
            : mode.single(feature),
        );
      }
      status.textContent = data.total
        ? `${plural(data.total, mode.noun)} in view`
        : `No ${mode.noun[1]} in this area. Zoom out${form ? " or loosen the filters" : ""} to see more.`;
      mapEl.dataset.total = data.total;
      showNear(data.near);
      fitNear = false;
    } catch (error) {
      if (error.name === "AbortError") return;
      loadedKey = null;
      status.textContent = error.message?.includes(":")
        ? `Check the filters: ${error.message}`
        : `Couldn't load ${mode.noun[1]}. Move the map to try again.`;
    } finally {
      mapEl.removeAttribute("aria-busy");
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
  window.addEventListener("hashchange", () => {
    const view = readHash();
    if (view) map.setView([view.lat, view.lng], view.zoom);
  });
  list?.addEventListener("click", (event) => {
    const link = event.target.closest(".pagination a");
    if (!link) return;
    event.preventDefault();
    loadList(link.href);
    list.scrollTop = 0;
  });
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(filterTimer);
      form.querySelector(".filter-errors")?.remove();
      fitNear = filterParams(form, mode).has("near");
      nearShown = null;
      load({ force: true });
    });
    // Ticking a box or choosing from a list applies at once (debounced); typed text
    // waits for Enter or the Search button, so typing never fires a search per key.
    form.addEventListener("change", (event) => {
      if (event.target.matches("input[type=search], input[type=text], input[type=number]")) return;
      clearTimeout(filterTimer);
      filterTimer = setTimeout(load, FILTER_DEBOUNCE_MS);
    });
    // Clearing reloads the bare page at the same view: every field back to its default.
    form.querySelector(".filter-clear")?.addEventListener("click", (event) => {
      event.preventDefault();
      window.location.assign(event.currentTarget.href + viewHash(map));
    });
  }
  fitNear = !readHash() && filterParams(form, mode).has("near");
  load();
  return map;
}

function single(mapEl) {
  const lat = Number(mapEl.dataset.lat);
  const lng = Number(mapEl.dataset.lng);
  const map = L.map(mapEl, { scrollWheelZoom: false }).setView([lat, lng], 11);
  addTiles(map, mapEl);
  L.marker([lat, lng], {
    icon: L.divIcon({ className: "job-pin", html: "<span></span>", iconSize: [18, 18] }),
    title: mapEl.dataset.title,
  }).addTo(map);
  return map;
}

// Kinds of map. A mode names its points (one, many) and how a single point is drawn;
// without `single`, every feature is drawn as a cluster.
// `prune` drops filter parameters that mean nothing on their own.
const MODES = {
  browse: { noun: ["job", "jobs"], single: jobMarker, prune: pruneJobFilters },
  // People are only ever clusters (the server never sends fewer than five together).
  candidates: { noun: ["candidate", "candidates"], prune: pruneCandidateFilters },
};
const GENERIC = { noun: ["point", "points"] };

const mapEl = document.getElementById("map");
if (mapEl && L) {
  window.mapertunityMap =
    mapEl.dataset.mode === "single"
      ? single(mapEl)
      : createBrowser(mapEl, MODES[mapEl.dataset.mode] || GENERIC);
}
