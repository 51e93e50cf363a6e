// A local stand-in for a review platform's badge script, so the English demo shop
// shows a third-party badge held back until marketing consent without contacting
// anyone. Like a real one it sets a cookie and fills its placeholder element.
(function () {
  window.__standIns = (window.__standIns || []).concat('review-badge');
  document.cookie = '_rb_visitor=rb.' + Date.now() + '; Path=/; Max-Age=31536000; SameSite=Lax';
  var badge = document.querySelector('[data-review-badge]');
  if (badge) badge.textContent = 'Rated 4.8 out of 5 by 212 customers';
})();
