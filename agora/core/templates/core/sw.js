// Agora's service worker: keeps the shell for slow or absent networks.
const CACHE = "agora-{{ version }}";
const SHELL = [{% for url in shell %}"{{ url|escapejs }}", {% endfor %}{% for code, url in offline_urls.items %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const OFFLINE = { {% for code, url in offline_urls.items %}"{{ code }}": "{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %} };

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function offlinePageFor(url) {
  const language = new URL(url).pathname.split("/")[1];
  return OFFLINE[language] || OFFLINE["fr"];
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // Pages: always the network first, so residents see current information.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(request).then((cached) => cached || caches.match(offlinePageFor(request.url)))
      )
    );
    return;
  }
  if (SHELL.includes(new URL(request.url).pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
