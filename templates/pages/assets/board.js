/* global document, EventSource, setInterval */
// The incident board's only script: keeps the clocks ticking and swaps in the server-rendered
// incident cards that arrive over server-sent events. No framework, no inline code (CSP).
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board) return;
  var incidents = document.getElementById('incidents');
  var live = document.getElementById('live-status');
  // Server time minus browser time: the clocks count against the server's clock.
  var offset = Date.parse(board.dataset.now) - Date.now();

  function digits(ms) {
    var seconds = Math.floor(ms / 1000);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = String(seconds % 60).padStart(2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + s : m + ':' + s;
  }

  function tick() {
    var now = Date.now() + offset;
    var clocks = board.querySelectorAll('[data-due]');
    for (var i = 0; i < clocks.length; i++) {
      var ms = Date.parse(clocks[i].dataset.due) - now;
      var template = ms >= 0 ? board.dataset.clockIn : board.dataset.clockOverdue;
      clocks[i].textContent = template.replace('{d}', digits(Math.abs(ms)));
      clocks[i].classList.toggle('overdue', ms < 0);
    }
  }

  function setLive(state, text) {
    board.dataset.live = state;
    live.textContent = text;
  }

  var source = new EventSource(board.dataset.events);
  source.addEventListener('snapshot', function (event) {
    var data = JSON.parse(event.data);
    offset = Date.parse(data.now) - Date.now();
    // Keep keyboard focus where it was when the cards are replaced.
    var focused = document.activeElement && document.activeElement.id;
    incidents.innerHTML = data.html;
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    board.dataset.snapshots = String(Number(board.dataset.snapshots || 0) + 1);
    tick();
    var lang = document.documentElement.lang === 'en' ? 'en-GB' : document.documentElement.lang;
    // In the zone the server writes every other time in, so the page reads consistently.
    var time = new Date(data.now).toLocaleTimeString(lang, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZone: board.dataset.timeZone,
      timeZoneName: 'short',
    });
    setLive('connected', board.dataset.liveUpdated.replace('{time}', time));
  });
  source.addEventListener('open', function () {
    setLive('open', board.dataset.liveConnected);
  });
  source.addEventListener('error', function () {
    // CLOSED: the server refused to resume the stream (the session ended: token revoked or
    // expired, staff deactivated, 12 hours passed). Take the cards off the screen as well, so
    // nothing the session may no longer see stays on it.
    if (source.readyState === EventSource.CLOSED) {
      incidents.replaceChildren();
      setLive('ended', board.dataset.liveEnded);
      return;
    }
    setLive('lost', board.dataset.liveLost);
  });
  tick();
  setInterval(tick, 1000);
})();
