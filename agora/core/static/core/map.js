// Maps (core/includes/map.html): no Leaflet, no tile, until the visitor asks.
(function () {
  var leaflet;

  function data(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function load(tag, attributes) {
    var element = Object.assign(document.createElement(tag), attributes);
    return new Promise(function (loaded, failed) {
      element.onload = loaded;
      element.onerror = failed;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet(c) {
    return leaflet = leaflet || Promise.all([
      load("link", {rel: "stylesheet", href: c.leaflet_css}),
      load("script", {src: c.leaflet_js})
    ]).then(function () {
      L.Icon.Default.imagePath = ""; // hashed file names defeat its guess
      L.Icon.Default.mergeOptions(c.icons);
      L.Control.Zoom.mergeOptions(c.labels); // its words, translated
      L.Control.Attribution.mergeOptions(c.labels);
    });
  }

  function showFeatures(map, box) {
    var layer = L.geoJSON(data(box.dataset.map + "-data"), {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, {title: f.properties.title, alt: f.properties.title});
      },
      onEachFeature: function (f, layer) {
        var p = f.properties, link = /^(\/|https?:)/.test(p.url || ""),
          popup = document.createElement(link ? "a" : "span");
        popup.textContent = p.title;
        if (link) popup.href = p.url;
        layer.bindPopup(popup);
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), {maxZoom: 16});
  }

  function pickLocation(map, box, c) {
    var d = box.dataset,
      lat = document.getElementById(d.latitude),
      lng = document.getElementById(d.longitude),
      clear = box.querySelector("[data-map-clear]"),
      status = box.querySelector("[data-map-status]"),
      canvas = map.getContainer(),
      marker;
    function place(latlng, message) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      marker = (marker || L.marker(latlng, {keyboard: false}).addTo(map)).setLatLng(latlng);
      clear.hidden = false;
      status.textContent = message;
    }
    map.on("click", function (e) { place(e.latlng, d.placed); });
    canvas.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === canvas) place(map.getCenter(), d.placed);
    });
    clear.addEventListener("click", function () {
      lat.value = lng.value = "";
      marker.remove();
      marker = null;
      clear.hidden = true;
      status.textContent = d.removed;
      canvas.focus();
    });
    if (lat.value && lng.value) place(L.latLng(+lat.value, +lng.value), "");
    map.setView(marker ? marker.getLatLng() : c.center, marker ? 16 : c.zoom);
  }

  function setUp(box) {
    if (box.dataset.mapReady) return; // one script tag per map
    box.dataset.mapReady = "1";
    var c = data(box.dataset.map + "-config"),
      button = box.querySelector("[data-map-toggle]"),
      area = box.querySelector("[data-map-area]"),
      label = button.textContent,
      map;
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      var show = area.hidden;
      area.hidden = !show;
      button.setAttribute("aria-expanded", show);
      button.textContent = show ? button.dataset.hideLabel : label;
      if (!show) return;
      if (map) return map.invalidateSize && map.invalidateSize(); // true while loading
      map = true;
      loadLeaflet(c).then(function () {
        map = L.map(area.querySelector(".map__canvas"), {scrollWheelZoom: false});
        L.tileLayer(c.tiles, {attribution: c.attribution, maxZoom: 19, referrerPolicy: "strict-origin"}).addTo(map);
        map.on("popupopen", function (e) { e.popup._closeButton.setAttribute("aria-label", c.labels.close); });
        if (box.dataset.latitude) return pickLocation(map, box, c);
        if (data(box.dataset.map + "-data").features.length) showFeatures(map, box);
        box.dispatchEvent(new CustomEvent("map-ready", {detail: map})); // for a page's own script
      }, function () {
        leaflet = map = null; // offline: close; retry on next press
        button.click();
      });
    });
  }

  document.querySelectorAll("[data-map]").forEach(setUp);
})();
