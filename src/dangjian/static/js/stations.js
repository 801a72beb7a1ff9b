/* Red rider stations: the public finder (location, filters, list, lazily loaded map) and the
   staff station form (fill in the position, opening-hours rows). No inline scripts (CSP). */
(function () {
  "use strict";

  // --- the finder --------------------------------------------------------------------------------
  function initFinder(root) {
    var form = document.getElementById("finder-form");
    var results = document.getElementById("results");
    var latInput = document.getElementById("finder-lat");
    var lngInput = document.getElementById("finder-lng");
    var community = document.getElementById("finder-community");
    var status = document.getElementById("locate-status");
    var locate = document.getElementById("locate");
    var mapToggle = document.getElementById("map-toggle");
    var mapBox = document.getElementById("station-map");
    var text = document.getElementById("finder-messages").dataset;
    var map = null;
    var layer = null;
    var pending = null;

    function say(message) { status.textContent = message || ""; }

    function params() {
      var data = new FormData(form);
      var query = new URLSearchParams();
      data.forEach(function (value, key) { if (value !== "") { query.append(key, value); } });
      return query;
    }

    function search() {
      var query = params();
      if (!query.get("community") && !(query.get("lat") && query.get("lng"))) { return; }
      say(text.loading);
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = root.dataset.resultsUrl + "?" + query.toString() + "&fragment=results";
      fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          results.innerHTML = html;
          say("");
          history.replaceState(null, "", "?" + query.toString());
          if (map) { drawMarkers(); }
        })
        .catch(function (error) { if (error.name !== "AbortError") { say(text.failed); } });
    }

    function useCommunity() {
      latInput.value = "";
      lngInput.value = "";
      search();
    }

    function findMe() {
      if (!navigator.geolocation) { say(text.denied); return; }
      say(text.locating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latInput.value = position.coords.latitude.toFixed(6);
          lngInput.value = position.coords.longitude.toFixed(6);
          community.value = "";
          search();
        },
        function () {
          say(text.denied);
          community.focus();
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
      );
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    form.addEventListener("change", function (event) {
      if (event.target === community) { if (community.value) { useCommunity(); } return; }
      search();
    });
    if (navigator.geolocation) {
      locate.classList.remove("d-none");
      locate.addEventListener("click", findMe);
    }
    document.getElementById("finder-submit").classList.add("d-none");

    // Photos load only when a station's details are opened.
    document.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.classList || !details.classList.contains("station-more") || !details.open) { return; }
      details.querySelectorAll("img[data-src]").forEach(function (img) {
        img.src = img.dataset.src;
        img.removeAttribute("data-src");
      });
    }, true);

    // --- the map: Leaflet is fetched the first time it is opened ---------------------------------
    function loadLeaflet(done) {
      if (window.L) { done(); return; }
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = root.dataset.leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = root.dataset.leafletJs;
      script.onload = done;
      document.head.appendChild(script);
    }

    function drawMarkers() {
      var L = window.L;
      if (layer) { layer.remove(); }
      layer = L.layerGroup().addTo(map);
      var points = [];
      var body = document.getElementById("results-body");
      if (body && body.dataset.originLat) {
        var origin = [parseFloat(body.dataset.originLat), parseFloat(body.dataset.originLng)];
        L.circleMarker(origin, { radius: 7, color: "#0d6efd", fillColor: "#0d6efd", fillOpacity: 0.9 })
          .bindTooltip(text.you).addTo(layer);
        points.push(origin);
      }
      document.querySelectorAll("[data-station]").forEach(function (card) {
        var point = [parseFloat(card.dataset.lat), parseFloat(card.dataset.lng)];
        var open = card.dataset.open === "1";
        var popup = document.createElement("a");
        popup.href = "#" + (card.id || (card.id = "station-" + card.dataset.station));
        popup.textContent = card.dataset.name;
        L.circleMarker(point, {
          radius: 9, weight: 2, color: "#fff", fillColor: open ? "#c8102e" : "#6c757d", fillOpacity: 0.95
        }).bindPopup(popup).addTo(layer);
        points.push(point);
      });
      if (points.length) { map.fitBounds(points, { padding: [24, 24], maxZoom: 16 }); }
    }

    function openMap() {
      loadLeaflet(function () {
        var L = window.L;
        if (!map) {
          var tiles = root.dataset.tileUrl;
          map = L.map(mapBox, { attributionControl: Boolean(tiles) }).setView([20.03, 110.32], 12);
          if (tiles) {
            L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
          } else {
            mapBox.classList.add("no-tiles"); // points on a plain background: works with no tile server
          }
        }
        map.invalidateSize();
        drawMarkers();
      });
    }

    mapToggle.classList.remove("d-none");
    mapToggle.addEventListener("click", function () {
      var show = mapBox.classList.contains("d-none");
      mapBox.classList.toggle("d-none", !show);
      mapToggle.setAttribute("aria-expanded", String(show));
      mapToggle.textContent = show ? text.hideMap : text.showMap;
      if (show) { openMap(); }
    });

    // First visit: ask for the position straight away (the page is for finding the nearest one).
    var body = document.getElementById("results-body");
    if (!(body && body.dataset.originLat) && !community.value) { findMe(); }
  }

  // --- the staff station form -------------------------------------------------------------------------
  function initStationForm(form) {
    var button = form.querySelector("[data-fill-location]");
    if (button && navigator.geolocation) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
          form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
        });
      });
    }
    form.querySelectorAll("[data-hours-mode]").forEach(function (select) {
      function sync() {
        var row = form.querySelector("[data-hours-day='" + select.dataset.hoursMode + "']");
        if (row) { row.classList.toggle("d-none", select.value !== "hours"); }
      }
      select.addEventListener("change", sync);
      sync();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var finder = document.getElementById("finder");
    if (finder) { initFinder(finder); }
    var stationForm = document.getElementById("station-form");
    if (stationForm) { initStationForm(stationForm); }
  });
})();
