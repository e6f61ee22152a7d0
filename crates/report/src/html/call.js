(function () {
  'use strict';
  var scroll = document.getElementById('tl-scroll');
  var zoomLevel = document.getElementById('zoom-level');
  var zoom = 1;
  function setZoom(z) {
    var old = zoom;
    zoom = Math.max(1, Math.min(64, z));
    if (!scroll) return;
    var centre = (scroll.scrollLeft + scroll.clientWidth / 2) / Math.max(1, scroll.scrollWidth);
    scroll.style.setProperty('--zoom', String(zoom));
    if (zoom !== old) scroll.scrollLeft = centre * scroll.scrollWidth - scroll.clientWidth / 2;
    if (zoomLevel) zoomLevel.textContent = zoom + '×';
  }
  document.querySelectorAll('[data-zoom]').forEach(function (b) {
    b.addEventListener('click', function () {
      var how = b.getAttribute('data-zoom');
      setZoom(how === 'in' ? zoom * 2 : how === 'out' ? zoom / 2 : 1);
    });
  });
  if (scroll) {
    scroll.addEventListener('keydown', function (e) {
      if (e.key === '+' || e.key === '=') { setZoom(zoom * 2); e.preventDefault(); }
      if (e.key === '-') { setZoom(zoom / 2); e.preventDefault(); }
    });
  }

  var audio = document.getElementById('audio');
  var msg = document.getElementById('audio-msg');
  if (audio && msg) {
    audio.addEventListener('error', function () { msg.textContent = msg.getAttribute('data-missing'); });
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#transcript tr.u'));
  var starts = rows.map(function (r) {
    var b = r.querySelector('[data-t]');
    return b ? parseFloat(b.getAttribute('data-t')) : 0;
  });
  var current = null;
  function mark(t) {
    var found = null;
    for (var i = 0; i < rows.length; i++) { if (starts[i] <= t + 0.01) found = rows[i]; else break; }
    if (current) current.classList.remove('now');
    current = found;
    if (current) current.classList.add('now');
  }
  function seek(t) {
    if (!isFinite(t)) return;
    mark(t);
    if (!audio) return;
    try {
      audio.currentTime = t;
      var p = audio.play();
      if (p && p.catch) p.catch(function () {});
    } catch (e) { /* the recording is not available */ }
  }
  document.addEventListener('click', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-t]') : null;
    if (el) seek(parseFloat(el.getAttribute('data-t')));
  });

  var input = document.getElementById('q');
  var kind = document.getElementById('kind');
  var shown = document.getElementById('shown');
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var label = shown ? shown.getAttribute('data-label') || '' : '';
  function filter() {
    var q = input ? input.value.trim().toLowerCase() : '';
    var k = kind ? kind.value : '';
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var kinds = rows[i].getAttribute('data-k');
      var ok = (!q || texts[i].indexOf(q) >= 0) && (!k || (k === 'q' ? kinds !== '' : (' ' + kinds + ' ').indexOf(' ' + k + ' ') >= 0));
      rows[i].classList.toggle('hide', !ok);
      if (ok) n++;
    }
    if (shown) shown.textContent = n + ' / ' + rows.length + ' ' + label;
  }
  var pending = 0;
  if (input) input.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(filter, 120); });
  if (kind) kind.addEventListener('change', filter);
  filter();

  function count(sel) { return document.querySelectorAll(sel).length; }
  function distinct(sel) {
    var seen = new Set();
    document.querySelectorAll(sel).forEach(function (e) { seen.add(e.getAttribute('data-i')); });
    return seen.size;
  }
  var check = document.getElementById('selfcheck');
  if (check) {
    void document.body.offsetHeight;
    check.textContent = JSON.stringify({
      rows: count('svg.tl-row'),
      blocks: distinct('svg.tl-row .blk'),
      block_rects: count('svg.tl-row .blk'),
      open: count('svg.tl-row .mk.q.open'),
      closed: count('svg.tl-row .mk.q.closed'),
      leading: count('svg.tl-row .mk.q.leading'),
      interruptions: count('svg.tl-row .mk.int'),
      silences: distinct('svg.tl-row .sil'),
      overlaps: distinct('svg.tl-row .ovl'),
      moments_marked: count('svg.tl-row .mk.mom'),
      moments_listed: count('#moments li'),
      transcript: rows.length,
      transcript_questions: count('#transcript mark.q'),
      reflections: count('svg.tl-row .mk.refl'),
      transcript_listening: count('#transcript mark.lm'),
      bars: count('.bars .bar'),
      audio: audio ? 1 : 0,
      ms: Math.round(performance.now()),
      errors: window.medlytErrors || []
    });
  }
})();
