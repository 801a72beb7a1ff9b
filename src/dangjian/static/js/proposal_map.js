/* The joint-build planner's map: each proposed group's units as coloured points, joined to the
 * group's centre; nearby candidates (on a group's page) as grey rings. Tiles come from the
 * DANGJIAN_MAP_TILE_URL setting; without one the map is a plain background with the points only,
 * so it works on a network that reaches no tile server. Data: a JSON script element
 * (json_script), read here; nothing inline, so the page keeps its strict CSP. */
(function () {
  "use strict";

  var PALETTE = ["#c8102e", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

  function colour(group) {
    if (group.status === "declined") return "#adb5bd";
    return PALETTE[(group.number - 1) % PALETTE.length];
  }

  function centre(units) {
    var lat = 0, lon = 0;
    units.forEach(function (u) { lat += u.lat; lon += u.lon; });
    return [lat / units.length, lon / units.length];
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { preferCanvas: false, attributionControl: Boolean(data.tiles) });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: "&copy; map data" }).addTo(map);
    } else {
      element.classList.add("proposal-map-plain");
    }
    var bounds = [];
    (data.groups || []).forEach(function (group) {
      if (!group.units.length) return;
      var c = centre(group.units);
      var col = colour(group);
      group.units.forEach(function (u) {
        L.polyline([c, [u.lat, u.lon]], { color: col, weight: 1, opacity: 0.6 }).addTo(map);
        var marker = L.circleMarker([u.lat, u.lon], {
          radius: 7, color: col, weight: 2, fillColor: col, fillOpacity: group.valid ? 0.8 : 0.3
        }).addTo(map);
        marker.bindTooltip(text(u.name) + (u.members !== null && u.members !== undefined ? " · " + u.members : ""));
        if (group.url) marker.on("click", function () { window.location.href = group.url; });
        bounds.push([u.lat, u.lon]);
      });
      L.marker(c, {
        icon: L.divIcon({ className: "proposal-map-label", html: "<span>" + group.number + "</span>", iconSize: [22, 22] })
      }).addTo(map);
    });
    (data.candidates || []).forEach(function (u) {
      L.circleMarker([u.lat, u.lon], { radius: 6, color: "#6c757d", weight: 2, fill: false, dashArray: "2,3" })
        .bindTooltip(text(u.name) + " · " + u.members)
        .addTo(map);
      bounds.push([u.lat, u.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView([20.03, 110.33], 12); // Longhua District, Haikou
      element.insertAdjacentHTML("beforeend", '<div class="proposal-map-empty small text-secondary">' + text(element.dataset.noPosition || "") + "</div>");
    }
    element.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-source][id=proposal-map]").forEach(draw);
  });
})();
