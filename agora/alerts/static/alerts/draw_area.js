// Drawing an alert's area on the map of the compose form (core/includes/map.html with
// draw_into): each click, or Enter for the map's centre, places a corner; from the third on,
// the textarea holds the GeoJSON Polygon (longitude, latitude). "Effacer le tracé" empties
// it. Without JavaScript, or with maps off, the textarea is the way to give the area.
(function () {
  function drawArea(box, map) {
    var d = box.dataset,
      field = document.getElementById(d.draw),
      clear = box.querySelector("[data-map-clear]"),
      status = box.querySelector("[data-map-status]"),
      canvas = map.getContainer(),
      corners = [],
      shape,
      saved;
    function show(message) {
      if (shape) shape.remove();
      shape = corners.length > 1 ? L.polygon(corners).addTo(map)
        : corners.length ? L.marker(corners[0], {keyboard: false}).addTo(map) : null;
      field.value = corners.length > 2 ? JSON.stringify({
        type: "Polygon",
        coordinates: [corners.concat([corners[0]]).map(function (p) {
          return [+p.lng.toFixed(6), +p.lat.toFixed(6)];
        })]
      }) : "";
      clear.hidden = !corners.length;
      status.textContent = message.replace("{count}", corners.length);
    }
    function add(latlng) {
      corners.push(latlng);
      show(corners.length > 2 ? d.drawn : d.more);
    }
    map.on("click", function (e) { add(e.latlng); });
    canvas.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === canvas) add(map.getCenter());
    });
    clear.addEventListener("click", function () {
      corners = [];
      show(d.cleared);
      canvas.focus();
    });
    try {
      saved = JSON.parse(field.value);
      if (saved.type === "Polygon") {
        corners = saved.coordinates[0].slice(0, -1).map(function (p) {
          return L.latLng(p[1], p[0]);
        });
      }
    } catch (ignored) { /* empty or written by hand: kept until a corner is placed */ }
    if (corners.length) {
      show("");
      map.fitBounds(L.latLngBounds(corners), {maxZoom: 16});
    } else if (!map._loaded) { // no zone shown: the city's centre
      var c = JSON.parse(document.getElementById(d.map + "-config").textContent);
      map.setView(c.center, c.zoom);
    }
  }

  document.querySelectorAll("[data-draw]").forEach(function (box) {
    box.addEventListener("map-ready", function (e) { drawArea(box, e.detail); });
  });
})();
