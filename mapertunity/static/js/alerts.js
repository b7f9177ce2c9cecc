// Alerts on the map page: "Save this search" (the view and the filters) and "Draw an
// area" (a polygon, drawn with plain Leaflet), both saved through the same form
// (POST /alerts/new/). Without JavaScript "Save this search" is a plain link to that page.
//
// Drawing: click the map to add corners; double-click or "Finish" closes the area,
// "Cancel" drops it. "Add corner here" adds the map's centre, so the keyboard can draw
// too (arrow keys pan the map). Also: Save buttons on job cards the map loads are handed
// to htmx, which only knows the content it swapped in itself.
const L = window.L;
const map = window.mapertunityMap;
const tools = document.querySelector("[data-alert-tools]");

// The same box the map asks the server for (map.js bboxParam): west > east across ±180.
function viewBox(leafletMap) {
  const b = leafletMap.getBounds();
  const west = b.getWest();
  const east = b.getEast();
  const south = Math.max(b.getSouth(), -90).toFixed(5);
  const north = Math.min(b.getNorth(), 90).toFixed(5);
  if (east - west >= 360) return `-180,${south},180,${north}`;
  return `${west.toFixed(5)},${south},${east.toFixed(5)},${north}`;
}

// The filter form's non-empty values, pruned as the map prunes them.
function filterParams() {
  const form = document.getElementById("job-filters");
  const params = new URLSearchParams();
  if (!form) return params;
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.append(key, value.trim());
  }
  if (!params.has("salary_min")) {
    params.delete("currency");
    params.delete("period");
  }
  if (!params.has("near")) params.delete("radius_km");
  params.delete("page");
  return params;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function setUp() {
  const saveLink = tools.querySelector("[data-save-search]");
  const drawStart = tools.querySelector("[data-draw-start]");
  const bar = tools.querySelector("[data-draw-bar]");
  const form = tools.querySelector("[data-alert-save]");
  const mapEl = map.getContainer();

  // Signed out: keep the link, but let it carry the current view and filters.
  if (!form) {
    saveLink.addEventListener("click", () => {
      const query = filterParams();
      query.set("bbox", viewBox(map));
      saveLink.href = `${saveLink.pathname}?${query}`;
    });
    return;
  }

  const count = bar.querySelector("[data-draw-count]");
  const addButton = bar.querySelector("[data-draw-add]");
  const undoButton = bar.querySelector("[data-draw-undo]");
  const finishButton = bar.querySelector("[data-draw-finish]");
  const cancelButton = bar.querySelector("[data-draw-cancel]");
  const areaText = form.querySelector("[data-alert-area]");
  const nameInput = form.querySelector("input[name=name]");
  const filtersBox = form.querySelector("[data-alert-filters]");

  let points = [];
  let drawing = false;
  let shape = null;
  let opener = null;

  function redraw({ closed = false } = {}) {
    shape?.remove();
    shape = null;
    if (!points.length) return;
    const style = { color: "#0f766e", weight: 3, fillOpacity: 0.15, interactive: false };
    shape = closed || points.length > 2 ? L.polygon(points, style) : L.polyline(points, style);
    if (!closed && points.length === 1) shape = L.circleMarker(points[0], { ...style, radius: 5 });
    shape.addTo(map);
  }

  function updateBar() {
    count.textContent = points.length
      ? `${plural(points.length, "corner", "corners")}.${points.length < 3 ? " At least three make an area." : ""}`
      : "No corners yet.";
    undoButton.disabled = points.length === 0;
    finishButton.disabled = points.length < 3;
  }

  function addPoint(latlng) {
    const last = points[points.length - 1];
    if (last) {
      // A double-click's two clicks land on one spot: one corner, not two.
      const a = map.latLngToContainerPoint(last);
      const b = map.latLngToContainerPoint(latlng);
      if (a.distanceTo(b) < 4) return;
    }
    points.push(latlng);
    redraw();
    updateBar();
  }

  function onMapClick(event) {
    if (drawing) addPoint(event.latlng);
  }

  function onMapDoubleClick(event) {
    if (!drawing) return;
    L.DomEvent.stop(event);
    if (points.length >= 3) finish();
  }

  function startDrawing() {
    closeForm();
    points = [];
    drawing = true;
    redraw();
    updateBar();
    bar.hidden = false;
    drawStart.setAttribute("aria-pressed", "true");
    mapEl.classList.add("is-drawing");
    map.doubleClickZoom.disable();
    addButton.focus();
  }

  function stopDrawing() {
    drawing = false;
    bar.hidden = true;
    drawStart.setAttribute("aria-pressed", "false");
    mapEl.classList.remove("is-drawing");
    map.doubleClickZoom.enable();
  }

  function cancelDrawing() {
    stopDrawing();
    points = [];
    redraw();
    drawStart.focus();
  }

  function finish() {
    if (points.length < 3) return;
    stopDrawing();
    redraw({ closed: true });
    const ring = points.map((p) => [Number(p.lng.toFixed(7)), Number(p.lat.toFixed(7))]);
    openForm({ polygon: JSON.stringify(ring), text: `The area you drew (${plural(points.length, "corner", "corners")}).` }, drawStart);
  }

  function openForm({ bbox = "", polygon = "", text }, from) {
    opener = from;
    form.elements.bbox.value = bbox;
    form.elements.polygon.value = polygon;
    areaText.textContent = text;
    if (!nameInput.value) nameInput.value = filterParams().get("q") || "Jobs in this area";
    form.hidden = false;
    nameInput.focus();
    nameInput.select();
  }

  function closeForm() {
    form.hidden = true;
    if (!drawing) {
      points = [];
      redraw();
    }
    opener?.focus();
    opener = null;
  }

  saveLink.addEventListener("click", (event) => {
    event.preventDefault();
    if (drawing) stopDrawing();
    points = [];
    redraw();
    openForm({ bbox: viewBox(map), text: "The part of the map you see now, with the filters you chose." }, saveLink);
  });
  drawStart.hidden = false;
  drawStart.setAttribute("aria-pressed", "false");
  drawStart.addEventListener("click", () => (drawing ? cancelDrawing() : startDrawing()));
  addButton.addEventListener("click", () => addPoint(map.getCenter()));
  undoButton.addEventListener("click", () => {
    points.pop();
    redraw();
    updateBar();
  });
  finishButton.addEventListener("click", finish);
  cancelButton.addEventListener("click", cancelDrawing);
  form.querySelector("[data-alert-cancel]").addEventListener("click", closeForm);
  bar.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancelDrawing();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeForm();
  });
  map.on("click", onMapClick);
  map.on("dblclick", onMapDoubleClick);

  // The filters go with the form as they are when it is sent.
  form.addEventListener("submit", () => {
    filtersBox.replaceChildren();
    for (const [key, value] of filterParams()) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = key;
      input.value = value;
      filtersBox.append(input);
    }
  });
}

// Save buttons in content map.js loaded (the side list, popups) work through htmx too.
function handSaveButtonsToHtmx() {
  const htmx = window.htmx;
  if (!htmx) return;
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const form of node.matches?.(".save-job") ? [node] : node.querySelectorAll(".save-job")) {
          if (!form.dataset.htmxReady) {
            form.dataset.htmxReady = "1";
            htmx.process(form);
          }
        }
      }
    }
  });
  for (const root of [document.getElementById("job-list"), document.getElementById("map")]) {
    if (root) observer.observe(root, { childList: true, subtree: true });
  }
}

if (tools && map && L) setUp();
handSaveButtonsToHtmx();
