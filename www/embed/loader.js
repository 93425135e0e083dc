// The embed loader (served as embed/sfnsim.js): add it with one script tag and every
// <pre class="sfnsim"> and <pre><code class="language-sfnsim"> becomes a live diagram when it
// scrolls near the viewport. The engine (sfnsim.mjs and its wasm, beside this file) is fetched
// once, on first need. Its only global is `sfnsim`.
(function () {
  'use strict';
  if (window.sfnsim && window.sfnsim.scan) return; // the script was added twice
  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : document.baseURI);
  var engine = null;
  function load() {
    if (!engine) {
      engine = import(new URL('sfnsim.mjs', base).href).then(function (m) {
        return m.ready.then(function () { return m; });
      });
    }
    return engine;
  }
  var OPTIONS = ['input', 'mode', 'height', 'theme', 'seed', 'world', 'speed', 'playground', 'lesson', 'direction', 'collapsed'];
  function optionsOf(pre) {
    var code = pre.querySelector('code');
    var o = { definition: (code || pre).textContent, playground: new URL('../', base).href };
    [code, pre].forEach(function (el) {
      if (!el) return;
      OPTIONS.forEach(function (k) {
        var v = el.getAttribute('data-' + k);
        if (v !== null && v !== '') o[k] = v;
      });
    });
    return o;
  }
  function blocksIn(root) {
    var found = [];
    root.querySelectorAll('pre.sfnsim, pre > code.language-sfnsim').forEach(function (el) {
      var pre = el.tagName === 'PRE' ? el : el.parentElement;
      if (found.indexOf(pre) < 0 && !pre.hasAttribute('data-sfnsim-done')) found.push(pre);
    });
    return found;
  }
  // A block becomes a <div> host (a <pre> cannot hold a shadow root) once the engine is here;
  // until then the definition stays readable as the code block it was.
  function upgrade(pre) {
    pre.setAttribute('data-sfnsim-done', '');
    var options = optionsOf(pre);
    return load().then(function (m) {
      var host = document.createElement('div');
      host.className = 'sfnsim-embed';
      pre.replaceWith(host);
      host.sfnsimSource = pre;
      return m.mount(host, options);
    }).catch(function (e) {
      pre.removeAttribute('data-sfnsim-done');
      pre.title = 'sfnsim could not load: ' + e.message;
      console.warn('sfnsim: could not load the engine from ' + base.href + ':', e);
    });
  }
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) {
        observer.unobserve(e.target);
        upgrade(e.target);
      }
    });
  }, { rootMargin: '600px 0px' }) : null;
  function scan(root) {
    blocksIn(root || document).forEach(function (pre) {
      if (observer) observer.observe(pre);
      else upgrade(pre);
    });
  }
  // Iframe embeds (embed/frame.html) report their height; size each to fit.
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || d.type !== 'sfnsim:resize' || !(d.height > 0)) return;
    document.querySelectorAll('iframe').forEach(function (f) {
      if (f.contentWindow === e.source) f.style.height = Math.min(d.height, 4000) + 'px';
    });
  });
  window.sfnsim = {
    /** Upgrades the blocks under `root` (the document when absent), e.g. after a page swap. */
    scan: scan,
    /** The engine module (the npm package's API), loaded on first call. */
    load: load,
    /** Mounts an embed on an element from script: `sfnsim.mount(el, { definition, mode })`. */
    mount: function (el, options) { return load().then(function (m) { return m.mount(el, options); }); }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scan(); });
  else scan();
})();
