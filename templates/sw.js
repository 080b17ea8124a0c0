// The service worker of this site, made by the build (templates/sw.js): what it keeps of
// the site from the start, then its code (theme/offline-worker.js). It lives at the site's root,
// so that its scope is every script's pages under whatever folder the site is published in.
self.shuzibao = {{ {"offline": offline_pages, "shell": search_pages | list + url.themes(theme) + ([url.site_file(site.logo)] if site.logo else [])} | tojson }};
importScripts({{ url.theme("offline-worker.js") | tojson }});
