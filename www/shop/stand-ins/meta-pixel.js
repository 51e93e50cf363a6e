// A local stand-in for Meta's https://connect.facebook.net/en_US/fbevents.js, so the
// Dutch demo shop shows a Meta Pixel held back until marketing consent without
// sending anything to Meta. Like the real one it defines `fbq` and sets `_fbp`.
(function () {
  window.__standIns = (window.__standIns || []).concat('meta-pixel');
  var calls = [];
  window.fbq = function () {
    calls.push(Array.prototype.slice.call(arguments));
  };
  window.fbq.calls = calls;
  document.cookie = '_fbp=fb.1.' + Date.now() + '.1234567890; Path=/; Max-Age=7776000; SameSite=Lax';
})();
