// The web view's only script: listens to /events and, when an object shown on this page changed, fetches the page
// again and patches <main> in place (attributes and texts of the same elements), so nothing reloads.
'use strict';
(() => {
  const status = document.getElementById('live-status');
  const kind = document.body.dataset.page;
  const say = (text) => {
    if (status && status.textContent !== text) status.textContent = text;
  };
  if (kind !== 'overview' && kind !== 'tree' && kind !== 'resource') {
    say('off');
    return;
  }
  const MIN_GAP_MS = 1000;
  let busy = false;
  let again = false;

  const relevant = (data) => {
    if (data.all || kind === 'overview') return true;
    const shown = new Set((document.body.dataset.keys || '').split(' ').filter(Boolean));
    return (data.keys || []).some((k) => shown.has(k));
  };

  const morph = (from, to) => {
    if (from.nodeType === 1) {
      for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
      for (const a of [...to.attributes]) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
    }
    const olds = [...from.childNodes];
    const news = [...to.childNodes];
    news.forEach((next, i) => {
      const old = olds[i];
      if (!old) from.appendChild(document.importNode(next, true));
      else if (old.nodeType !== next.nodeType || old.nodeName !== next.nodeName) from.replaceChild(document.importNode(next, true), old);
      else if (old.nodeType === 3 || old.nodeType === 8) {
        if (old.nodeValue !== next.nodeValue) old.nodeValue = next.nodeValue;
      } else morph(old, next);
    });
    for (let i = news.length; i < olds.length; i++) from.removeChild(olds[i]);
  };

  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (res.ok) {
        const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
        const main = document.querySelector('main');
        const next = doc.querySelector('main');
        if (main && next) morph(main, next);
        document.body.dataset.keys = doc.body.dataset.keys || '';
      } else if (res.status === 404) {
        say('this object is gone');
      }
    } catch {
      say('reconnecting');
    } finally {
      busy = false;
      if (again) {
        again = false;
        setTimeout(refresh, MIN_GAP_MS);
      }
    }
  };

  const source = new EventSource('/events');
  let opened = false;
  source.addEventListener('open', () => {
    say('on');
    // Changes made while the stream was down were not sent: look once.
    if (opened) refresh();
    opened = true;
  });
  source.addEventListener('error', () => say('reconnecting'));
  source.addEventListener('change', (e) => {
    try {
      if (relevant(JSON.parse(e.data))) refresh();
    } catch {
      refresh();
    }
  });
})();
