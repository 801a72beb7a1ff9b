/* The coverage map (measure 4): units coloured by coverage status, with the vendored Leaflet.
 * Points come from the scoped JSON endpoint for the visible box only; when a box holds too many
 * units the server sends grid clusters instead. Tiles come from DANGJIAN_MAP_TILE_URL; with none
 * (or offline) the map is a plain background with each street's name and the outline of its
 * units, and a scale. Config: the JSON script element #coverage-map-config (json_script). */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function start() {
    var element = document.getElementById("coverage-map");
    var source = document.getElementById("coverage-map-config");
    if (!element || !source || typeof L === "undefined") return;
    var config = JSON.parse(source.textContent);
    var text = config.text;
    var colours = {};
    text.statuses.forEach(function (s) { colours[s.value] = s.colour; });
    var statusLabels = {};
    text.statuses.forEach(function (s) { statusLabels[s.value] = s.label; });
    var statusLine = document.getElementById("coverage-map-status");

    var map = L.map(element, { preferCanvas: true, attributionControl: Boolean(config.tile_url) });
    L.control.scale({ imperial: false }).addTo(map);
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { maxZoom: 19, attribution: "&copy; map data" }).addTo(map);
    } else if (config.background) {
      config.background.streets.forEach(function (street) {
        if (street.outline.length >= 3) {
          L.polygon(street.outline, {
            color: "#495057", weight: 1, dashArray: "4,4", fillColor: "#ffffff", fillOpacity: 0.5, interactive: false
          }).addTo(map);
        }
        if (street.label) {
          L.tooltip({ permanent: true, direction: "center", className: "coverage-map-street" })
            .setLatLng(street.label).setContent(street.name).addTo(map);
        }
      });
    }
    var background = config.background || {};
    if (background.bounds) {
      map.fitBounds(background.bounds, { padding: [16, 16] });
    } else {
      map.setView(background.centre || [20.03, 110.33], 12);
    }

    var layer = L.layerGroup().addTo(map);
    var filters = new URLSearchParams(window.location.search);
    var controller = null;
    var timer = null;

    function escape(value) {
      var span = document.createElement("span");
      span.textContent = value;
      return span.innerHTML;
    }

    function drawPoints(points) {
      points.forEach(function (p) {
        var id = p[0], name = p[1], status = p[4], preparing = p[5];
        var colour = colours[status] || "#6c757d";
        var marker = L.circleMarker([p[2], p[3]], {
          radius: 6, color: colour, weight: preparing ? 2 : 1, dashArray: preparing ? "2,2" : null,
          fillColor: preparing ? "#ffffff" : colour, fillOpacity: 0.85
        });
        var url = config.unit_url.replace("/0/", "/" + id + "/");
        marker.bindPopup(
          "<strong>" + escape(name) + "</strong><br>" + escape(statusLabels[status] || status) +
          (preparing ? " · " + escape(text.preparing) : "") +
          '<br><a href="' + url + '#coverage">' + escape(text.open_unit) + "</a>"
        );
        layer.addLayer(marker);
      });
    }

    function drawClusters(clusters) {
      clusters.forEach(function (c) {
        var n = c[2], org = c[3], work = c[4], none = c[5];
        var main = org >= work && org >= none ? "organizational" : work >= none ? "work" : "none";
        var marker = L.circleMarker([c[0], c[1]], {
          radius: Math.min(28, 6 + Math.sqrt(n) * 1.6), color: colours[main], weight: 2,
          fillColor: colours[main], fillOpacity: 0.35
        });
        marker.bindTooltip(
          n + " " + escape(text.units) + "<br>" +
          escape(statusLabels.organizational) + ": " + org + "<br>" +
          escape(statusLabels.work) + ": " + work + "<br>" +
          escape(statusLabels.none) + ": " + none
        );
        marker.on("click", function () { map.setView([c[0], c[1]], map.getZoom() + 2); });
        layer.addLayer(marker);
      });
    }

    function load() {
      if (controller) controller.abort();
      controller = typeof AbortController !== "undefined" ? new AbortController() : null;
      var b = map.getBounds();
      var params = new URLSearchParams(filters);
      params.set("bbox", [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (v) {
        return v.toFixed(6);
      }).join(","));
      statusLine.textContent = text.loading;
      fetch(config.points_url + "?" + params.toString(), {
        credentials: "same-origin", signal: controller ? controller.signal : undefined,
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        layer.clearLayers();
        if (data.mode === "points") {
          drawPoints(data.points);
          statusLine.textContent = format(text.shown, { shown: data.points.length, total: data.total });
        } else {
          drawClusters(data.clusters);
          statusLine.textContent = format(text.clustered, { total: data.total });
        }
        element.dataset.loaded = data.mode;
        element.dataset.total = data.total;
      }).catch(function (error) {
        if (error && error.name === "AbortError") return;
        statusLine.textContent = text.failed;
      });
    }

    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    });
    load();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
