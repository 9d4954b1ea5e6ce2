// The PeaceOps map: an offline base layer, then the layers each module contributes (GeoJSON from this server
// only). A layer's FeatureCollection may carry hints: `timeline` (filtered by the time slider), `heat` (also
// drawn as a heat map), `editable` (this user may draw and change its features), `posts_near_url` (clicking
// the map asks which observation posts could have seen that point).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var T = JSON.parse((document.getElementById("map-text") || {}).textContent || "{}");
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]) || "";
  var map = L.map(el, { preferCanvas: false, doubleClickZoom: false });
  var b = (el.dataset.bounds || "39.55,46.40,40.30,47.25").split(",").map(Number);
  var opening = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
  map.fitBounds(opening);  // the area of operations, from settings; never the capitals
  map.createPane("basemap").style.zIndex = 250;
  map.createPane("areas").style.zIndex = 350;
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 18 }).addTo(map); }
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  var control = L.control.layers(null, {}, { collapsed: window.innerWidth < 700 }).addTo(map);
  var postsNearUrl = null;
  var timelines = [];  // {layer, features}
  var heat = null;

  var lang = (document.documentElement.lang || "en").split("-")[0];
  // The offline base layer carries every language's name (name_ru…); the page shows its own.
  function localName(props) { return props["name_" + lang] || props.name; }
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }
  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", body: JSON.stringify(body || {}),
                        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf } })
      .then(function (r) { return r.json().then(function (d) { if (!r.ok) { throw new Error(d.error || r.status); } return d; }); });
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }

  // --- the base layer --------------------------------------------------------------------------------------
  var BASE = {
    frame: { color: "#7a8794", weight: 1.5, dashArray: "6 4", fill: false, interactive: false },
    graticule: { color: "#c5cfd6", weight: 0.6, interactive: false },
    district: { color: "#b8ad8f", weight: 1, fillColor: "#f3efe2", fillOpacity: 0.7, interactive: false },
    added: { color: "#9c7b4f", weight: 1.5, interactive: false }
  };
  getJSON(el.dataset.basemapUrl).then(function (data) {
    L.geoJSON(data, {
      pane: "basemap",
      style: function (f) { return BASE[f.properties.kind] || BASE.added; },
      pointToLayer: function (f, latlng) {
        if (f.properties.kind === "district_label") {
          return L.marker(latlng, { pane: "basemap", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "map-district", html: text(localName(f.properties)), iconSize: null }) });
        }
        return L.circleMarker(latlng, { pane: "basemap", radius: 2, color: "#8895a0", weight: 1, interactive: false });
      }
    }).addTo(map);
  });

  // --- a layer from a module ---------------------------------------------------------------------------------
  function popupFor(props, latlng, spec, lyr) {
    var box = document.createElement("div");
    var html = "<strong>" + text(props.name || props.title || "") + "</strong>";
    if (props.kind_label) { html += "<br><em>" + text(props.kind_label) + "</em>"; }
    if (props.aliases && props.aliases.length) { html += "<br>" + props.aliases.map(text).join(" · "); }
    if (props.summary) { html += "<br>" + text(props.summary); }
    if (props.url) { html += '<br><a href="' + encodeURI(props.url) + '">' + text(props.link_label || T.open || "open") + "</a>"; }
    box.innerHTML = html;
    if (latlng && postsNearUrl && !props.radius_m) {  // a point (incident, place): the posts around it
      button(box, T.whichPosts, function () { whichPosts(latlng); });
    }
    if (props.editable && spec.editable) {
      button(box, T.edit, function () { map.closePopup(); startEdit(spec, lyr, props); });
      button(box, T.retire, function () { retire(spec, props); });
    }
    return box;
  }
  function button(parent, label, onclick) {
    var btn = document.createElement("button");
    btn.type = "button"; btn.className = "map-button"; btn.textContent = label;
    btn.addEventListener("click", function (ev) { L.DomEvent.stop(ev); onclick(); });
    parent.appendChild(document.createElement("br")); parent.appendChild(btn);
    return btn;
  }

  function geoLayer(spec) {
    return L.geoJSON(null, {
      pane: spec.editable || spec.key === "areas_of_responsibility" ? "areas" : "overlayPane",
      style: function (f) {
        var kind = f.geometry && f.geometry.type;
        if (kind === "Point") { return {}; }  // markers and buffers are styled where they are made
        var area = kind === "Polygon" || kind === "MultiPolygon";
        return { color: (f.properties || {}).color || spec.color || "#1f5f8b", weight: area ? 2 : 3,
                 fillOpacity: area ? 0.08 : 0.2, dashArray: spec.key === "patrol_tracks" ? "8 6" : null,
                 className: "shape-" + (spec.key || "layer") };
      },
      pointToLayer: function (feature, latlng) {
        var props = feature.properties || {};
        if (props.radius_m) {
          return L.circle(latlng, { radius: props.radius_m, color: spec.color, weight: 1, fillOpacity: 0.06,
                                    className: "buffer-" + (spec.key || "layer") });
        }
        var marker = L.circleMarker(latlng, {
          radius: props.radius || spec.radius || 6, color: props.color || spec.color || "#1f5f8b",
          weight: 2, fillOpacity: 0.7, className: "marker-" + (spec.key || "layer")
        });
        if (spec.labels) {
          marker.bindTooltip(text(props.name), { permanent: true, direction: "right", className: "map-label" });
        }
        return marker;
      },
      onEachFeature: function (feature, lyr) {
        var point = feature.geometry && feature.geometry.type === "Point" ?
          L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]) : null;
        lyr.bindPopup(function () { return popupFor(feature.properties || {}, point, spec, lyr); });
        // A click inside an area, a buffer or on a line still asks which posts saw it, or adds a vertex.
        lyr.on("click", function (ev) {
          if (drawing) { setTimeout(function () { map.closePopup(); }, 0); mapClick(ev); }
          else if (!point || (feature.properties || {}).radius_m) { mapClick(ev); }
        });
      }
    });
  }

  function addLayer(spec, data) {
    (function () {
      if (data.posts_near_url) { postsNearUrl = data.posts_near_url; }
      spec.editable = data.editable || null;
      spec.timelineLayer = !!data.timeline;
      var layer = geoLayer(spec);
      layer.addData(data);
      spec.layer = layer;
      control.addOverlay(layer, text(spec.label));
      if (spec.visible !== false) { layer.addTo(map); }
      if (data.timeline) { timelines.push({ layer: layer, features: data.features }); }
      if (data.heat) { addHeat(data.features); }
      if (data.editable) { editControl(spec); }
    })();
  }

  // --- heat map (drawn here on a canvas; no library) ---------------------------------------------------------
  var HeatLayer = L.Layer.extend({
    initialize: function (points) { this._points = points; },
    setPoints: function (points) { this._points = points; if (this._map) { this._redraw(); } },
    onAdd: function (m) {
      this._canvas = L.DomUtil.create("canvas", "map-heat leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      m.getPanes().overlayPane.appendChild(this._canvas);
      m.on("moveend zoomend resize", this._redraw, this);
      this._redraw();
    },
    onRemove: function (m) {
      L.DomUtil.remove(this._canvas);
      m.off("moveend zoomend resize", this._redraw, this);
    },
    _redraw: function () {
      var m = this._map, size = m.getSize(), c = this._canvas;
      L.DomUtil.setPosition(c, m.containerPointToLayerPoint([0, 0]));
      c.width = size.x; c.height = size.y;
      var ctx = c.getContext("2d");
      ctx.clearRect(0, 0, size.x, size.y);
      var r = Math.max(12, Math.min(40, 4 * (m.getZoom() - 5)));
      this._points.forEach(function (ll) {
        var p = m.latLngToContainerPoint(ll);
        if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) { return; }
        var g = ctx.createRadialGradient(p.x, p.y, 0, p.x, p.y, r);
        g.addColorStop(0, "rgba(0,0,0,0.35)"); g.addColorStop(1, "rgba(0,0,0,0)");
        ctx.fillStyle = g; ctx.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
      });
      if (!size.x || !size.y) { return; }
      var img = ctx.getImageData(0, 0, size.x, size.y), d = img.data;
      for (var i = 3; i < d.length; i += 4) {
        var a = d[i] / 255;  // density 0..1 → yellow, orange, red
        if (!a) { continue; }
        d[i - 3] = 255; d[i - 2] = Math.round(230 * (1 - a)); d[i - 1] = Math.round(60 * (1 - a));
        d[i] = Math.round(Math.min(1, a * 1.6) * 200);
      }
      ctx.putImageData(img, 0, 0);
    }
  });
  function pointsOf(features) {
    return features.filter(function (f) { return f.geometry && f.geometry.type === "Point"; })
      .map(function (f) { return L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]); });
  }
  function addHeat(features) {
    heat = new HeatLayer(pointsOf(features));
    control.addOverlay(heat, text(T.heat));
  }

  // --- time slider --------------------------------------------------------------------------------------------
  var dayInput = document.getElementById("map-day"), windowInput = document.getElementById("map-window");
  var days = [];
  function iso(d) { return d.toISOString().slice(0, 10); }
  function setupTimeline() {
    var dates = [];
    timelines.forEach(function (t) { t.features.forEach(function (f) { if (f.properties.date) { dates.push(f.properties.date); } }); });
    if (!dates.length || !dayInput) { return; }
    dates.sort();
    var d = new Date(dates[0] + "T00:00:00Z"), last = new Date(dates[dates.length - 1] + "T00:00:00Z");
    days = [];
    while (d <= last) { days.push(iso(d)); d.setUTCDate(d.getUTCDate() + 1); }
    dayInput.max = String(days.length - 1); dayInput.value = dayInput.max;
    document.getElementById("map-timeline").hidden = false;
    dayInput.addEventListener("input", applyTimeline);
    windowInput.addEventListener("change", applyTimeline);
    applyTimeline();
  }
  function applyTimeline() {
    var end = days[Number(dayInput.value)] || days[days.length - 1];
    var span = Number(windowInput.value);
    var start = "0000-00-00";
    if (span > 0) { var s = new Date(end + "T00:00:00Z"); s.setUTCDate(s.getUTCDate() - span + 1); start = iso(s); }
    var shown = [];
    timelines.forEach(function (t) {
      var kept = t.features.filter(function (f) { var x = f.properties.date; return !x || (x >= start && x <= end); });
      t.layer.clearLayers(); t.layer.addData(kept);
      shown = shown.concat(kept);
    });
    document.getElementById("map-day-label").textContent = span > 0 ? (start + " – " + end) : ("≤ " + end);
    document.getElementById("map-count").textContent = shown.length + " " + (T.incidentsShown || "");
    el.dataset.incidentsShown = String(shown.length);
    if (heat) { heat.setPoints(pointsOf(shown)); }
  }

  // --- which posts could have seen this point ---------------------------------------------------------------
  var postsPanel = document.getElementById("map-posts");
  var highlight = L.layerGroup().addTo(map);
  function whichPosts(latlng) {
    if (!postsNearUrl) { return Promise.resolve(); }
    var url = postsNearUrl + "?lat=" + latlng.lat.toFixed(5) + "&lon=" + latlng.lng.toFixed(5);
    return getJSON(url).then(function (data) {
      highlight.clearLayers();
      L.circle(latlng, { radius: data.km * 1000, color: "#1f5f8b", weight: 1, dashArray: "4 4", fillOpacity: 0.04,
                         interactive: false }).addTo(highlight);
      var html = "<h2>" + text(T.postsTitle) + "</h2>";
      if (!data.posts.length) {
        html += "<p>" + text((T.noPosts || "").replace("{km}", data.km)) + "</p>";
      } else {
        html += "<ul>" + data.posts.map(function (p) {
          L.polyline([latlng, [p.lat, p.lon]], { color: "#1f5f8b", weight: 2, interactive: false }).addTo(highlight);
          return '<li><a href="' + encodeURI(p.url) + '">' + text(p.name) + "</a> · " + text(p.km) + " km</li>";
        }).join("") + "</ul>";
      }
      postsPanel.innerHTML = html;
      postsPanel.hidden = false;
      el.dataset.postsShown = String(data.posts.length);
    });
  }

  // --- editing the line of contact and the areas of responsibility ------------------------------------------
  var editPanel = document.getElementById("map-edit");
  var drawing = null;  // {spec, points, shape, markers, props}
  function editControl(spec) {
    editPanel.hidden = false;
    var btn = document.createElement("button");
    btn.type = "button"; btn.className = "map-button"; btn.dataset.draw = spec.editable.kind;
    btn.textContent = (T.draw || "Draw") + ": " + spec.editable.label;
    btn.addEventListener("click", function () { startDraw(spec); });
    editPanel.appendChild(btn);
  }
  function shapeFor(spec, latlngs) {
    return spec.editable.draw === "polygon" ?
      L.polygon(latlngs, { color: spec.color, weight: 2, dashArray: "4 4", interactive: false }) :
      L.polyline(latlngs, { color: spec.color, weight: 3, dashArray: "4 4", interactive: false });
  }
  function drawBar(onFinish) {
    var bar = document.createElement("div");
    bar.className = "map-drawbar";
    bar.innerHTML = "<span>" + text(T.drawHint) + "</span> ";
    var fin = document.createElement("button"); fin.type = "button"; fin.textContent = T.finish || "Finish";
    fin.className = "map-button"; fin.dataset.action = "finish"; fin.addEventListener("click", onFinish);
    var cancel = document.createElement("button"); cancel.type = "button"; cancel.textContent = T.cancel || "Cancel";
    cancel.className = "map-button"; cancel.dataset.action = "cancel"; cancel.addEventListener("click", stopDraw);
    bar.appendChild(fin); bar.appendChild(cancel);
    editPanel.appendChild(bar);
  }
  function vertexMarker(ll, i) {
    var m = L.marker(ll, { draggable: true, icon: L.divIcon({ className: "map-vertex", iconSize: [12, 12] }) });
    m.on("drag", function () { drawing.points[i] = m.getLatLng(); drawing.shape.setLatLngs(drawing.points); });
    return m.addTo(drawing.markers);
  }
  function startDraw(spec) {
    stopDraw();
    drawing = { spec: spec, points: [], markers: L.layerGroup().addTo(map), props: null };
    drawing.shape = shapeFor(spec, []).addTo(map);
    el.classList.add("map-drawing");
    drawBar(finishDraw);
  }
  function startEdit(spec, lyr, props) {
    stopDraw();
    var latlngs = lyr.getLatLngs();
    while (latlngs.length && Array.isArray(latlngs[0]) && spec.editable.draw === "polygon") { latlngs = latlngs[0]; }
    if (Array.isArray(latlngs[0])) { latlngs = latlngs[0]; }  // a MultiLineString: its first part
    drawing = { spec: spec, points: latlngs.slice(), markers: L.layerGroup().addTo(map), props: props };
    drawing.shape = shapeFor(spec, drawing.points).addTo(map);
    drawing.points.forEach(vertexMarker);
    el.classList.add("map-drawing");
    drawBar(finishDraw);
  }
  function stopDraw() {
    if (!drawing) { return; }
    map.removeLayer(drawing.shape); map.removeLayer(drawing.markers);
    drawing = null;
    el.classList.remove("map-drawing");
    Array.prototype.slice.call(editPanel.querySelectorAll(".map-drawbar")).forEach(function (n) { n.remove(); });
  }
  function geometryOf(spec, points) {
    var coords = points.map(function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; });
    if (spec.editable.draw === "polygon") { return { type: "Polygon", coordinates: [coords.concat([coords[0]])] }; }
    return { type: "LineString", coordinates: coords };
  }
  function finishDraw() {
    if (!drawing) { return; }
    var d = drawing, body = { kind: d.spec.editable.kind, geometry: geometryOf(d.spec, d.points) };
    if (d.props) {
      body.id = d.props.id; body.revision = d.props.revision; body.name = d.props.name;
    } else {
      var name = window.prompt(T.name || "Name", "");
      if (!name) { return; }
      body.name = name;
    }
    post(d.spec.editable.save_url, body).then(function () {
      stopDraw();
      return reload(d.spec).then(function () { say(T.saved); });
    }).catch(function (err) { say(err.message, true); });
  }
  function retire(spec, props) {
    if (!window.confirm(T.confirmRetire)) { return; }
    post(spec.editable.retire_url.replace("/0/", "/" + props.id + "/"), { revision: props.revision })
      .then(function () { map.closePopup(); reload(spec); }).catch(function (err) { say(err.message, true); });
  }
  function reload(spec) {
    return getJSON(spec.url).then(function (data) { spec.layer.clearLayers(); spec.layer.addData(data); });
  }
  function say(message, error) {
    var p = editPanel.querySelector(".map-message") || editPanel.appendChild(document.createElement("p"));
    p.className = "map-message" + (error ? " error" : "");
    p.setAttribute("role", error ? "alert" : "status");
    p.textContent = message || "";
  }

  function mapClick(ev) {
    if (drawing) {
      drawing.points.push(ev.latlng);
      drawing.shape.setLatLngs(drawing.points);
      vertexMarker(ev.latlng, drawing.points.length - 1);
      return;
    }
    whichPosts(ev.latlng);
  }
  map.on("click", mapClick);

  getJSON(el.dataset.layersUrl)
    .then(function (specs) {
      // Fetched together, added in the order the modules list them (a steady layer list and drawing order).
      return Promise.all(specs.layers.map(function (spec) { return getJSON(spec.url); })).then(function (all) {
        specs.layers.forEach(function (spec, i) { addLayer(spec, all[i]); });
      });
    })
    .then(function () { setupTimeline(); el.dataset.ready = "true"; });
})();
