// The Quiver page: reads <root>/data.json every two seconds and updates the page in place; each action asks for
// confirmation, then posts to <root>/action and shows the answer. Text goes into the page as text, never as markup.
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

  function cell(row, className) {
    var td = document.createElement('td');
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function show(td, text, value) {
    if (td.textContent !== text) { td.textContent = text; }
    if (value !== undefined) { td.dataset.value = value; }
  }

  // Puts one row per item in the table's body, in the items' order, keyed by key(item): a row that is there
  // already is updated in place (build makes the row for a new key, update fills it), and rows whose key is gone
  // are removed. Rows live across refreshes, so a limit typed in one stays while the figures around it change.
  function rows(body, items, key, build, update) {
    var old = new Map();
    Array.prototype.forEach.call(body.rows, function (r) { old.set(r.dataset.key, r); });
    items.forEach(function (item, i) {
      var k = key(item);
      var row = old.get(k);
      if (row) {
        old['delete'](k);
      } else {
        row = build(item);
        row.dataset.key = k;
      }
      update(row, item);
      if (body.rows[i] !== row) { body.insertBefore(row, body.rows[i] || null); }
    });
    old.forEach(function (r) { body.removeChild(r); });
  }

  function say(text, ok) {
    var m = document.getElementById('q-message');
    m.textContent = text;
    m.className = ok ? 'ok' : 'error';
  }

  // Asks, posts, shows the answer, and calls done() when the action was applied.
  function act(params, question, done) {
    if (!window.confirm(question)) { return; }
    var body = new URLSearchParams(params);
    fetch(root + '/action', {method: 'POST', credentials: 'same-origin', body: body,
      headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        say(answer.ok ? answer.message : answer.error, answer.ok);
        if (answer.ok && done) { done(); }
        refresh();
      })
      .catch(function (e) { say('the action failed: ' + e, false); });
  }

  function renderBackends(d) {
    rows(document.querySelector('#q-backends tbody'), d.backends, function (b) { return b.name; },
      function (b) {
        var row = document.createElement('tr');
        row.dataset.backend = b.name;
        ['name', 'num', 'state', 'num bytes', 'num peak', 'num cached', 'num allocations']
          .forEach(function (c) { cell(row, c); });
        return row;
      },
      function (row, b) {
        row.className = (b['default'] ? 'q-default ' : '') + (b.available ? '' : 'q-unavailable');
        var td = row.cells;
        show(td[0], b.name + (b['default'] ? ' (default)' : ''));
        show(td[1], String(b.ranking));
        show(td[2], b.available ? 'available'
          : (b.installed ? 'unavailable: ' : 'not installed: ') + (b.reason || ''));
        show(td[3], bytes(b.bytes), b.bytes);
        show(td[4], bytes(b.peak), b.peak);
        show(td[5], bytes(b.cached), b.cached);
        show(td[6], b.allocations < 0 ? '-' : String(b.allocations));
      });
    var select = document.getElementById('q-backend');
    var chosen = select.value;
    var names = [''].concat(d.backends.filter(function (b) { return b.available; })
      .map(function (b) { return b.name; }));
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join('\n') !== names.join('\n')) { // rebuilt only when it changes: not under an open list
      select.textContent = '';
      names.forEach(function (name) {
        var o = document.createElement('option');
        o.value = name;
        o.textContent = name || '(configuration, then ranking)';
        select.appendChild(o);
      });
      select.value = names.indexOf(chosen) >= 0 ? chosen : '';
    }
  }

  function renderViews(d) {
    rows(document.querySelector('#q-views tbody'), d.views, function (v) { return v.id; },
      function (v) {
        var row = document.createElement('tr');
        row.dataset.view = v.id;
        row.dataset.name = v.name;
        ['owner', 'backend', 'num bytes', 'num peak', 'num live', 'num limit']
          .forEach(function (c) { cell(row, c); });
        var td = cell(row);
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
            'Set the limit of ' + row.dataset.owner + ' to ' + (input.value.trim() || 'none') + '?',
            function () { input.value = ''; });
        });
        td.appendChild(input);
        td.appendChild(document.createTextNode(' '));
        td.appendChild(button);
        return row;
      },
      function (row, v) {
        row.dataset.owner = v.owner;
        row.className = v.limit >= 0 && v.bytes > 0.9 * v.limit ? 'q-near-limit' : '';
        var td = row.cells;
        show(td[0], v.owner);
        show(td[1], v.backend || '-');
        show(td[2], bytes(v.bytes), v.bytes);
        show(td[3], bytes(v.peak), v.peak);
        show(td[4], String(v.live));
        show(td[5], v.limit < 0 ? 'none' : bytes(v.limit), v.limit);
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
