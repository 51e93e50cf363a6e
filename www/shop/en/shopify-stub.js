/*
 * DEMO STAND-IN - NOT SHOPIFY CODE.
 *
 * A tiny imitation of Shopify's Customer Privacy API (window.Shopify.customerPrivacy)
 * for the Mount & Co demo shop, so that a visitor and the end-to-end tests can see
 * Privacy Desk mirror the cookie choice to Shopify. A real Shopify store provides the
 * real API itself: never paste this file into a real shop.
 *
 * - setTrackingConsent(consent, callback) records a copy of `consent` in
 *   window.__shopifyConsentCalls (in call order) and calls `callback` asynchronously.
 * - currentVisitorConsent() returns { analytics, marketing, preferences, sale_of_data }
 *   as 'yes' | 'no' | '' (no choice yet), like Shopify.
 * - analyticsProcessingAllowed(), marketingAllowed(), preferencesProcessingAllowed(),
 *   saleOfDataAllowed(), userCanBeTracked(), shouldShowBanner(), getRegion().
 * - Shopify.loadFeatures([{ name: 'consent-tracking-api', ... }], callback) calls back
 *   at once, since the API is already here.
 * - Every setTrackingConsent dispatches 'visitorConsentCollected' on document, as
 *   Shopify does.
 *
 * State lives in memory only: no cookies, no storage. Runs after widget.js and
 * before the widget's WASM module starts, so the widget finds the API present.
 */
(function () {
  'use strict';

  var Shopify = (window.Shopify = window.Shopify || {});
  if (Shopify.customerPrivacy) return; // a real API always wins

  var calls = (window.__shopifyConsentCalls = window.__shopifyConsentCalls || []);
  var KEYS = ['analytics', 'marketing', 'preferences', 'sale_of_data'];
  var state = { analytics: '', marketing: '', preferences: '', sale_of_data: '' };

  function later(fn) {
    Promise.resolve().then(fn);
  }

  function allowed(key) {
    return state[key] === 'yes';
  }

  Shopify.customerPrivacy = {
    __demoStandIn: true,

    setTrackingConsent: function (consent, callback) {
      var copy = {};
      if (typeof consent === 'boolean') {
        // Older form of the API: one boolean for everything.
        KEYS.forEach(function (key) { copy[key] = consent; });
      } else if (consent && typeof consent === 'object') {
        Object.keys(consent).forEach(function (key) { copy[key] = consent[key]; });
      }
      calls.push(copy);
      KEYS.forEach(function (key) {
        if (typeof copy[key] === 'boolean') state[key] = copy[key] ? 'yes' : 'no';
      });
      document.dispatchEvent(new CustomEvent('visitorConsentCollected', {
        detail: {
          analyticsAllowed: allowed('analytics'),
          marketingAllowed: allowed('marketing'),
          preferencesAllowed: allowed('preferences'),
          saleOfDataAllowed: allowed('sale_of_data')
        }
      }));
      if (typeof callback === 'function') later(function () { callback(); });
    },

    currentVisitorConsent: function () {
      return {
        analytics: state.analytics,
        marketing: state.marketing,
        preferences: state.preferences,
        sale_of_data: state.sale_of_data
      };
    },

    analyticsProcessingAllowed: function () { return allowed('analytics'); },
    marketingAllowed: function () { return allowed('marketing'); },
    preferencesProcessingAllowed: function () { return allowed('preferences'); },
    saleOfDataAllowed: function () { return allowed('sale_of_data'); },
    userCanBeTracked: function () { return allowed('analytics') && allowed('marketing'); },
    // The demo shop sells in the EU, where a banner is always required.
    shouldShowBanner: function () { return true; },
    getRegion: function () { return 'NL'; }
  };

  if (typeof Shopify.loadFeatures !== 'function') {
    Shopify.loadFeatures = function (features, callback) {
      if (typeof callback === 'function') later(function () { callback(null); });
    };
  }
})();
