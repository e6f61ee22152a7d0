(function () {
  'use strict';
  var check = document.getElementById('selfcheck');
  if (!check) return;
  var charts = Array.prototype.slice.call(document.querySelectorAll('#charts figure'));
  void document.body.offsetHeight;
  check.textContent = JSON.stringify({
    charts: charts.length,
    dots: charts.map(function (f) { return f.querySelectorAll('.dot').length; }),
    bar_sums: charts.map(function (f) {
      var n = 0;
      f.querySelectorAll('.hbar').forEach(function (b) { n += parseInt(b.getAttribute('data-n'), 10); });
      return n;
    }),
    calls: document.querySelectorAll('#calls tbody tr').length,
    links: document.querySelectorAll('#calls a[href]').length,
    ms: Math.round(performance.now()),
    errors: window.medlytErrors || []
  });
})();
