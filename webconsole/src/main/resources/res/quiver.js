// The Quiver page: reads <root>/data.json every two seconds and renders it; each action asks for confirmation,
// then posts to <root>/action and shows the answer. Text goes into the page as text, never as markup.
(function () {
  'use strict';
  var page = document.getElementById('quiver');
  // Absolute, from the page's origin: a page opened as http://user:password@host/... would otherwise make every
  // relative request carry the credentials in its URL, which fetch refuses.
  var root = window.location.origin + page.dataset.root;
  var COLORS = ['#1f6fb4', '#d9541e', '#2e8b3a', '#8e44ad', '#b8860b', '#555'];

  function bytes(n) {
    if (n === null || n === undefined || n < 0) { return '-'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    var v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function say(text, ok) {
    var m = document.getElementById('q-message');
    m.textContent = text;
    m.className = ok ? 'ok' : 'error';
  }

  function act(params, question) {
    if (!window.confirm(question)) { return; }
    var body = new URLSearchParams(params);
    fetch(root + '/action', {method: 'POST', credentials: 'same-origin', body: body,
      headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        say(answer.ok ? answer.message : answer.error, answer.ok);
        refresh();
      })
      .catch(function (e) { say('the action failed: ' + e, false); });
  }

  function renderBackends(d) {
    var body = document.querySelector('#q-backends tbody');
    body.textContent = '';
    var select = document.getElementById('q-backend');
    var chosen = select.value;
    select.textContent = '';
    var byRanking = document.createElement('option');
    byRanking.value = '';
    byRanking.textContent = '(configuration, then ranking)';
    select.appendChild(byRanking);
    d.backends.forEach(function (b) {
      var row = document.createElement('tr');
      row.dataset.backend = b.name;
      row.className = (b['default'] ? 'q-default ' : '') + (b.available ? '' : 'q-unavailable');
      cell(row, b.name + (b['default'] ? ' (default)' : ''));
      cell(row, String(b.ranking), 'num');
      cell(row, b.available ? 'available' : (b.installed ? 'unavailable: ' : 'not installed: ') + (b.reason || ''),
        'state');
      cell(row, bytes(b.bytes), 'num bytes').dataset.value = b.bytes;
      cell(row, bytes(b.peak), 'num peak').dataset.value = b.peak;
      cell(row, bytes(b.cached), 'num cached').dataset.value = b.cached;
      cell(row, b.allocations < 0 ? '-' : String(b.allocations), 'num allocations');
      body.appendChild(row);
      if (b.available) {
        var o = document.createElement('option');
        o.value = b.name;
        o.textContent = b.name;
        select.appendChild(o);
      }
    });
    select.value = chosen;
  }

  function renderViews(d) {
    var body = document.querySelector('#q-views tbody');
    var focused = document.activeElement;
    if (focused && focused.matches && focused.matches('#q-views input.limit') && focused.value !== '') {
      return; // not under the operator's typing: the next refresh after it redraws
    }
    body.textContent = '';
    d.views.forEach(function (v) {
      var row = document.createElement('tr');
      row.dataset.view = v.id;
      row.dataset.name = v.name;
      if (v.limit >= 0 && v.bytes > 0.9 * v.limit) { row.className = 'q-near-limit'; }
      cell(row, v.owner);
      cell(row, v.backend || '-');
      cell(row, bytes(v.bytes), 'num bytes').dataset.value = v.bytes;
      cell(row, bytes(v.peak), 'num peak').dataset.value = v.peak;
      cell(row, String(v.live), 'num live');
      var limit = cell(row, v.limit < 0 ? 'none' : bytes(v.limit), 'num limit');
      limit.dataset.value = v.limit;
      var td = document.createElement('td');
      var input = document.createElement('input');
      input.type = 'text';
      input.size = 8;
      input.placeholder = '64m or none';
      input.className = 'limit';
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'set-limit';
      button.textContent = 'Set';
      button.addEventListener('click', function () {
        act({action: 'limit', view: v.id, limit: input.value},
          'Set the limit of ' + v.owner + ' to ' + (input.value.trim() || 'none') + '?');
      });
      td.appendChild(input);
      td.appendChild(document.createTextNode(' '));
      td.appendChild(button);
      row.appendChild(td);
      body.appendChild(row);
    });
  }

  function renderChart(h) {
    var canvas = document.getElementById('q-chart');
    var g = canvas.getContext('2d');
    var w = canvas.width;
    var ht = canvas.height;
    var left = 80;
    var bottom = ht - 24;
    g.clearRect(0, 0, w, ht);
    g.font = '11px sans-serif';
    var series = [{name: 'all pools', values: h.total}];
    Object.keys(h.backends).forEach(function (k) { series.push({name: k, values: h.backends[k]}); });
    var max = 1024 * 1024; // at least 1 MiB high, so that an idle platform draws flat lines, not noise
    series.forEach(function (s) { s.values.forEach(function (v) { if (v > max) { max = v; } }); });
    g.strokeStyle = '#ccc';
    g.fillStyle = '#333';
    for (var t = 0; t <= 4; t++) {
      var y = bottom - (bottom - 10) * t / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(w - 10, y); g.stroke();
      g.fillText(bytes(Math.round(max * t / 4)), 4, y + 4);
    }
    g.fillText('-10 min', left, ht - 6);
    g.fillText('now', w - 34, ht - 6);
    var n = 600;
    series.forEach(function (s, i) {
      g.strokeStyle = COLORS[i % COLORS.length];
      g.lineWidth = i === 0 ? 2 : 1.2;
      g.beginPath();
      var offset = n - s.values.length;
      s.values.forEach(function (v, k) {
        var x = left + (w - 10 - left) * (offset + k) / (n - 1);
        var y = bottom - (bottom - 10) * v / max;
        if (k === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
      });
      g.stroke();
      g.fillStyle = g.strokeStyle;
      g.fillText(s.name, left + 10 + i * 110, 22);
    });
  }

  function render(d) {
    if (!d.available) {
      document.getElementById('q-default').textContent = '-';
      document.getElementById('q-reason').textContent =
        'Quiver\'s management is not available: the platform bundle is not running, or it runs with quiver.jmx=off';
      return;
    }
    document.getElementById('q-default').textContent = d.defaultPool || 'none';
    document.getElementById('q-reason').textContent = '(' + d.reason + ')';
    document.getElementById('q-total').textContent = bytes(d.total);
    document.getElementById('q-total').dataset.value = d.total;
    document.getElementById('q-leaks').textContent = d.leakDetection + ', ' + d.leaksFound + ' leak(s) found';
    renderBackends(d);
    renderViews(d);
    renderChart(d.history);
    page.dataset.refreshed = String(Date.now());
  }

  function refresh() {
    return fetch(root + '/data.json', {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function (e) { say('cannot read the figures: ' + e, false); });
  }

  document.getElementById('q-switch').addEventListener('click', function () {
    var to = document.getElementById('q-backend').value;
    act({action: 'switch', backend: to},
      to ? 'Switch the default pool to ' + to + '? Live buffers stay with their own backend.'
        : 'Go back to the configured or best-ranked backend?');
  });
  document.getElementById('q-trim').addEventListener('click', function () {
    act({action: 'trim'}, 'Release the memory the allocators keep unused?');
  });
  refresh();
  window.setInterval(refresh, 2000);
}());
