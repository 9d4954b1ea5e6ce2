// The PeaceOps map: layers contributed by each module, drawn over the gazetteer (tiles only if configured).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { preferCanvas: false }).setView([39.8, 46.6], 9);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
  }
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  var control = L.control.layers(null, {}, { collapsed: false }).addTo(map);
  var bounds = L.latLngBounds([]);
  var focus = false;

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  function popup(props) {
    var html = "<strong>" + text(props.name || props.title || "") + "</strong>";
    if (props.kind_label) { html += "<br><em>" + text(props.kind_label) + "</em>"; }
    if (props.aliases && props.aliases.length) { html += "<br>" + props.aliases.map(text).join(" · "); }
    if (props.summary) { html += "<br>" + text(props.summary); }
    if (props.url) { html += '<br><a href="' + encodeURI(props.url) + '">' + text(props.link_label || "open") + "</a>"; }
    return html;
  }

  function addLayer(spec) {
    return fetch(spec.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return { color: spec.color || "#1f5f8b", weight: 3 }; },
        pointToLayer: function (feature, latlng) {
          var props = feature.properties || {};
          var marker = L.circleMarker(latlng, {
            radius: props.radius || spec.radius || 6, color: props.color || spec.color || "#1f5f8b",
            weight: 2, fillOpacity: 0.7, className: "marker-" + (spec.key || "layer")
          });
          if (spec.labels) {
            marker.bindTooltip(text(props.name), { permanent: true, direction: "right", className: "map-label" });
          }
          return marker;
        },
        onEachFeature: function (feature, lyr) { lyr.bindPopup(popup(feature.properties || {})); }
      });
      control.addOverlay(layer, spec.label);
      if (spec.visible !== false) { layer.addTo(map); }
      // Open on the area of operations (the posts), not on every far-away gathering point.
      var b = layer.getBounds && layer.getBounds();
      if (b && b.isValid() && (spec.key === "observation_posts" || !focus)) { bounds.extend(b); }
      if (spec.key === "observation_posts" && b && b.isValid()) { focus = true; }
    });
  }

  fetch(el.dataset.layersUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (specs) { return Promise.all(specs.layers.map(addLayer)); })
    .then(function () {
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05)); }
      el.dataset.ready = "true";
    });
})();
