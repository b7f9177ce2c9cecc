// The map: Leaflet draws, the server clusters. The browser only ever receives the
// clusters and single jobs of the viewport it is showing.
const L = window.L;

const DEFAULT_VIEW = { zoom: 3, lat: 30, lng: 0 };
const DEBOUNCE_MS = 200;

function abbreviate(n) {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0).replace(/\.0$/, "")}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0).replace(/\.0$/, "")}M`;
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

function writeHash(map) {
  const c = map.getCenter();
  const hash = `#${map.getZoom()}/${c.lat.toFixed(4)}/${c.wrap().lng.toFixed(4)}`;
  if (hash !== window.location.hash) history.replaceState(null, "", hash);
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function jobPopup(props) {
  const box = el("div", { class: "popup-job" });
  const title = el("a", { href: props.url, class: "popup-title" }, props.title);
  box.append(title, el("div", { class: "popup-company" }, props.company));
  box.append(el("div", { class: "popup-pay" }, props.pay));
  box.append(el("div", { class: "popup-place" }, props.place));
  return box;
}

function clusterMarker(map, feature) {
  const [lng, lat] = feature.geometry.coordinates;
  const count = feature.properties.point_count;
  const size = count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
  const label = abbreviate(count);
  const icon = L.divIcon({
    html: `<span>${label}</span>`,
    className: `cluster cluster-${size}`,
    iconSize: null,
  });
  const marker = L.marker([lat, lng], {
    icon,
    title: `${count} jobs here: zoom in`,
    alt: `${count} jobs`,
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

function browse(mapEl) {
  const start = readHash() || DEFAULT_VIEW;
  const map = L.map(mapEl, { worldCopyJump: true, minZoom: 1, maxZoom: 19 }).setView(
    [start.lat, start.lng],
    start.zoom,
  );
  addTiles(map, mapEl);
  const layer = L.layerGroup().addTo(map);
  const status = document.getElementById("map-status");
  const list = document.getElementById("job-list");
  let mapRequest = null;
  let listRequest = null;
  let timer = null;

  function bboxParam() {
    const b = map.getBounds();
    const west = b.getWest();
    const east = b.getEast();
    const south = Math.max(b.getSouth(), -90);
    const north = Math.min(b.getNorth(), 90);
    if (east - west >= 360) return `-180,${south},180,${north}`;
    return [west, south, east, north].map((v) => v.toFixed(5)).join(",");
  }

  async function loadList(url) {
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

  async function loadMarkers() {
    mapRequest?.abort();
    mapRequest = new AbortController();
    const query = `bbox=${bboxParam()}&zoom=${map.getZoom()}`;
    status.textContent = "Loading jobs…";
    mapEl.setAttribute("aria-busy", "true");
    loadList(`${mapEl.dataset.list}?bbox=${bboxParam()}`);
    try {
      const response = await fetch(`${mapEl.dataset.api}?${query}`, { signal: mapRequest.signal });
      const data = await response.json();
      if (!response.ok) throw new Error(data.detail || response.statusText);
      layer.clearLayers();
      for (const feature of data.features) {
        layer.addLayer(
          feature.properties.cluster ? clusterMarker(map, feature) : jobMarker(feature),
        );
      }
      status.textContent = data.total
        ? `${data.total.toLocaleString()} job${data.total === 1 ? "" : "s"} in view`
        : "No jobs in this area. Zoom out to see more.";
      mapEl.dataset.total = data.total;
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = "Couldn't load jobs. Move the map to try again.";
    } finally {
      mapEl.removeAttribute("aria-busy");
    }
  }

  function refresh() {
    writeHash(map);
    clearTimeout(timer);
    timer = setTimeout(loadMarkers, DEBOUNCE_MS);
  }

  map.on("moveend", refresh);
  window.addEventListener("hashchange", () => {
    const view = readHash();
    if (view) map.setView([view.lat, view.lng], view.zoom);
  });
  list.addEventListener("click", (event) => {
    const link = event.target.closest(".pagination a");
    if (!link) return;
    event.preventDefault();
    loadList(link.href);
    list.scrollTop = 0;
  });
  loadMarkers();
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

const mapEl = document.getElementById("map");
if (mapEl && L) {
  window.mapertunityMap = mapEl.dataset.mode === "single" ? single(mapEl) : browse(mapEl);
}
